// Alibaba Cloud credentials, in the order @alicloud/credentials' default chain and the aliyun CLI
// look for them (about.ts `credentialOrder` says it in words): an explicit profile; the
// ALIBABA_CLOUD_ACCESS_KEY_* variables; the OIDC variables through STS AssumeRoleWithOIDC; the
// CLI's ~/.aliyun/config.json; ~/.alibabacloud/credentials; then a role to assume with those keys
// (STS AssumeRole). We never let @alicloud/credentials run its own chain: past these steps it goes
// to the ECS metadata service (100.100.100.200) and a credentials URI, which nothing here asked for.
//
// FC's public endpoint ({accountId}.{region}.fc.aliyuncs.com) needs the account id: the ARN of the
// role assumed, else ALIBABA_CLOUD_ACCOUNT_ID, else STS GetCallerIdentity (which any valid key may
// call), asked once per run and only when something needs it.
import { UsageError } from "../../errors.js";
import { CredentialCache } from "../credential-cache.js";
import { shown } from "../profile-files.js";
import { readOidcToken, sessionName } from "../sts.js";
import type { CredentialOptions, ResolvedCredentials } from "../types.js";
import { aliyunEnv } from "./limits.js";
import { cliProfilePlan, cliProfileRegion, findCliProfile, readCliConfig, sharedFilePlan, type AliyunPlan } from "./profiles.js";
import { aliyunStsTarget } from "./sts-target.js";

export const ALIYUN_ENV = {
  ...aliyunEnv,
  profile: "ALIBABA_CLOUD_PROFILE",
  roleArn: "ALIBABA_CLOUD_ROLE_ARN",
  oidcProviderArn: "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
  oidcTokenFile: "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
  roleSessionName: "ALIBABA_CLOUD_ROLE_SESSION_NAME",
  stsRegion: "ALIBABA_CLOUD_STS_REGION",
  cliProfileDisabled: "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
  credentialsFile: "ALIBABA_CLOUD_CREDENTIALS_FILE",
  stsEndpoint: "LAYERCTL_STS_ENDPOINT_ALIYUN",
} as const;

export const ALIYUN_CREDENTIAL_VARIABLES = [
  ALIYUN_ENV.accessKeyId,
  ALIYUN_ENV.accessKeySecret,
  ALIYUN_ENV.securityToken,
  ALIYUN_ENV.accountId,
  ALIYUN_ENV.profile,
  ALIYUN_ENV.roleArn,
  ALIYUN_ENV.oidcProviderArn,
  ALIYUN_ENV.oidcTokenFile,
  ALIYUN_ENV.roleSessionName,
  ALIYUN_ENV.stsRegion,
  ALIYUN_ENV.cliProfileDisabled,
  ALIYUN_ENV.credentialsFile,
  ALIYUN_ENV.stsEndpoint,
] as const;

/** A RAM role: `acs:ram::<account>:role/<name>`. */
export const ALIYUN_ROLE_ARN = { pattern: /^acs:ram::(\d+):role\/\S+$/i, example: "acs:ram::1234567890123456:role/deploy" };

export interface AliyunCredentials extends ResolvedCredentials {
  /** The keys, shared by every target of the run and renewed when they can be. */
  keys: CredentialCache;
  /** The account id when known without a call (the variable, or the role's ARN). */
  accountId?: string;
  /** The account id, asking STS GetCallerIdentity the first time it is needed (once per run). */
  account(): Promise<string>;
  /** Resolved for a dry run: nothing may be asked of STS (account() is not to be called). */
  offline: boolean;
}

const ENV_HINT = `export ${aliyunEnv.accessKeyId} and ${aliyunEnv.accessKeySecret} (plus ${aliyunEnv.securityToken} for STS credentials), or run \`aliyun configure\``;

