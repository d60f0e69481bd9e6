// Tencent Cloud credentials, in the order the Node SDK and tccli look for them (about.ts
// `credentialOrder` says it in words): an explicit profile; the TENCENTCLOUD_* variables (with the
// session token under any of its three names: the SDK's TENCENTCLOUD_SESSION_TOKEN, tccli's
// TENCENTCLOUD_TOKEN, and TENCENTCLOUD_SECURITY_TOKEN, which the GitHub OIDC action exports too);
// the TCCLI_PROFILE/default profile; the TKE_* OIDC variables through STS
// AssumeRoleWithWebIdentity; then a role to assume with those keys (STS AssumeRole). The CVM
// instance role is left out: it asks the instance metadata service, which no variable points at.
// No file but the profiles' and the OIDC token's is read, and no network is used for plain keys.
import { UsageError } from "../../errors.js";
import { registerSecret } from "../../output/redact.js";
import { CredentialCache, type CloudKeys } from "../credential-cache.js";
import { shown } from "../profile-files.js";
import { readOidcToken, sessionName, stsEndpoint } from "../sts.js";
import type { CredentialOptions, ResolvedCredentials } from "../types.js";
import { readTencentProfile, tccliRegion } from "./profiles.js";
import type { TencentStsTarget } from "./sts.js";

export const TENCENT_ENV = {
  secretId: "TENCENTCLOUD_SECRET_ID",
  secretKey: "TENCENTCLOUD_SECRET_KEY",
  /** Every name a session token goes by, in the order they are read. */
  tokens: ["TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_TOKEN", "TENCENTCLOUD_SECURITY_TOKEN"],
  profile: "TCCLI_PROFILE",
  roleArn: "TENCENTCLOUD_ROLE_ARN",
  roleSessionName: "TENCENTCLOUD_ROLE_SESSION_NAME",
  region: "TENCENTCLOUD_REGION",
  oidc: ["TKE_PROVIDER_ID", "TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_ROLE_ARN", "TKE_REGION"],
  stsEndpoint: "LAYERCTL_STS_ENDPOINT_TENCENT",
} as const;

export const TENCENT_CREDENTIAL_VARIABLES = [
  TENCENT_ENV.secretId,
  TENCENT_ENV.secretKey,
  ...TENCENT_ENV.tokens,
  TENCENT_ENV.profile,
  TENCENT_ENV.roleArn,
  TENCENT_ENV.roleSessionName,
  ...TENCENT_ENV.oidc,
  TENCENT_ENV.stsEndpoint,
] as const;

/** `qcs::cam::uin/<uin>:roleName/<name>` or `...:role/<id>` (service roles have a path). */
export const TENCENT_ROLE_ARN = { pattern: /^qcs::cam::uin\/\d+:(roleName|role)\/\S+$/, example: "qcs::cam::uin/100012345678:roleName/deploy" };

/** STS's region when none is given: the SDK's STSCredential uses ap-guangzhou. */
const DEFAULT_STS_REGION = "ap-guangzhou";

export interface TencentCredentials extends ResolvedCredentials {
  /** The keys, shared by every target of the run and renewed when they can be. */
  keys: CredentialCache;
}

const ENV_HINT = `set ${TENCENT_ENV.secretId} and ${TENCENT_ENV.secretKey} (and ${TENCENT_ENV.tokens[0]} for temporary keys), add a [default] profile to ~/.tencentcloud/credentials, or run \`tccli configure\``;

interface Base {
  cache: CredentialCache;
  /** What can be checked locally before any exchange (the OIDC token file is there and readable). */
  check?: () => Promise<unknown>;
  /** A role the source itself says to assume (tccli's role-arn, TENCENTCLOUD_ROLE_ARN). */
  role?: { arn: string; session?: string };
}

