// Lambda's error envelope: the status, `x-amzn-ErrorType` (what the SDK reads the code from),
// `x-amzn-RequestId`, and a JSON body. Modelled Lambda errors carry `Type` ("User" / "Service")
// and spell the message member as the SDK's model does (`message` for most, `Message` for a few);
// errors raised by the front end before Lambda sees the call (auth, validation) carry only `message`.
import type { Reply } from "../types.js";

interface ErrorShape {
  status: number;
  /** null: a front-end error with no `Type`. */
  type: "User" | "Service" | null;
  messageKey: "message" | "Message";
}

const SHAPES: Record<string, ErrorShape> = {
  InvalidParameterValueException: { status: 400, type: "User", messageKey: "message" },
  InvalidRequestContentException: { status: 400, type: "User", messageKey: "message" },
  CodeStorageExceededException: { status: 400, type: "User", messageKey: "message" },
  ResourceNotFoundException: { status: 404, type: "User", messageKey: "Message" },
  ResourceConflictException: { status: 409, type: "User", messageKey: "message" },
  PreconditionFailedException: { status: 412, type: "User", messageKey: "message" },
  UnsupportedMediaTypeException: { status: 415, type: "User", messageKey: "message" },
  TooManyRequestsException: { status: 429, type: "User", messageKey: "message" },
  ServiceException: { status: 500, type: "Service", messageKey: "Message" },
  // Front-end (Coral) errors: not in Lambda's model, no Type.
  ValidationException: { status: 400, type: null, messageKey: "message" },
  RequestEntityTooLargeException: { status: 413, type: null, messageKey: "message" },
  MissingAuthenticationTokenException: { status: 403, type: null, messageKey: "message" },
  IncompleteSignatureException: { status: 403, type: null, messageKey: "message" },
  InvalidSignatureException: { status: 403, type: null, messageKey: "message" },
  UnrecognizedClientException: { status: 403, type: null, messageKey: "message" },
  // A temporary key past its expiry (STS session credentials): the front end's 403, like the two above.
  ExpiredTokenException: { status: 403, type: null, messageKey: "message" },
  AccessDeniedException: { status: 403, type: null, messageKey: "Message" },
  UnknownOperationException: { status: 404, type: null, messageKey: "message" },
};

export type AwsErrorCode = keyof typeof SHAPES;

/** Thrown by handlers; index.ts turns it into the reply. */
export class AwsApiError extends Error {
  constructor(
    readonly code: AwsErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorReply(err: AwsApiError, requestId: string): Reply {
  const shape = SHAPES[err.code]!;
  const body: Record<string, unknown> = {};
  if (shape.type) body.Type = shape.type;
  body[shape.messageKey] = err.message;
  Object.assign(body, err.extra);
  return {
    status: shape.status,
    headers: {
      "x-amzn-RequestId": requestId,
      "x-amzn-ErrorType": err.code,
      "content-type": "application/json",
      ...err.headers,
    },
    body,
  };
}

/** Lambda's API throttling answer: 429 with Retry-After (seconds) and the Reason member. */
export function throttled(): AwsApiError {
  return new AwsApiError("TooManyRequestsException", "Rate exceeded", { Reason: "CallerRateLimitExceeded" }, { "Retry-After": "1" });
}

export function serviceError(): AwsApiError {
  return new AwsApiError("ServiceException", "An internal error occurred in the Lambda service. Please try again.");
}

export const NOT_FOUND_MESSAGE = "The resource you requested does not exist.";

export function layerVersionNotFound(): AwsApiError {
  return new AwsApiError("ResourceNotFoundException", NOT_FOUND_MESSAGE);
}
