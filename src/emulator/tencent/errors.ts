// Tencent Cloud API 3.0 answers every API error with HTTP 200 and an Error object inside Response:
// the SDK only reads the body of a 200 (any other status becomes a bare status-text exception).
import type { Reply } from "../types.js";

/** Thrown anywhere inside a handler; index.ts turns it into the error envelope. */
export class TencentApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function okReply(requestId: string, data: Record<string, unknown>): Reply {
  return { status: 200, body: { Response: { ...data, RequestId: requestId } } };
}

export function errorReply(requestId: string, code: string, message: string): Reply {
  return { status: 200, body: { Response: { Error: { Code: code, Message: message }, RequestId: requestId } } };
}

// Shorthands for the codes every action shares (common error codes of API 3.0).
export const missing = (name: string) => new TencentApiError("MissingParameter", `The request is missing a required parameter \`${name}\`.`);
export const wrongType = (name: string, expected: string) => new TencentApiError("InvalidParameter", `The parameter \`${name}\` must be ${expected}.`);