export async function resolveTencentCredentials(env: NodeJS.ProcessEnv, opts: CredentialOptions): Promise<TencentCredentials> {
  const target: TencentStsTarget = { endpoint: stsEndpoint(env, TENCENT_ENV.stsEndpoint, "tencent"), region: env[TENCENT_ENV.region]?.trim() || DEFAULT_STS_REGION };
  const invalid = (arn: string) =>
    new UsageError(`"${arn}" is not a Tencent Cloud role ARN`, { code: "InvalidRoleArn", provider: "tencent", hint: `write it as ${TENCENT_ROLE_ARN.example}` });
  if (opts.roleArn !== undefined && !TENCENT_ROLE_ARN.pattern.test(opts.roleArn)) throw invalid(opts.roleArn);
  const base = await baseCredentials(env, opts, target);
  await base.check?.();
  const roleArn = opts.roleArn ?? base.role?.arn;
  let cache = base.cache;
  if (roleArn) {
    if (!TENCENT_ROLE_ARN.pattern.test(roleArn)) throw invalid(roleArn);
    const session = sessionName(opts.roleArn ? env[TENCENT_ENV.roleSessionName] : (base.role?.session ?? env[TENCENT_ENV.roleSessionName]));
    const from = base.cache;
    cache = new CredentialCache({
      provider: "tencent",
      source: `role ${roleArn} (STS AssumeRole with ${from.source})`,
      fetch: async () => (await import("./sts.js")).assumeRole(await from.get(), { roleArn, session }, target),
      renewHint: `check that ${from.source} may assume ${roleArn}`,
    });
  }
  // One exchange for the whole run, now: a refusal is one error before anything is packed or sent.
  if (!opts.offline && !cache.peek()) await cache.get();
  return { source: cache.source + (opts.offline && !cache.peek() ? " (not exchanged: dry run)" : ""), keys: cache };
}

async function baseCredentials(env: NodeJS.ProcessEnv, opts: CredentialOptions, target: TencentStsTarget): Promise<Base> {
  // A profile named on the command line is used alone, as tccli does with --profile: keys in the
  // variables must not silently win over what was asked for.
  if (opts.profile) return fromProfile(env, opts.profile, "--profile");

  const fromEnv = environmentKeys(env);
  if (fromEnv) {
    const arn = env[TENCENT_ENV.roleArn]?.trim();
    return { ...fromEnv, role: arn ? { arn, session: env[TENCENT_ENV.roleSessionName] } : undefined };
  }

  const named = env[TENCENT_ENV.profile]?.trim();
  if (named) return fromProfile(env, named, TENCENT_ENV.profile);
  const byDefault = await readTencentProfile(env, "default");
  if (byDefault) return { cache: fixed(byDefault.source, byDefault.keys, "update the profile (or run `tccli configure`)"), role: byDefault.role };

  const oidc = oidcVariables(env, target);
  if (oidc) return oidc;

  throw new UsageError(`no Tencent Cloud credentials: ${TENCENT_ENV.secretId} and ${TENCENT_ENV.secretKey} are not set, no default profile, no TKE_* OIDC variables`, {
    code: "MissingCredentials",
    provider: "tencent",
    hint: ENV_HINT,
  });
}

async function fromProfile(env: NodeJS.ProcessEnv, name: string, via: string): Promise<Base> {
  const profile = await readTencentProfile(env, name);
  if (!profile) {
    throw new UsageError(`no Tencent Cloud profile "${name}" (from ${via}): not in ~/.tencentcloud/credentials, and no ~/.tccli/${name}.credential`, {
      code: "MissingCredentials",
      provider: "tencent",
      hint: `add [${name}] with secret_id and secret_key to ~/.tencentcloud/credentials or run \`tccli configure --profile ${name}\`; --profile tencent:NAME names a profile for Tencent Cloud only`,
    });
  }
  return { cache: fixed(profile.source, profile.keys, `update profile ${name} (or run \`tccli configure --profile ${name}\`)`), role: profile.role };
}

