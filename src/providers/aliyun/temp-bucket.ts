// FC's temporary OSS bucket, for code too big to send inline, as the reference clients use it
// (Serverless Devs fc3 through @alicloud/fc2's getTempBucketToken(); @alicloud/fc2's own
// publishLayerVersionForBigCode): GET /2016-08-15/tempBucketToken on the FC endpoint answers
//   {credentials: {AccessKeyId, AccessKeySecret, SecurityToken, Expiration}, ossRegion, ossBucket,
//    objectName, codeSizeLimit}
// and the zip goes to <accountId>/<objectName> in that bucket with those STS keys, in one PutObject
// (./oss.ts). This is an FC 2.0 operation, so it is signed the FC 2.0 way (./fc2-signature.ts)
// with the headers @alicloud/fc2 sends (accept, date, x-fc-account-id, x-fc-security-token for STS
// keys); FC 2.0 refuses any other signature with 403. FC 3.0 documents no replacement (a
// compatibility risk: unconfirmed how long FC keeps this for 3.0 accounts). The request goes over
// Node's fetch: no FC SDK speaks FC 2.0 but @alicloud/fc2 (see ./fc2-signature.ts for why not it).
// Errors: a 4xx/5xx with x-fc-request-id and JSON {ErrorCode, ErrorMessage} (what @alicloud/fc2
// reads; FC's error centre prints them errorCode/errorMessage: both are read).
import { CloudError } from "../../errors.js";
import { registerSecret } from "../../output/redact.js";
import { NEVER_SENT_CODES, SOCKET_ERROR_CODES } from "../network.js";
import { classifyStatus, cloudCall, retryCall } from "../retry.js";
import type { ConnectOptions } from "../types.js";
import { publicOrCustomEndpoint } from "./client.js";
import { asAliyunCredentials } from "./credentials.js";
import { hintFor, isExpiredToken, isThrottleCode } from "./errors.js";
import { withFreshKeys } from "../credential-cache.js";
import { fc2Authorization } from "./fc2-signature.js";

export const TEMP_BUCKET_PATH = "/2016-08-15/tempBucketToken";

export interface TempBucket {
  bucket: string;
  /** OSS region id, e.g. oss-cn-hangzhou. */
  ossRegion: string;
  /** Where the zip must go: <accountId>/<objectName>. */
  key: string;
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken: string };
  /** The largest zip FC takes through it, when the answer says (bytes). */
  codeSizeLimit: number | null;
}

interface TokenBody {
  credentials?: { AccessKeyId?: unknown; AccessKeySecret?: unknown; SecurityToken?: unknown };
  ossRegion?: unknown;
  ossBucket?: unknown;
  objectName?: unknown;
  codeSizeLimit?: unknown;
}

export async function getTempBucket(opts: ConnectOptions): Promise<TempBucket> {
  const creds = asAliyunCredentials(opts.credentials);
  const endpoint = await publicOrCustomEndpoint(opts, creds);
  // FC 2.0 names the account in x-fc-account-id, and the object goes under <accountId>/: the
  // account id known, or asked of STS once per run (GetCallerIdentity).
  const account = await creds.account();
  const url = `${endpoint.protocol}://${endpoint.host}${TEMP_BUCKET_PATH}`;
  // The keys of the moment for every attempt; keys whose token FC refuses are renewed once where
  // their source can renew them (as for the FC 3.0 calls, ./client.ts).
  const { body, requestId } = await withFreshKeys(creds.keys, isExpiredToken, (keys) =>
    retryCall(
      cloudCall("aliyun", "GetTempBucketToken", opts),
      async (signal) => {
        const headers: Record<string, string> = {
          accept: "application/json",
          date: new Date().toUTCString(),
          "x-fc-account-id": account,
          ...(keys.token ? { "x-fc-security-token": keys.token } : {}),
        };
        headers.authorization = fc2Authorization(keys.keyId, keys.secret, "GET", TEMP_BUCKET_PATH, headers);
        // A custom endpoint (the emulator, a proxy) has no region in its host name: say it the way
        // the FC 3.0 calls do (not part of FC 2.0's signature, which covers x-fc-* headers only).
        if (endpoint.custom) headers["x-acs-region-id"] = opts.region;
        const res = await fetch(url, { method: "GET", headers, signal }).catch((err: unknown) => {
          throw networkError(err);
        });
        return readAnswer(res);
      },
      (err) => err,
    ),
  );
  return tempBucketFrom(body, account, opts.region, requestId);
}

