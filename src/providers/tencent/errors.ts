// Everything the SDK throws, as CloudError. The SDK gives API errors a `code` and `requestId`
// (always HTTP 200), turns any other status into a bare status text with `httpCode`, and wraps
// network failures (node-fetch) into a plain message: those are recognised by their wording.
import { CloudError } from "../../errors.js";
import { codesPattern, NEVER_SENT_CODES, SOCKET_ERROR_CODES } from "../network.js";
import { classifyStatus } from "../retry.js";

interface SdkException {
  message?: unknown;
  code?: unknown;
  requestId?: unknown;
  httpCode?: unknown;
}

const THROTTLING = /^RequestLimitExceeded(\.|$)/;
const SERVER_SIDE = /^InternalError(\.|$)/;
// node-fetch's own wording for the `timeout` option the SDK sets from reqTimeout.
const TIMEOUT = /network timeout at|Response timeout while trying to fetch/;
// The SDK (node-fetch) leaves Node's code only in the message text.
const NETWORK = new RegExp(`${codesPattern(SOCKET_ERROR_CODES).source}|socket hang up|request to \\S+ failed`, "i");
const NEVER_SENT = codesPattern(NEVER_SENT_CODES);

const hints: Record<string, string> = {
  "AuthFailure.SignatureFailure": "check TENCENTCLOUD_SECRET_KEY (it must belong to TENCENTCLOUD_SECRET_ID)",
  "AuthFailure.SecretIdNotFound": "check TENCENTCLOUD_SECRET_ID: the key does not exist or was disabled",
  "AuthFailure.SignatureExpire": "the local clock is off by minutes: sync it (e.g. with NTP) and retry",
  "AuthFailure.TokenFailure": "TENCENTCLOUD_SESSION_TOKEN is invalid or expired: get new temporary credentials",
  "AuthFailure.InvalidAuthorization": "the request signature header was rejected; check the credentials",
  "UnauthorizedOperation.CAM": "the key has no permission for this SCF action: grant it in CAM",
  "LimitExceeded.LayerVersions": "SCF keeps at most 200 versions per layer: delete old versions first",
  // SCF's quota page documents 20 layers per region; the code for passing it is not documented
  // (references silent): the emulator's LimitExceeded.Layer, and any LimitExceeded.Layer* but the
  // versions one, get this hint.
  "LimitExceeded.Layer": "SCF allows at most 20 layers per region: delete a layer you no longer use (every version of it), or publish under an existing name",
  "LimitExceeded.Layers": "SCF allows at most 20 layers per region: delete a layer you no longer use (every version of it), or publish under an existing name",
  "InvalidParameterValue.CompatibleRuntimes": "see `layerctl providers` for the runtimes SCF accepts",
};

/**
 * The cloud refused the session token of the keys (SCF: AuthFailure.TokenFailure, for a token
 * that is wrong or expired alike; COS: ExpiredToken), or no longer knows a temporary SecretId
 * (AuthFailure.SecretIdNotFound, sent with a token: the common error table does not say which an
 * expired temporary key gets): new keys may help, if the source can give them.
 */
export function isExpiredToken(err: unknown, keys?: { token?: string }): boolean {
  if (!(err instanceof CloudError)) return false;
  return err.code === "AuthFailure.TokenFailure" || err.code === "ExpiredToken" || (Boolean(keys?.token) && err.code === "AuthFailure.SecretIdNotFound");
}

export function toCloudError(err: unknown, action: string, opts: { timeoutMs: number; secrets: string[] }): CloudError {
  if (err instanceof CloudError) return err;
  const e = (err ?? {}) as SdkException;
  const raw = typeof e.message === "string" ? e.message : String(err);
  const message = scrub(raw, opts.secrets);
  const requestId = typeof e.requestId === "string" && e.requestId ? e.requestId : undefined;

  if (typeof e.code === "string" && e.code) {
    const throttled = THROTTLING.test(e.code);
    return new CloudError(`${action} failed: ${message}`, {
      code: e.code,
      provider: "tencent",
      requestId,
      httpStatus: 200,
      retryable: throttled || SERVER_SIDE.test(e.code),
      unprocessed: throttled,
      hint: hints[e.code],
      cause: err,
    });
  }
  if (typeof e.httpCode === "number") {
    const status = e.httpCode;
    return new CloudError(`${action} failed: HTTP ${status} ${message}`.trim(), {
      code: "HttpError",
      provider: "tencent",
      httpStatus: status,
      ...classifyStatus(status),
      cause: err,
    });
  }
  if (TIMEOUT.test(raw)) {
    return new CloudError(`${action}: no answer within ${opts.timeoutMs} ms`, {
      code: "RequestTimeout",
      provider: "tencent",
      retryable: true,
      hint: "retry, or allow a longer request timeout for large layers or slow links",
      cause: err,
    });
  }
  if (NETWORK.test(raw)) {
    return new CloudError(`${action}: network error: ${message}`, {
      code: "NetworkError",
      provider: "tencent",
      retryable: true,
      unprocessed: NEVER_SENT.test(raw),
      cause: err,
    });
  }
  // The answer arrived but could not be read (garbled or cut short): the request was carried
  // out, or may have been, so this is as ambiguous as a lost answer.
  if (/invalid json response body|invalid response body|premature close/i.test(raw)) {
    return new CloudError(`${action}: the endpoint did not answer with JSON: ${message}`, {
      code: "InvalidResponse",
      provider: "tencent",
      retryable: true,
      cause: err,
    });
  }
  return new CloudError(`${action} failed: ${message}`, { code: "UnexpectedError", provider: "tencent", requestId, cause: err });
}

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join("****");
  return out;
}