function fixed(source: string, keys: CloudKeys, renewHint: string): CredentialCache {
  return new CredentialCache({ provider: "tencent", source, keys, renewHint });
}

function environmentKeys(env: NodeJS.ProcessEnv): Base | undefined {
  const keyId = env[TENCENT_ENV.secretId]?.trim();
  const secret = env[TENCENT_ENV.secretKey]?.trim();
  const tokens = TENCENT_ENV.tokens.map((name) => [name, env[name]?.trim()] as const).filter(([, v]) => v);
  for (const [, v] of tokens) registerSecret(v);
  if (!keyId && !secret) return undefined;
  if (!keyId || !secret) {
    const [given, missing] = keyId ? [TENCENT_ENV.secretId, TENCENT_ENV.secretKey] : [TENCENT_ENV.secretKey, TENCENT_ENV.secretId];
    throw new UsageError(`${given} is set but ${missing} is not`, { code: "MissingCredentials", provider: "tencent", hint: ENV_HINT });
  }
  const distinct = [...new Set(tokens.map(([, v]) => v))];
  if (distinct.length > 1) {
    throw new UsageError(`${tokens.map(([n]) => n).join(" and ")} are set to different tokens`, {
      code: "ConflictingCredentials",
      provider: "tencent",
      hint: "unset all but the one that goes with these keys",
    });
  }
  const names = [TENCENT_ENV.secretId, TENCENT_ENV.secretKey, ...tokens.map(([n]) => n)];
  return {
    cache: fixed(
      `environment (${names.join(", ")})`,
      { keyId, secret, token: distinct[0] },
      `export new ${names.join(", ")} values (temporary keys expire; re-run the step that made them)`,
    ),
  };
}

/** The TKE_* OIDC variables, when any is set: all four are needed. */
function oidcVariables(env: NodeJS.ProcessEnv, target: TencentStsTarget): Base | undefined {
  const values = TENCENT_ENV.oidc.map((name) => env[name]?.trim());
  if (values.every((v) => !v)) return undefined;
  const missing = TENCENT_ENV.oidc.filter((_, i) => !values[i]);
  if (missing.length > 0) {
    throw new UsageError(`OIDC credentials need ${TENCENT_ENV.oidc.join(", ")}: ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not set`, {
      code: "MissingCredentials",
      provider: "tencent",
    });
  }
  const [providerId, tokenFile, roleArn, region] = values as [string, string, string, string];
  const readToken = () => readOidcToken(tokenFile, "TKE_WEB_IDENTITY_TOKEN_FILE", "tencent");
  const cache = new CredentialCache({
    provider: "tencent",
    source: `OIDC role ${roleArn} (TKE_WEB_IDENTITY_TOKEN_FILE ${shown(tokenFile, env)}, STS AssumeRoleWithWebIdentity)`,
    // The token file is read again for every exchange: the platform rotates it.
    fetch: async () => {
      const token = await readToken();
      const sts = await import("./sts.js");
      return sts.assumeRoleWithWebIdentity({ providerId, token, roleArn, session: sessionName(undefined) }, { ...target, region });
    },
    renewHint: "check the OIDC token file (it may have expired) and the role's trust of the provider",
  });
  return { cache, check: readToken };
}

/** The region of the tccli profile in effect (--profile, TCCLI_PROFILE, default). */
export function tencentProfileRegion(env: NodeJS.ProcessEnv, opts: { profile?: string }): Promise<string | undefined> {
  return tccliRegion(env, opts.profile ?? (env[TENCENT_ENV.profile]?.trim() || "default"));
}

/** The bag connect() received, checked: it must be one resolveCredentials made. */
export function asTencentCredentials(c: ResolvedCredentials): TencentCredentials {
  if (!(c.keys instanceof CredentialCache)) throw new UsageError("Tencent Cloud credentials are incomplete", { code: "MissingCredentials", provider: "tencent", hint: ENV_HINT });
  return c as TencentCredentials;
}
