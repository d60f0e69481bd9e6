// --role-arn for AWS: STS AssumeRole through the official @aws-sdk/client-sts, signed with the keys
// the chain resolved, loaded only when a role is assumed. The endpoint is the SDK's own override,
// AWS_ENDPOINT_URL_STS (else AWS_ENDPOINT_URL), read from the environment given; the region is the
// SDK's: AWS_REGION, else us-east-1 (the global endpoint).
import { CloudError } from "../../errors.js";
import type { CloudKeys } from "../credential-cache.js";
import { STS_TIMEOUT_MS } from "../sts.js";
import { toCloudError } from "./errors.js";
import { quietAwsSdk } from "./sdk-env.js";

export interface AwsStsTarget {
  endpoint?: string;
  region: string;
}

export function awsStsTarget(env: NodeJS.ProcessEnv): AwsStsTarget {
  const endpoint = env.AWS_ENDPOINT_URL_STS?.trim() || env.AWS_ENDPOINT_URL?.trim() || undefined;
  return { endpoint, region: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || "us-east-1" };
}

export async function assumeRole(base: CloudKeys, role: { roleArn: string; session: string }, target: AwsStsTarget): Promise<CloudKeys> {
  quietAwsSdk();
  const { STSClient, AssumeRoleCommand } = await import("@aws-sdk/client-sts");
  const sts = new STSClient({
    region: target.region,
    endpoint: target.endpoint,
    credentials: { accessKeyId: base.keyId, secretAccessKey: base.secret, sessionToken: base.token },
    // The SDK's standard retries (throttling, 5xx, network) are what an exchange needs.
    maxAttempts: 3,
    requestHandler: { requestTimeout: STS_TIMEOUT_MS, connectionTimeout: 10_000, throwOnRequestTimeout: true },
  });
  let out;
  try {
    out = await sts.send(new AssumeRoleCommand({ RoleArn: role.roleArn, RoleSessionName: role.session }));
  } catch (err) {
    throw toCloudError(err, { action: "STS AssumeRole", timeoutMs: STS_TIMEOUT_MS, secrets: [base.secret, base.token ?? ""].filter((s) => s.length >= 4) });
  } finally {
    sts.destroy();
  }
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new CloudError("STS AssumeRole answered without Credentials (AccessKeyId, SecretAccessKey, SessionToken, Expiration)", {
      code: "InvalidResponse",
      provider: "aws",
      requestId: out.$metadata.requestId,
    });
  }
  return { keyId: c.AccessKeyId, secret: c.SecretAccessKey, token: c.SessionToken, expiresAt: c.Expiration.getTime() };
}
