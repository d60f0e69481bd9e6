// FC's temporary OSS bucket, as Serverless Devs uses it for code too big to send inline:
// GET /2016-08-15/tempBucketToken on the FC endpoint answers
//   {credentials: {AccessKeyId, AccessKeySecret, SecurityToken, Expiration}, ossRegion, ossBucket, objectName}
// and the zip goes to <accountId>/<objectName> in that bucket with those STS credentials.
// This is an FC 2.0 operation; FC 3.0 documents no replacement (a compatibility risk, unconfirmed
// whether FC keeps it for 3.0 accounts). It is sent through the FC 3.0 client (ACS3 signature),
// since no FC 2.0 SDK is a dependency; how FC 2.0 itself signs it is not reproduced (unconfirmed
// that the gateway accepts ACS3 there).
import { RuntimeOptions } from "@darabonba/typescript";
import { CloudError } from "../../errors.js";
import { registerSecret } from "../../output/redact.js";
import { retryCall } from "../retry.js";
import type { ConnectOptions } from "../types.js";
import { fcConfig, publicOrCustomEndpoint } from "./client.js";
import { asAliyunCredentials } from "./credentials.js";
import { toCloudError } from "./errors.js";
import { loadAliyunSdk } from "./sdk.js";

export interface TempBucket {
  bucket: string;
  /** OSS region id, e.g. oss-cn-hangzhou. */
  ossRegion: string;
  /** Where the zip must go: <accountId>/<objectName>. */
  key: string;
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken: string };
}

interface TokenBody {
  credentials?: { AccessKeyId?: string; AccessKeySecret?: string; SecurityToken?: string };
  ossRegion?: string;
  ossBucket?: string;
  objectName?: string;
}

export async function getTempBucket(opts: ConnectOptions): Promise<TempBucket> {
  const creds = asAliyunCredentials(opts.credentials);
  const endpoint = await publicOrCustomEndpoint(opts, creds);
  const sdk = await loadAliyunSdk();
  const client = new sdk.Client(fcConfig(sdk, opts, creds, endpoint));
  const params = new sdk.Params({
    action: "GetTempBucketToken",
    version: "2016-08-15",
    protocol: "HTTPS",
    pathname: "/2016-08-15/tempBucketToken",
    method: "GET",
    authType: "AK",
    style: "ROA",
    reqBodyType: "json",
    bodyType: "json",
  });
  const resp = (await retryCall(
    { name: "aliyun GetTempBucketToken", provider: "aliyun", timeoutMs: opts.requestTimeoutMs, retry: opts.retry, log: opts.log },
    () => client.callApi(params, new sdk.OpenApiRequest({ headers: {} }), new RuntimeOptions({})),
    (err) => toCloudError(err, "GetTempBucketToken"),
  )) as {
    body?: TokenBody;
    headers?: Record<string, string>;
  };
  const b = resp.body ?? {};
  const c = b.credentials ?? {};
  if (!b.ossBucket || !b.objectName || !c.AccessKeyId || !c.AccessKeySecret || !c.SecurityToken) {
    throw new CloudError("GetTempBucketToken answered without a bucket, object name or credentials", {
      code: "InvalidResponse",
      provider: "aliyun",
      requestId: resp.headers?.["x-fc-request-id"],
      hint: "name an OSS bucket of your own with --bucket aliyun=NAME",
    });
  }
  // Lent keys are secrets like the account's own: never in any output.
  registerSecret(c.AccessKeySecret);
  registerSecret(c.SecurityToken);
  const region = b.ossRegion || `oss-${opts.region}`;
  return {
    bucket: b.ossBucket,
    ossRegion: region.startsWith("oss-") ? region : `oss-${region}`,
    key: `${await creds.account()}/${b.objectName}`,
    credentials: { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken },
  };
}
