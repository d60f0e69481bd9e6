// Alibaba Cloud STS (2015-04-01) through the official @alicloud/openapi-core, the SDK core FC's
// client runs on, loaded only when a role is assumed, an OIDC token exchanged or the account id
// looked up. The three calls are made exactly as the generated @alicloud/sts20150401 client makes
// them (its client.js: the same Params, the parameters in the query, AssumeRole and
// GetCallerIdentity through callApi, signed with ACS3; AssumeRoleWithOIDC through doRPCRequest
// with authType "Anonymous", unsigned). That package is a thin generated layer over this same core;
// for three calls we use the core FC's client already loads rather than a second client class.
// The emulator's STS is tested with @alicloud/sts20150401 itself, so what it accepts from us is
// what it accepts from the generated client.
// Where: ./sts-target.ts.
import { RuntimeOptions } from "@darabonba/typescript";
import { CloudError } from "../../errors.js";
import type { CloudKeys } from "../credential-cache.js";
import { withRetry } from "../retry.js";
import { STS_RETRY, STS_TIMEOUT_MS } from "../sts.js";
import { toCloudError } from "./errors.js";
import { loadAliyunSdk } from "./sdk.js";
import type { AliyunStsTarget } from "./sts-target.js";

const VERSION = "2015-04-01";

interface StsBody {
  RequestId?: string;
  Credentials?: { AccessKeyId?: string; AccessKeySecret?: string; SecurityToken?: string; Expiration?: string };
  AccountId?: string;
}

/** One STS action, as the generated client sends it; the body of the answer. */
async function call(action: string, keys: CloudKeys | null, target: AliyunStsTarget, query: Record<string, string | number | undefined>): Promise<StsBody> {
  const sdk = await loadAliyunSdk();
  const config = new sdk.Config({
    ...(keys ? { accessKeyId: keys.keyId, accessKeySecret: keys.secret, securityToken: keys.token } : {}),
    endpoint: target.host,
    protocol: target.protocol,
    connectTimeout: Math.min(STS_TIMEOUT_MS, 10_000),
    readTimeout: STS_TIMEOUT_MS,
  });
  // openapi-core's base client: the FC client class adds only FC's endpoint rules, not used with an endpoint given.
  const client = new sdk.Client(config);
  const present = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ""));
  const request = new sdk.OpenApiRequest({ query: sdk.query(present) });
  const runtime = new RuntimeOptions({});
  return withRetry(STS_RETRY, async () => {
    try {
      const resp = (
        keys
          ? await client.callApi(
              new sdk.Params({
                action,
                version: VERSION,
                protocol: "HTTPS",
                pathname: "/",
                method: "POST",
                authType: "AK",
                style: "RPC",
                reqBodyType: "formData",
                bodyType: "json",
              }),
              request,
              runtime,
            )
          : await client.doRPCRequest(action, VERSION, "HTTPS", "POST", "Anonymous", "json", request, runtime)
      ) as { body?: StsBody };
      return resp.body ?? {};
    } catch (err) {
      throw toCloudError(err, `STS ${action}`);
    }
  });
}

function keysOf(action: string, body: StsBody): CloudKeys {
  const c = body.Credentials;
  const expires = c?.Expiration ? Date.parse(c.Expiration) : Number.NaN;
  if (!c?.AccessKeyId || !c.AccessKeySecret || !c.SecurityToken || Number.isNaN(expires)) {
    throw new CloudError(`STS ${action} answered without Credentials (AccessKeyId, AccessKeySecret, SecurityToken, Expiration)`, {
      code: "InvalidResponse",
      provider: "aliyun",
      requestId: body.RequestId,
    });
  }
  return { keyId: c.AccessKeyId, secret: c.AccessKeySecret, token: c.SecurityToken, expiresAt: expires };
}

export async function assumeRole(base: CloudKeys, role: { roleArn: string; session: string; durationSeconds?: number }, target: AliyunStsTarget): Promise<CloudKeys> {
  const body = await call("AssumeRole", base, target, { RoleArn: role.roleArn, RoleSessionName: role.session, DurationSeconds: role.durationSeconds });
  return keysOf("AssumeRole", body);
}

export async function assumeRoleWithOidc(
  req: { providerArn: string; roleArn: string; token: string; session: string; durationSeconds?: number },
  target: AliyunStsTarget,
): Promise<CloudKeys> {
  const body = await call("AssumeRoleWithOIDC", null, target, {
    OIDCProviderArn: req.providerArn,
    RoleArn: req.roleArn,
    OIDCToken: req.token,
    RoleSessionName: req.session,
    DurationSeconds: req.durationSeconds,
  });
  return keysOf("AssumeRoleWithOIDC", body);
}

/** The account the keys belong to (STS GetCallerIdentity: any valid key may ask, no permission needed). */
export async function callerAccount(keys: CloudKeys, target: AliyunStsTarget): Promise<string> {
  const body = await call("GetCallerIdentity", keys, target, {});
  if (!body.AccountId) throw new CloudError("STS GetCallerIdentity answered without an AccountId", { code: "InvalidResponse", provider: "aliyun", requestId: body.RequestId });
  return body.AccountId;
}
