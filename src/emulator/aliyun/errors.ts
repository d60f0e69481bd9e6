// FC 3.0 error replies: a 4xx/5xx status with JSON {Code, Message, RequestId}. The SDK reads
// Code/Message/RequestId from the body (either case) and turns a Code containing "Throttling" into
// a ThrottlingError, other 4xx into ClientError and 5xx into ServerError. An empty or non-JSON
// error body makes the SDK throw a parse error instead, so every error carries this body.
import type { Reply } from "../types.js";

export class FcError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** FC answers with its request id in a header on every reply, success or not. */
export function requestIdHeaders(requestId: string): Record<string, string> {
  return { "x-acs-request-id": requestId, "x-fc-request-id": requestId };
}

export function errorReply(err: FcError, requestId: string): Reply {
  return {
    status: err.status,
    headers: { ...requestIdHeaders(requestId), ...err.headers },
    body: { Code: err.code, Message: err.message, RequestId: requestId },
  };
}

// Codes and statuses. Sources: FC's error centre (help.aliyun.com/zh/fc/developer-reference/error-codes:
// InvalidArgument, MissingRequiredHeader, PathNotSupported, EntityTooLarge 400; AccessDenied,
// SignatureNotMatch, InvalidAccessKeyID 403; ResourceExhausted 429; InternalServerError 500;
// ResourceThrottled 503), the FC 3.0 layer resources in terraform-provider-alicloud (LayerNotFound,
// LayerVersionNotFound, FunctionNotFound), and the Alibaba Cloud OpenAPI gateway's common errors
// for what FC's table does not list (IncompleteSignature, InvalidTimeStamp.*, SignatureNonceUsed).
// Older clients and proxies still see the gateway's spellings (InvalidAccessKeyId.NotFound,
// SignatureDoesNotMatch, Throttling.User): the adapter recognises both, the emulator speaks FC's.
export const fcErrors = {
  invalidArgument: (message: string) => new FcError(400, "InvalidArgument", message),
  missingHeader: (name: string) => new FcError(400, "MissingRequiredHeader", `required HTTP header ${name} was not specified`),
  pathNotSupported: (method: string, path: string) => new FcError(400, "PathNotSupported", `'${method}' against '${path}' is not supported`),
  entityTooLarge: (max: number) => new FcError(400, "EntityTooLarge", `payload size exceeds maximum allowed size (${max} bytes)`),
  accessDenied: (message: string) => new FcError(403, "AccessDenied", message),

  incompleteSignature: (detail: string) => new FcError(400, "IncompleteSignature", `The request signature does not conform to Aliyun standards. ${detail}`),
  unknownAccessKey: (keyId: string) => new FcError(403, "InvalidAccessKeyID", `invalid access key ID '${keyId}'`),
  signatureMismatch: (detail: string) =>
    new FcError(403, "SignatureNotMatch", `The request signature we calculated does not match the signature you provided. Check your access key and signing method. ${detail}`),
  timestampFormat: () => new FcError(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."),
  timestampExpired: () => new FcError(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."),
  nonceUsed: () => new FcError(400, "SignatureNonceUsed", "Specified signature nonce was used already."),
  // STS keys: "MissingSecurityToken: SecurityToken is mandatory for this action." is documented
  // (Alibaba Cloud, "How to handle the common errors when you access OSS by using STS"); the
  // gateway's InvalidSecurityToken.* codes for a wrong or expired token are, their statuses and
  // wording are not: 400 and these messages are ours.
  missingSecurityToken: () => new FcError(400, "MissingSecurityToken", "SecurityToken is mandatory for this action."),
  securityTokenMismatch: () => new FcError(400, "InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey."),
  securityTokenExpired: () => new FcError(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired."),

  layerNotFound: (name: string) => new FcError(404, "LayerNotFound", `layer '${name}' does not exist`),
  layerVersionNotFound: (name: string, version: string) => new FcError(404, "LayerVersionNotFound", `version '${version}' of layer '${name}' does not exist`),
  functionNotFound: (name: string) => new FcError(404, "FunctionNotFound", `function '${name}' does not exist`),
  functionVersionNotFound: (name: string, version: string) => new FcError(404, "VersionNotFound", `version '${version}' of function '${name}' does not exist`),
  functionExists: (name: string) => new FcError(409, "FunctionAlreadyExists", `function '${name}' already exists`),

  // FC's own throttling code (the SDK raises a plain ClientError for it: it only recognises codes
  // containing "Throttling"); FC also answers 503 ResourceThrottled when it lacks capacity.
  throttled: () => new FcError(429, "ResourceExhausted", "Request was denied due to resource flow control; retry later."),
  internal: () => new FcError(500, "InternalServerError", "An internal error has occurred. Please retry your request."),
};

/** How an API refuses a key it does not know and a signature that does not match. */
export interface AuthErrors {
  unknownAccessKey: (keyId: string) => FcError;
  signatureMismatch: (detail: string) => FcError;
}

/** FC 3.0: its error centre's 403 InvalidAccessKeyID and 403 SignatureNotMatch. */
export const fcAuthErrors: AuthErrors = { unknownAccessKey: fcErrors.unknownAccessKey, signatureMismatch: fcErrors.signatureMismatch };

/**
 * The OpenAPI gateway's common errors, which the APIs it fronts answer (STS: sts.ts): 404
 * InvalidAccessKeyId.NotFound and 400 SignatureDoesNotMatch. FC speaks its own (fcAuthErrors).
 */
export const gatewayAuthErrors: AuthErrors = {
  unknownAccessKey: () => new FcError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."),
  signatureMismatch: (detail: string) => new FcError(400, "SignatureDoesNotMatch", `Specified signature is not matched with our calculation. ${detail}`),
};
