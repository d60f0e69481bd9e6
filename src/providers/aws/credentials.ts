// AWS credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN) from the given
// environment first; otherwise (or with --profile) the SDK's default provider chain: profile files,
// SSO, credential_process, web identity, container and instance metadata. Then, with --role-arn,
// that role assumed with those keys (./sts.ts). Resolved here, before any upload, so "no
// credentials" is a usage error and not a failed publish. The keys live in a CredentialCache
// shared by every target: the chain's and the role's are renewed before they expire.
import type { AwsCredentialIdentity } from "@smithy/types";
import { SOCKET_ERROR_CODES } from "../network.js";
import { CloudError, UsageError } from "../../errors.js";
import { CredentialCache, type CloudKeys } from "../credential-cache.js";
import { field, inHome, parseIni, readOptional, shown } from "../profile-files.js";
import { readOidcToken, sessionName } from "../sts.js";
import { registerSecret } from "../../output/redact.js";
import { readFile } from "node:fs/promises";
import type { CredentialOptions, ResolvedCredentials } from "../types.js";
import { quietAwsSdk } from "./sdk-env.js";
import { assumeRole, awsStsTarget } from "./sts.js";

export const AWS_CREDENTIAL_VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_ROLE_SESSION_NAME",
  "AWS_ENDPOINT_URL_STS",
] as const;

/** An IAM role: `arn:aws:iam::<account>:role/<path/name>` (other partitions: arn:aws-cn, arn:aws-us-gov). */
export const AWS_ROLE_ARN = { pattern: /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/\S+$/, example: "arn:aws:iam::123456789012:role/deploy" };

export interface AwsCredentials extends ResolvedCredentials {
  /** The keys, shared by every target of the run and renewed when they can be. */
  keys: CredentialCache;
}

/**
 * What the SDK clients are given: a provider asked for every request (so renewed keys are used at
 * once). Marked memoized so the SDK does not cache it itself: the cache decides when to renew.
 */
export function awsIdentity(c: AwsCredentials): (() => Promise<AwsCredentialIdentity>) & { memoized: true } {
  const provider = async (): Promise<AwsCredentialIdentity> => {
    const k = await c.keys.get();
    return { accessKeyId: k.keyId, secretAccessKey: k.secret, sessionToken: k.token, expiration: k.expiresAt === undefined ? undefined : new Date(k.expiresAt) };
  };
  return Object.assign(provider, { memoized: true as const });
}

function keysOf(c: AwsCredentialIdentity): CloudKeys {
  return { keyId: c.accessKeyId, secret: c.secretAccessKey, token: c.sessionToken || undefined, expiresAt: c.expiration?.getTime() };
}

const MISSING_HINT =
  "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary keys), or AWS_PROFILE / --profile naming a profile in ~/.aws/credentials or ~/.aws/config";

// The chain warns on console when AWS_PROFILE and static keys are both set; we decide that case ourselves.
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * What the SDK's chain reads from process.env by itself (the container and instance-metadata steps
 * take no options). While the chain runs, process.env shows these as the given environment has
 * them, so a caller's environment decides, e.g., AWS_EC2_METADATA_DISABLED. Nothing else runs
 * while layerctl resolves credentials.
 */
const CHAIN_VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_ACCOUNT_ID",
  "AWS_PROFILE",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_EC2_METADATA_DISABLED",
  "AWS_EC2_METADATA_V1_DISABLED",
  "AWS_EC2_METADATA_SERVICE_ENDPOINT",
  "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_ROLE_SESSION_NAME",
  // Where the chain's own STS calls (role profiles, web identity) go.
  "AWS_ENDPOINT_URL_STS",
  "AWS_ENDPOINT_URL",
];

// Overlapping calls (credential refreshes during parallel publishes) share one overlay: the first
// in saves process.env, the last out restores it.
let overlay: { env: NodeJS.ProcessEnv; depth: number; saved: Array<readonly [string, string | undefined]> } | null = null;

