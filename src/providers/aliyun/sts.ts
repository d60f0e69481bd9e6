// Alibaba Cloud STS (2015-04-01) through the official @alicloud/sts20150401 (on the same
// openapi-core as FC), loaded only when a role is assumed, an OIDC token exchanged or the account
// id looked up. AssumeRoleWithOIDC goes unsigned (the SDK method's authType "Anonymous").
// Where: LAYERCTL_STS_ENDPOINT_ALIYUN (the emulator), else as @alicloud/credentials picks it:
// sts.<ALIBABA_CLOUD_STS_REGION>.aliyuncs.com (sts-vpc. with ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true),
// else sts.aliyuncs.com.
import type * as StsModule from "@alicloud/sts20150401";
import { CloudError } from "../../errors.js";
import type { CloudKeys } from "../credential-cache.js";
import { withRetry } from "../retry.js";
import { STS_RETRY, STS_TIMEOUT_MS, stsEndpoint } from "../sts.js";
import { toCloudError } from "./errors.js";
import { loadAliyunSdk } from "./sdk.js";

type StsExports = (typeof StsModule)["default"];

export interface AliyunStsTarget {
  host: string;
  protocol: "http" | "https";
}

export function aliyunStsTarget(env: NodeJS.ProcessEnv, profile?: { region?: string; endpoint?: string }): AliyunStsTarget {
  const override = stsEndpoint(env, "LAYERCTL_STS_ENDPOINT_ALIYUN", "aliyun");
  if (override) return { host: override.host, protocol: override.protocol === "http:" ? "http" : "https" };
  if (profile?.endpoint) return { host: profile.endpoint, protocol: "https" };
  const region = profile?.region || env.ALIBABA_CLOUD_STS_REGION?.trim();
  const vpc = env.ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED?.trim().toLowerCase() === "true";
  return { host: region ? `sts${vpc ? "-vpc" : ""}.${region}.aliyuncs.com` : "sts.aliyuncs.com", protocol: "https" };
}

let loading: Promise<StsExports> | undefined;

function loadSts(): Promise<StsExports> {
  loading ??= import("@alicloud/sts20150401").then((m) => {
    // CommonJS from ESM: Node gives module.exports as `default` (the client class at
    // default.default); other loaders (vitest's) unwrap it, so `default` is the class. Accept both.
    const d = (m as unknown as { default: unknown }).default;
    return (typeof d === "function" ? m : d) as unknown as StsExports;
  });
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

async function client(keys: CloudKeys | null, target: AliyunStsTarget) {
  const [sts, { Config }] = await Promise.all([loadSts(), loadAliyunSdk()]);
  const Client = sts.default;
  if (typeof Client !== "function" || typeof sts.AssumeRoleRequest !== "function") throw new Error("@alicloud/sts20150401 does not have the expected exports");
  const config = new Config({
    ...(keys ? { accessKeyId: keys.keyId, accessKeySecret: keys.secret, securityToken: keys.token } : {}),
    endpoint: target.host,
    protocol: target.protocol,
    connectTimeout: Math.min(STS_TIMEOUT_MS, 10_000),
    readTimeout: STS_TIMEOUT_MS,
  });
  return { sts, client: new Client(config) };
}

async function call<T>(action: string, fn: () => Promise<T>): Promise<T> {
  return withRetry(STS_RETRY, async () => {
    try {
      return await fn();
    } catch (err) {
      throw toCloudError(err, `STS ${action}`);
    }
  });
}

interface Answer {
  body?: {
    RequestId?: string;
    requestId?: string;
    credentials?: { accessKeyId?: string; accessKeySecret?: string; securityToken?: string; expiration?: string };
    assumedRoleUser?: { arn?: string };
    accountId?: string;
  };
}

function keysOf(action: string, answer: Answer): CloudKeys {
  const c = answer.body?.credentials;
  const expires = c?.expiration ? Date.parse(c.expiration) : Number.NaN;
  if (!c?.accessKeyId || !c.accessKeySecret || !c.securityToken || Number.isNaN(expires)) {
    throw new CloudError(`STS ${action} answered without Credentials (AccessKeyId, AccessKeySecret, SecurityToken, Expiration)`, {
      code: "InvalidResponse",
      provider: "aliyun",
      requestId: answer.body?.requestId,
    });
  }
  return { keyId: c.accessKeyId, secret: c.accessKeySecret, token: c.securityToken, expiresAt: expires };
}

export async function assumeRole(base: CloudKeys, role: { roleArn: string; session: string; durationSeconds?: number }, target: AliyunStsTarget): Promise<CloudKeys> {
  const { sts, client: c } = await client(base, target);
  const req = new sts.AssumeRoleRequest({ roleArn: role.roleArn, roleSessionName: role.session, durationSeconds: role.durationSeconds });
  return keysOf("AssumeRole", await call("AssumeRole", () => c.assumeRole(req)));
}

export async function assumeRoleWithOidc(req: { providerArn: string; roleArn: string; token: string; session: string; durationSeconds?: number }, target: AliyunStsTarget): Promise<CloudKeys> {
  const { sts, client: c } = await client(null, target);
  const request = new sts.AssumeRoleWithOIDCRequest({
    OIDCProviderArn: req.providerArn,
    roleArn: req.roleArn,
    OIDCToken: req.token,
    roleSessionName: req.session,
    durationSeconds: req.durationSeconds,
  });
  return keysOf("AssumeRoleWithOIDC", await call("AssumeRoleWithOIDC", () => c.assumeRoleWithOIDC(request)));
}

/** The account the keys belong to (STS GetCallerIdentity: any valid key may ask, no permission needed). */
export async function callerAccount(keys: CloudKeys, target: AliyunStsTarget): Promise<string> {
  const { client: c } = await client(keys, target);
  const answer = (await call("GetCallerIdentity", () => c.getCallerIdentity())) as Answer;
  const account = answer.body?.accountId;
  if (!account) throw new CloudError("STS GetCallerIdentity answered without an AccountId", { code: "InvalidResponse", provider: "aliyun", requestId: answer.body?.requestId });
  return account;
}
