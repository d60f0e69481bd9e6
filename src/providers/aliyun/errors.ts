// Every failure of an FC call becomes one CloudError, in this one function. The SDK throws:
//   ThrottlingError / ClientError / ServerError (openapi-core AlibabaCloudError): HTTP 4xx/5xx with
//     FC's JSON {Code, Message, RequestId}; `code`, `statusCode`, `requestId` (the string
//     "undefined" when absent), `data` (the parsed body), ThrottlingError.retryAfter in ms from
//     the x-acs-retry-after header;
//   httpx errors: name "RequestTimeoutError" for its connect/read timers, Node socket errors
//     (ECONNRESET, ECONNREFUSED...) otherwise;
//   SyntaxError when a reply is not JSON (e.g. a proxy's HTML page).
import { CloudError, LayerctlError } from "../../errors.js";
import { NEVER_SENT_CODES, SOCKET_ERROR_CODES } from "../network.js";
import { classifyStatus } from "../retry.js";
import { aliyunEnv } from "./limits.js";

interface SdkError {
  name?: string;
  code?: unknown;
  statusCode?: unknown;
  requestId?: unknown;
  retryAfter?: unknown;
  message?: unknown;
  data?: Record<string, unknown>;
}

const SDK_ERROR_NAMES = new Set(["ThrottlingError", "ClientError", "ServerError", "AlibabaCloudError"]);

/**
 * FC turning a request away for load, by its own codes (FC error centre: 429 ResourceExhausted,
 * 503 ResourceThrottled) or the gateway's (any code containing "Throttling", which is all the SDK
 * recognises): nothing was carried out, so even a creating call may be repeated.
 */
export function isThrottleCode(code: string): boolean {
  return code === "ResourceExhausted" || code === "ResourceThrottled" || code.includes("Throttling");
}

/** The security token of the keys has expired (the gateway's InvalidSecurityToken.Expired; OSS's SecurityTokenExpired). */
export function isExpiredToken(err: unknown): boolean {
  return err instanceof CloudError && (err.code === "InvalidSecurityToken.Expired" || err.code === "SecurityTokenExpired");
}

export function toCloudError(err: unknown, action: string): LayerctlError {
  if (err instanceof LayerctlError) return err;
  const e = (err ?? {}) as SdkError;
  const name = typeof e.name === "string" ? e.name : "";

  if (SDK_ERROR_NAMES.has(name)) {
    const code = typeof e.code === "string" && e.code !== "undefined" && e.code !== "" ? e.code : "UnknownError";
    const status = typeof e.statusCode === "number" ? e.statusCode : undefined;
    const requestId = cleanId(e.requestId) ?? cleanId(e.data?.RequestId) ?? cleanId(e.data?.requestId);
    const text = firstString(e.data?.Message, e.data?.message) ?? "the request failed";
    const byStatus = status === undefined ? { retryable: false, unprocessed: false } : classifyStatus(status);
    const throttled = name === "ThrottlingError" || isThrottleCode(code) || byStatus.unprocessed;
    const retryAfterMs = typeof e.retryAfter === "number" && e.retryAfter > 0 ? e.retryAfter : undefined;
    return new CloudError(`${action} failed${status ? ` (HTTP ${status})` : ""}: ${text}`, {
      code,
      provider: "aliyun",
      requestId,
      httpStatus: status,
      retryable: throttled || byStatus.retryable,
      // Throttled requests were turned away before FC acted on them.
      unprocessed: throttled,
      retryAfterMs,
      hint: hintFor(code),
      cause: err,
    });
  }

  if (name === "RequestTimeoutError" || /RequestTimeout/.test(name)) {
    return new CloudError(`${action} got no complete answer within the request timeout`, {
      code: "RequestTimeout",
      provider: "aliyun",
      retryable: true,
      hint: "raise --timeout for large layers on slow links",
      cause: err,
    });
  }

  const sockCode = typeof e.code === "string" ? e.code : undefined;
  if (sockCode && (SOCKET_ERROR_CODES.has(sockCode) || sockCode === "ENOTFOUND")) {
    return new CloudError(`${action} failed: network error ${sockCode}`, {
      code: "NetworkError",
      provider: "aliyun",
      retryable: sockCode !== "ENOTFOUND",
      unprocessed: NEVER_SENT_CODES.has(sockCode),
      hint: sockCode === "ENOTFOUND" ? `check the region, ${aliyunEnv.accountId} and ${aliyunEnv.endpoint}` : undefined,
      cause: err,
    });
  }

  // The SDK parses the body before it exposes the status, so a reply that is not JSON (a
  // gateway's HTML 502, a garbled or cut-short success) arrives here without one. Either way the
  // request was sent and may have been carried out: retryable, and ambiguous for creating calls,
  // exactly as a 5xx is (what such pages almost always are).
  if (err instanceof SyntaxError) {
    return new CloudError(`${action} got a reply that is not FC's JSON`, {
      code: "InvalidResponse",
      provider: "aliyun",
      retryable: true,
      hint: `the call may have been carried out; if this persists, check that ${aliyunEnv.endpoint} points at Function Compute 3.0`,
      cause: err,
    });
  }

  const message = typeof e.message === "string" ? e.message : String(err);
  return new CloudError(`${action} failed: ${message}`, { code: "UnknownError", provider: "aliyun", cause: err });
}

/** FC's codes (error centre: InvalidAccessKeyID, SignatureNotMatch) and the gateway's older spellings. */
export function hintFor(code: string): string | undefined {
  if (code === "InvalidAccessKeyID" || code === "InvalidAccessKeyId.NotFound" || code === "InvalidAccessKeyId") return `check ${aliyunEnv.accessKeyId}`;
  if (code === "SignatureNotMatch" || code === "SignatureDoesNotMatch") return `check ${aliyunEnv.accessKeySecret}`;
  if (code.startsWith("InvalidTimeStamp")) return "check this machine's clock";
  if (code.startsWith("InvalidSecurityToken")) return `refresh ${aliyunEnv.securityToken}`;
  return undefined;
}

function cleanId(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" && v !== "undefined" && v !== "null" ? v : undefined;
}

function firstString(...vs: unknown[]): string | undefined {
  for (const v of vs) if (typeof v === "string" && v !== "") return v;
  return undefined;
}