async function inEnvironment<T>(env: NodeJS.ProcessEnv, fn: () => Promise<T>): Promise<T> {
  if (env === process.env || (overlay !== null && overlay.env !== env)) return fn();
  if (overlay === null) {
    overlay = { env, depth: 0, saved: CHAIN_VARIABLES.map((k) => [k, process.env[k]] as const) };
    for (const k of CHAIN_VARIABLES) {
      if (env[k] === undefined) delete process.env[k];
      else process.env[k] = env[k];
    }
  }
  overlay.depth++;
  try {
    return await fn();
  } finally {
    if (--overlay.depth === 0) {
      for (const [k, v] of overlay.saved) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      overlay = null;
    }
  }
}

export async function resolveAwsCredentials(env: NodeJS.ProcessEnv, opts: CredentialOptions): Promise<AwsCredentials> {
  const roleArn = opts.roleArn;
  if (roleArn !== undefined && !AWS_ROLE_ARN.pattern.test(roleArn)) {
    throw new UsageError(`"${roleArn}" is not an IAM role ARN`, { code: "InvalidRoleArn", provider: "aws", hint: `write it as ${AWS_ROLE_ARN.example}` });
  }
  const base = await baseCredentials(env, opts);
  if (!roleArn) return { source: base.source, keys: base };
  const session = sessionName(env.AWS_ROLE_SESSION_NAME);
  const target = awsStsTarget(env);
  const keys = new CredentialCache({
    provider: "aws",
    source: `role ${roleArn} (STS AssumeRole with ${base.source})`,
    fetch: async () => assumeRole(await base.get(), { roleArn, session }, target),
    renewHint: `check that ${base.source} may assume ${roleArn} (its trust policy)`,
  });
  // One exchange for the whole run, now (a dry run describes it instead).
  if (!opts.offline) await keys.get();
  return { source: keys.source + (opts.offline ? " (not exchanged: dry run)" : ""), keys };
}

