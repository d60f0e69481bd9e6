// AWS credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN) from the given
// environment first; otherwise (or with --profile) the SDK's default provider chain: profile files,
// SSO, credential_process, web identity, container and instance metadata. Resolved here, before
// any upload, so "no credentials" is a usage error and not a failed publish.
import type { AwsCredentialIdentity } from "@smithy/types";
import { SOCKET_ERROR_CODES } from "../network.js";
import { CloudError, UsageError } from "../../errors.js";
import { registerSecret } from "../../output/redact.js";
import type { ResolvedCredentials } from "../types.js";
import { quietAwsSdk } from "./sdk-env.js";

export const AWS_CREDENTIAL_VARIABLES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"] as const;

export interface AwsCredentials extends ResolvedCredentials {
  /** What the SDK client is given: fixed keys, or the chain (which refreshes expiring ones). */
  identity: AwsCredentialIdentity | (() => Promise<AwsCredentialIdentity>);
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

export async function resolveAwsCredentials(env: NodeJS.ProcessEnv, opts: { profile?: string }): Promise<AwsCredentials> {
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
    registerSecret(secretAccessKey);
    registerSecret(sessionToken);
    return { source: "environment (AWS_ACCESS_KEY_ID)", identity: { accessKeyId, secretAccessKey, sessionToken } };
  }

  const profile = opts.profile || env.AWS_PROFILE?.trim() || undefined;
  // Role and SSO profiles make STS/SSO clients inside the chain.
  quietAwsSdk();
  const { defaultProvider } = await import("@aws-sdk/credential-provider-node");
  const chain = defaultProvider({
    profile,
    filepath: env.AWS_SHARED_CREDENTIALS_FILE || undefined,
    configFilepath: env.AWS_CONFIG_FILE || undefined,
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
  registerSecret(first.secretAccessKey);
  registerSecret(first.sessionToken);
  const identity = async () => {
    const c = await inEnvironment(env, () => chain());
    registerSecret(c.secretAccessKey);
    registerSecret(c.sessionToken);
    return c;
  };
  return { source: profile ? `profile ${profile}` : "AWS default credential chain", identity };
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
  const id = (c as Partial<AwsCredentials>).identity;
  return typeof id === "function" || (typeof id === "object" && id !== null && typeof (id as AwsCredentialIdentity).accessKeyId === "string");
}

/** The values to keep out of messages (an SDK error could echo what it was given). */
export function knownSecrets(c: AwsCredentials): string[] {
  return typeof c.identity === "function" ? [] : [c.identity.secretAccessKey, c.identity.sessionToken ?? ""].filter((s) => s.length >= 4);
}