export async function resolveAliyunCredentials(env: NodeJS.ProcessEnv, opts: CredentialOptions): Promise<AliyunCredentials> {
  if (opts.roleArn !== undefined && !ALIYUN_ROLE_ARN.pattern.test(opts.roleArn)) {
    throw new UsageError(`"${opts.roleArn}" is not a RAM role ARN`, { code: "InvalidRoleArn", provider: "aliyun", hint: `write it as ${ALIYUN_ROLE_ARN.example}` });
  }
  let plan = await basePlan(env, opts);
  if (opts.roleArn) {
    plan = { kind: "role", source: `role ${opts.roleArn} (STS AssumeRole with ${plan.source})`, from: plan, roleArn: opts.roleArn };
  }
  const keys = cacheFor(plan, env);
  // What can be checked here without a call: the OIDC token files are there and readable.
  for (let p: AliyunPlan | undefined = plan; p; p = p.kind === "role" ? p.from : undefined)
    if (p.kind === "oidc") await readOidcToken(p.tokenFile, "the OIDC token file", "aliyun");
  // One exchange for the whole run, now: a refusal is one error before anything is packed or sent.
  if (!opts.offline && !keys.peek()) await keys.get();

  // Keys of an assumed role act in the role's account, whatever ALIBABA_CLOUD_ACCOUNT_ID says (it
  // names the account of the keys that assumed it, in a cross-account release).
  const fromRole = plan.kind === "keys" ? undefined : ALIYUN_ROLE_ARN.pattern.exec(plan.roleArn)?.[1];
  const accountId = fromRole ?? (env[aliyunEnv.accountId]?.trim() || undefined);
  let asking: Promise<string> | undefined;
  const account = () =>
    accountId !== undefined ? Promise.resolve(accountId) : (asking ??= keys.get().then(async (k) => (await import("./sts.js")).callerAccount(k, aliyunStsTarget(env))));
  const source = keys.source + (opts.offline && !keys.peek() ? " (not exchanged: dry run)" : "");
  return { source, keys, accountId, account, offline: Boolean(opts.offline) };
}

async function basePlan(env: NodeJS.ProcessEnv, opts: CredentialOptions): Promise<AliyunPlan> {
  // A profile named on the command line is used alone, as the aliyun CLI does with --profile.
  if (opts.profile) return namedProfile(env, opts.profile, "--profile");

  const id = env[aliyunEnv.accessKeyId]?.trim();
  const secret = env[aliyunEnv.accessKeySecret]?.trim();
  if (id || secret) {
    if (!id || !secret) {
      const missing = id ? aliyunEnv.accessKeySecret : aliyunEnv.accessKeyId;
      throw new UsageError(`no Alibaba Cloud credentials: ${missing} is not set`, { code: "MissingCredentials", provider: "aliyun", hint: ENV_HINT });
    }
    const token = env[aliyunEnv.securityToken]?.trim() || undefined;
    return { kind: "keys", source: `environment (${aliyunEnv.accessKeyId}${token ? `, ${aliyunEnv.securityToken}` : ""})`, keys: { keyId: id, secret, token } };
  }

  const oidc = oidcPlan(env);
  if (oidc) return oidc;

  const named = env[ALIYUN_ENV.profile]?.trim();
  if (env[ALIYUN_ENV.cliProfileDisabled]?.trim().toLowerCase() !== "true") {
    const conf = await readCliConfig(env);
    const name = named ?? conf?.current;
    if (conf && name && findCliProfile(conf, name)) return cliProfilePlan(conf, name);
  }
  const fromFile = await sharedFilePlan(env, named ?? "default");
  if (fromFile) return fromFile;
  if (named) return namedProfile(env, named, ALIYUN_ENV.profile);

  throw new UsageError(
    `no Alibaba Cloud credentials: ${aliyunEnv.accessKeyId} and ${aliyunEnv.accessKeySecret} are not set, no OIDC variables, no profile in ~/.aliyun/config.json or ~/.alibabacloud/credentials`,
    {
      code: "MissingCredentials",
      provider: "aliyun",
      hint: ENV_HINT,
    },
  );
}

async function namedProfile(env: NodeJS.ProcessEnv, name: string, via: string): Promise<AliyunPlan> {
  const conf = env[ALIYUN_ENV.cliProfileDisabled]?.trim().toLowerCase() === "true" ? undefined : await readCliConfig(env);
  if (conf && findCliProfile(conf, name)) return cliProfilePlan(conf, name);
  const fromFile = await sharedFilePlan(env, name);
  if (fromFile) return fromFile;
  throw new UsageError(`no Alibaba Cloud profile "${name}" (from ${via}): not in ~/.aliyun/config.json, nor in ~/.alibabacloud/credentials`, {
    code: "MissingCredentials",
    provider: "aliyun",
    hint: `run \`aliyun configure --profile ${name}\`; --profile aliyun:NAME names a profile for Alibaba Cloud only`,
  });
}