async function baseCredentials(env: NodeJS.ProcessEnv, opts: CredentialOptions): Promise<CredentialCache> {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  const sessionToken = env.AWS_SESSION_TOKEN?.trim() || undefined;
  if (!opts.profile && (accessKeyId || secretAccessKey)) {
    if (!accessKeyId || !secretAccessKey) {
      const missing = accessKeyId ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID";
      throw new UsageError(`${missing} is not set, but ${missing === "AWS_ACCESS_KEY_ID" ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"} is`, {
        code: "MissingCredentials",
        hint: MISSING_HINT,
      });
    }
    // The SDK's fromEnv reads AWS_CREDENTIAL_EXPIRATION too: past it, nothing is sent with them.
    const expires = env.AWS_CREDENTIAL_EXPIRATION?.trim() ? Date.parse(env.AWS_CREDENTIAL_EXPIRATION) : Number.NaN;
    return new CredentialCache({
      provider: "aws",
      source: `environment (AWS_ACCESS_KEY_ID${sessionToken ? ", AWS_SESSION_TOKEN" : ""})`,
      keys: { keyId: accessKeyId, secret: secretAccessKey, token: sessionToken, expiresAt: Number.isNaN(expires) ? undefined : expires },
      renewHint: "export new AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN values (temporary keys expire; re-run the step that made them)",
    });
  }

  const profile = opts.profile || env.AWS_PROFILE?.trim() || undefined;
  // The chain reads the web identity token file itself: its contents are a secret like any key.
  const tokenFile = env.AWS_WEB_IDENTITY_TOKEN_FILE?.trim();
  if (tokenFile) registerSecret(await readFile(tokenFile, "utf8").catch(() => undefined));
  // A dry run makes no exchange: web identity (the CI's OIDC) is described, not used. (Other chain
  // steps, profiles included, run as the SDK runs them: it cannot say which it would use without.)
  if (opts.offline && !profile && tokenFile && env.AWS_ROLE_ARN?.trim()) {
    await readOidcToken(tokenFile, "AWS_WEB_IDENTITY_TOKEN_FILE", "aws");
    return new CredentialCache({
      provider: "aws",
      source: `AWS default chain: web identity (AWS_WEB_IDENTITY_TOKEN_FILE ${shown(tokenFile, env)}, role ${env.AWS_ROLE_ARN.trim()}) (not exchanged: dry run)`,
      fetch: () => Promise.reject(new Error("a dry run makes no exchange")),
      renewHint: "",
    });
  }
  // Role and SSO profiles make STS/SSO clients inside the chain.
  quietAwsSdk();
  const { defaultProvider } = await import("@aws-sdk/credential-provider-node");
  // The files of the environment given (its AWS_* variables, else its HOME); with neither, the SDK's own default.
  const chain = defaultProvider({
    profile,
    filepath: env.AWS_SHARED_CREDENTIALS_FILE || inHome(env, ".aws", "credentials"),
    configFilepath: env.AWS_CONFIG_FILE || inHome(env, ".aws", "config"),
    logger: quiet,
  });
  let first: AwsCredentialIdentity;
  try {
    first = await inEnvironment(env, () => chain());
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    const unavailable = serviceFailure(err, profile, message);
    if (unavailable) throw unavailable;
    if (/Could not load credentials from any providers/.test(message)) {
      throw new UsageError(profile ? `no AWS credentials for profile "${profile}"` : "no AWS credentials found", {
        code: "MissingCredentials",
        hint: profile
          ? `check that profile "${profile}" exists and has credentials (AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE move the files); or ${MISSING_HINT}`
          : MISSING_HINT,
        cause: err,
      });
    }
    throw new UsageError(`could not get AWS credentials${profile ? ` for profile "${profile}"` : ""}: ${message}`, {
      code: "MissingCredentials",
      hint: MISSING_HINT,
      cause: err,
    });
  }
  const found = chainStep(first);
  return new CredentialCache({
    provider: "aws",
    source: `${profile ? `profile ${profile}` : "AWS default chain"}${found ? `: ${found}` : ""}`,
    keys: keysOf(first),
    // Asked again only to renew (near expiry, or after the cloud refused the token): forced, so
    // the chain does not hand back what it holds.
    fetch: async () => keysOf(await inEnvironment(env, () => chain({ forceRefresh: true }))),
    renewHint: profile ? `renew the credentials of profile "${profile}" (e.g. aws sso login --profile ${profile})` : "renew the AWS credentials the default chain found",
  });
}

/**
 * Which step of the chain gave the keys, from the feature marks the SDK's providers put on what
 * they return (`$source`, as setCredentialFeature writes them), for --debug and dry runs.
 */
function chainStep(identity: AwsCredentialIdentity): string | undefined {
  const marks = Object.keys((identity as { $source?: Record<string, unknown> }).$source ?? {});
  const steps: Array<[string, string]> = [
    ["CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN", "web identity (AWS_WEB_IDENTITY_TOKEN_FILE, STS AssumeRoleWithWebIdentity)"],
    ["CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN", "the profile's web_identity_token_file (STS AssumeRoleWithWebIdentity)"],
    ["CREDENTIALS_PROFILE_SOURCE_PROFILE", "the profile's role_arn (STS AssumeRole)"],
    ["CREDENTIALS_PROFILE_SSO", "SSO"],
    ["CREDENTIALS_SSO", "SSO"],
    ["CREDENTIALS_PROFILE_PROCESS", "credential_process"],
    ["CREDENTIALS_PROCESS", "credential_process"],
    ["CREDENTIALS_PROFILE", "keys in the shared files"],
    ["CREDENTIALS_HTTP", "container credentials"],
    ["CREDENTIALS_IMDS", "instance metadata"],
    ["CREDENTIALS_ENV_VARS", "environment"],
  ];
  return steps.find(([mark]) => marks.some((m) => m === mark || m === `${mark}_LEGACY`))?.[1];
}

