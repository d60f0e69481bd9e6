// Every failure of a Lambda call becomes a CloudError carrying Lambda's error code (the SDK error's
// name, read from x-amzn-ErrorType), the request id, the HTTP status and whether to try again.
import { CloudError, LayerctlError } from "../../errors.js";
import { NEVER_SENT_CODES, SOCKET_ERROR_CODES } from "../network.js";
import { classifyStatus } from "../retry.js";

/** Codes Lambda and the AWS front end use for "slow down". */
const THROTTLING = new Set(["TooManyRequestsException", "ThrottlingException", "Throttling", "ThrottledException", "RequestLimitExceeded"]);
const AUTH = new Set([
  "InvalidSignatureException",
  "UnrecognizedClientException",
  "IncompleteSignatureException",
  "MissingAuthenticationTokenException",
  "ExpiredTokenException",
  "AccessDeniedException",
]);

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: { throttling?: boolean };
  retryAfterSeconds?: string;
}

export interface ErrorContext {
  action: string;
  timeoutMs: number;
  /** Credential values that must never show in a message. */
  secrets: string[];
}

/** The session token of the keys has expired (Lambda's front end: ExpiredTokenException; S3: ExpiredToken). */
export function isExpiredToken(err: unknown): boolean {
  return err instanceof CloudError && (err.code === "ExpiredTokenException" || err.code === "ExpiredToken");
}

export function toCloudError(err: unknown, ctx: ErrorContext): LayerctlError {
  if (err instanceof LayerctlError) return err;
  const e = (err ?? {}) as SdkError;
  const scrub = (s: string) => ctx.secrets.reduce((out, secret) => out.split(secret).join("****"), s);
  const message = scrub(typeof e.message === "string" && e.message ? e.message : String(err));

  const status = e.$metadata?.httpStatusCode;
  // A success status with an error: the answer could not be read (truncated, garbled) after
  // Lambda acted on the request. Ambiguous, like a lost answer: the version may exist.
  if (status !== undefined && status >= 200 && status < 300) return unreadable(err, ctx.action, message, e.$metadata?.requestId, status);

  if (e.$metadata?.httpStatusCode !== undefined && status !== undefined) {
    const code = e.name && e.name !== "Error" ? e.name : `HTTP${status}`;
    const retryAfter = e.retryAfterSeconds !== undefined ? Number.parseFloat(e.retryAfterSeconds) : Number.NaN;
    const throttled = classifyStatus(status).unprocessed || THROTTLING.has(code) || e.$retryable?.throttling === true;
    return new CloudError(`${ctx.action}: ${message}`, {
      code,
      provider: "aws",
      requestId: e.$metadata.requestId,
      httpStatus: status,
      retryable: throttled || classifyStatus(status).retryable,
      // Throttled requests were turned away before Lambda acted on them.
      unprocessed: throttled,
      retryAfterMs: Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.round(retryAfter * 1000) : undefined,
      hint: hintFor(code),
      cause: err,
    });
  }

  // Our own timeout: the request handler's requestTimeout (ETIMEDOUT), socket or connect timeouts.
  if (e.name === "TimeoutError" && (e.code === undefined || e.code === "ETIMEDOUT")) {
    return new CloudError(`${ctx.action}: no complete answer within ${ctx.timeoutMs} ms`, {
      code: "RequestTimeout",
      provider: "aws",
      retryable: true,
      hint: "the network or Lambda is slow; retry, or raise the request timeout",
      cause: err,
    });
  }
  if ((e.code && SOCKET_ERROR_CODES.has(e.code)) || /socket hang up/i.test(message)) {
    return new CloudError(`${ctx.action}: connection failed (${e.code ?? "socket hang up"}): ${message}`, {
      code: "NetworkError",
      provider: "aws",
      retryable: true,
      unprocessed: e.code !== undefined && NEVER_SENT_CODES.has(e.code),
      hint: "check the network and the endpoint",
      cause: err,
    });
  }
  if (e.name === "SyntaxError" || /Deserialization error/i.test(message)) return unreadable(err, ctx.action, message, undefined, undefined);
  return new CloudError(`${ctx.action}: ${message}`, { code: e.name && e.name !== "Error" ? e.name : "CloudError", provider: "aws", cause: err });
}

/** An answer that arrived but cannot be read: retryable, and ambiguous (the request was sent). */
function unreadable(err: unknown, action: string, message: string, requestId: string | undefined, status: number | undefined): CloudError {
  return new CloudError(`${action}: the answer could not be read (${message})`, {
    code: "InvalidResponse",
    provider: "aws",
    requestId,
    httpStatus: status,
    retryable: true,
    hint: "the connection or a proxy damaged the answer; the call may have been carried out",
    cause: err,
  });
}

function hintFor(code: string): string | undefined {
  if (code === "InvalidSignatureException" || code === "IncompleteSignatureException") {
    return "check AWS_SECRET_ACCESS_KEY (or the profile's secret) and that the system clock is right";
  }
  if (AUTH.has(code)) return "check the AWS credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN or the profile) and their permissions";
  if (code === "RequestEntityTooLargeException") return "the zip is too large to upload inline; make the layer smaller";
  if (THROTTLING.has(code)) return "Lambda is throttling this account; retry later or publish to fewer regions at once";
  return undefined;
}