function oidcPlan(env: NodeJS.ProcessEnv): AliyunPlan | undefined {
  const roleArn = env[ALIYUN_ENV.roleArn]?.trim();
  const providerArn = env[ALIYUN_ENV.oidcProviderArn]?.trim();
  const tokenFile = env[ALIYUN_ENV.oidcTokenFile]?.trim();
  // ALIBABA_CLOUD_ROLE_ARN alone is not OIDC (the SDK's RAM role provider reads it too).
  if (!providerArn && !tokenFile) return undefined;
  const missing = [
    [ALIYUN_ENV.roleArn, roleArn],
    [ALIYUN_ENV.oidcProviderArn, providerArn],
    [ALIYUN_ENV.oidcTokenFile, tokenFile],
  ]
    .filter(([, v]) => !v)
    .map(([n]) => n);
  if (missing.length > 0) {
    throw new UsageError(
      `OIDC credentials need ${ALIYUN_ENV.roleArn}, ${ALIYUN_ENV.oidcProviderArn} and ${ALIYUN_ENV.oidcTokenFile}: ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not set`,
      {
        code: "MissingCredentials",
        provider: "aliyun",
      },
    );
  }
  return {
    kind: "oidc",
    source: `OIDC role ${roleArn} (${ALIYUN_ENV.oidcTokenFile} ${shown(tokenFile!, env)}, STS AssumeRoleWithOIDC)`,
    providerArn: providerArn!,
    roleArn: roleArn!,
    tokenFile: tokenFile!,
  };
}

/** The keys a plan gives: fixed ones as they are, the exchanges renewed before they expire. */
function cacheFor(plan: AliyunPlan, env: NodeJS.ProcessEnv): CredentialCache {
  const session = (given?: string) => sessionName(given ?? env[ALIYUN_ENV.roleSessionName]);
  switch (plan.kind) {
    case "keys":
      return new CredentialCache({
        provider: "aliyun",
        source: plan.source,
        keys: plan.keys,
        renewHint: plan.source.startsWith("environment")
          ? `export new ${aliyunEnv.accessKeyId}, ${aliyunEnv.accessKeySecret} and ${aliyunEnv.securityToken} values`
          : "update the profile (aliyun configure)",
      });
    case "role": {
      const from = cacheFor(plan.from, env);
      const target = aliyunStsTarget(env, { region: plan.stsRegion, endpoint: plan.stsEndpoint });
      return new CredentialCache({
        provider: "aliyun",
        source: plan.source,
        fetch: async () =>
          (await import("./sts.js")).assumeRole(await from.get(), { roleArn: plan.roleArn, session: session(plan.session), durationSeconds: plan.durationSeconds }, target),
        renewHint: `check that ${from.source} may assume ${plan.roleArn}`,
      });
    }
    case "oidc": {
      const target = aliyunStsTarget(env, { region: plan.stsRegion });
      return new CredentialCache({
        provider: "aliyun",
        source: plan.source,
        // The token file is read again for every exchange: the platform rotates it.
        fetch: async () => {
          const token = await readOidcToken(plan.tokenFile, "the OIDC token file", "aliyun");
          const sts = await import("./sts.js");
          return sts.assumeRoleWithOidc(
            { providerArn: plan.providerArn, roleArn: plan.roleArn, token, session: session(plan.session), durationSeconds: plan.durationSeconds },
            target,
          );
        },
        renewHint: "check the OIDC token file (it may have expired) and the role's trust of the OIDC provider",
      });
    }
  }
}

/** The region_id of the aliyun CLI profile in effect (--profile, ALIBABA_CLOUD_PROFILE, the file's current one). */
export function aliyunProfileRegion(env: NodeJS.ProcessEnv, opts: { profile?: string }): Promise<string | undefined> {
  return cliProfileRegion(env, opts.profile ?? (env[ALIYUN_ENV.profile]?.trim() || undefined));
}

/** The bag connect() received, checked: it must be one resolveCredentials made. */
export function asAliyunCredentials(c: ResolvedCredentials): AliyunCredentials {
  if (!(c.keys instanceof CredentialCache) || typeof c.account !== "function") {
    throw new UsageError("Alibaba Cloud credentials are incomplete", { code: "MissingCredentials", provider: "aliyun", hint: ENV_HINT });
  }
  return c as AliyunCredentials;
}