interface ChainError {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  tryNextLink?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/**
 * Credentials are configured, but the service that turns them into keys (STS for a role, SSO,
 * a container or web identity endpoint) could not be reached or said no: a failure at the cloud
 * or the network (exit 1), not a usage error. The SDK throws the transport error as is, or copied
 * onto a CredentialsProviderError (fromSSO), so its code is looked for along the cause chain.
 */
function serviceFailure(err: unknown, profile: string | undefined, message: string): CloudError | undefined {
  const where = profile ? ` for profile "${profile}"` : "";
  for (let e = err as ChainError | undefined, depth = 0; e && typeof e === "object" && depth < 5; e = e.cause as ChainError | undefined, depth++) {
    const code = typeof e.code === "string" ? e.code : undefined;
    const status = e.$metadata?.httpStatusCode;
    if ((code && SOCKET_ERROR_CODES.has(code)) || e.name === "TimeoutError" || (status !== undefined && status >= 500)) {
      return new CloudError(
        `could not get AWS credentials${where}: the credential service is unreachable (${code ?? (status !== undefined ? `HTTP ${status}` : "timeout")}): ${message}`,
        {
          code: "CredentialsUnavailable",
          provider: "aws",
          requestId: e.$metadata?.requestId,
          httpStatus: status,
          hint: "check the network and the STS/SSO endpoint the profile uses, then retry",
          cause: err,
        },
      );
    }
  }
  // STS or SSO answered with an error of its own (e.g. AccessDenied on AssumeRole) and the chain
  // passed it through unwrapped: keep its code and request id.
  const e = err as ChainError | undefined;
  if (e && typeof e === "object" && typeof e.tryNextLink !== "boolean" && e.$metadata?.httpStatusCode !== undefined) {
    const code = typeof e.name === "string" && e.name !== "Error" ? e.name : `HTTP${e.$metadata.httpStatusCode}`;
    return new CloudError(`could not get AWS credentials${where}: ${message}`, {
      code,
      provider: "aws",
      requestId: e.$metadata.requestId,
      httpStatus: e.$metadata.httpStatusCode,
      hint: "check the role or SSO settings of the profile and the permissions of its source credentials",
      cause: err,
    });
  }
  return undefined;
}

export function isAwsCredentials(c: ResolvedCredentials): c is AwsCredentials {
  return c.keys instanceof CredentialCache;
}

/** The values to keep out of messages (an SDK error could echo what it was given). */
export function knownSecrets(c: AwsCredentials): string[] {
  return c.keys.knownSecrets().filter((s) => s.length >= 4);
}

/**
 * The region of the profile in effect (--profile, AWS_PROFILE, else default): `region` of its
 * section in the config file (AWS_CONFIG_FILE, else ~/.aws/config; `[profile NAME]`, `[default]`),
 * else of the credentials file, as the SDK's region loader reads them.
 */
export async function awsProfileRegion(env: NodeJS.ProcessEnv, opts: { profile?: string }): Promise<string | undefined> {
  const profile = opts.profile || env.AWS_PROFILE?.trim() || "default";
  const config = await readOptional(env.AWS_CONFIG_FILE?.trim() || inHome(env, ".aws", "config"), "aws");
  const credentials = await readOptional(env.AWS_SHARED_CREDENTIALS_FILE?.trim() || inHome(env, ".aws", "credentials"), "aws");
  const inConfig = config === undefined ? undefined : parseIni(config);
  const section = inConfig?.[profile === "default" ? "default" : `profile ${profile}`] ?? (profile === "default" ? inConfig?.["profile default"] : undefined);
  return field(section, "region") ?? field(credentials === undefined ? undefined : parseIni(credentials)[profile], "region");
}