async function readAnswer(res: Response): Promise<{ body: TokenBody; requestId: string | undefined }> {
  const requestId = res.headers.get("x-fc-request-id") ?? undefined;
  const text = await res.text().catch((err: unknown) => {
    throw networkError(err);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.ok && json !== null && typeof json === "object") return { body: json as TokenBody, requestId };
  const { retryable, unprocessed } = classifyStatus(res.status);
  if (json === null || typeof json !== "object") {
    // A gateway's HTML page, or an answer cut short: the status decides, as everywhere.
    throw new CloudError(`GetTempBucketToken got a reply that is not FC's JSON (HTTP ${res.status})`, {
      code: res.ok ? "InvalidResponse" : `HTTP${res.status}`,
      provider: "aliyun",
      requestId,
      httpStatus: res.status,
      retryable: res.ok || retryable,
      unprocessed,
    });
  }
  const e = json as Record<string, unknown>;
  const code = firstString(e.ErrorCode, e.errorCode, e.Code) ?? `HTTP${res.status}`;
  const message = firstString(e.ErrorMessage, e.errorMessage, e.Message) ?? "the request failed";
  const throttled = isThrottleCode(code) || unprocessed;
  throw new CloudError(`GetTempBucketToken failed (HTTP ${res.status}): ${message}`, {
    code,
    provider: "aliyun",
    requestId,
    httpStatus: res.status,
    retryable: throttled || retryable,
    unprocessed: throttled,
    hint: hintFor(code) ?? (code === "RequestTimeTooSkewed" ? "check this machine's clock" : undefined),
  });
}

function tempBucketFrom(b: TokenBody, account: string, region: string, requestId: string | undefined): TempBucket {
  const c = b.credentials ?? {};
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  const [bucket, objectName, keyId, secret, token] = [text(b.ossBucket), text(b.objectName), text(c.AccessKeyId), text(c.AccessKeySecret), text(c.SecurityToken)];
  if (!bucket || !objectName || !keyId || !secret || !token) {
    throw new CloudError("GetTempBucketToken answered without a bucket, object name or credentials", {
      code: "InvalidResponse",
      provider: "aliyun",
      requestId,
      hint: "name an OSS bucket of your own with --bucket aliyun=NAME",
    });
  }
  // Lent keys are secrets like the account's own: never in any output.
  registerSecret(secret);
  registerSecret(token);
  const ossRegion = text(b.ossRegion) ?? `oss-${region}`;
  return {
    bucket,
    ossRegion: ossRegion.startsWith("oss-") ? ossRegion : `oss-${ossRegion}`,
    key: `${account}/${objectName}`,
    credentials: { accessKeyId: keyId, accessKeySecret: secret, securityToken: token },
    codeSizeLimit: typeof b.codeSizeLimit === "number" && b.codeSizeLimit > 0 ? b.codeSizeLimit : null,
  };
}

/** fetch's failures carry Node's socket code on `cause`. */
function networkError(err: unknown): unknown {
  if (err instanceof Error && err.name === "AbortError") return err;
  const cause = (err as { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === "string" ? cause.code : "";
  return new CloudError(`GetTempBucketToken failed: network error ${code || (err as Error).message}`, {
    code: "NetworkError",
    provider: "aliyun",
    retryable: code !== "ENOTFOUND",
    unprocessed: NEVER_SENT_CODES.has(code),
    hint: SOCKET_ERROR_CODES.has(code) ? "check the network and the FC endpoint" : undefined,
    cause: err,
  });
}

function firstString(...vs: unknown[]): string | undefined {
  for (const v of vs) if (typeof v === "string" && v !== "") return v;
  return undefined;
}
