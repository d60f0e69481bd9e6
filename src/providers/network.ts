// Node's codes for transport failures, shared by every adapter's error mapping (each SDK wraps
// them differently; the codes are the same).

/** A connection that broke or never came up: worth another try. */
export const SOCKET_ERROR_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

/**
 * The request never reached the cloud (refused, or the host name did not resolve), so it
 * certainly had no effect. After a reset or a timeout the cloud may have acted.
 */
export const NEVER_SENT_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/** For SDKs that only leave the code in a message's text. */
export function codesPattern(codes: ReadonlySet<string>): RegExp {
  return new RegExp([...codes].join("|"));
}
