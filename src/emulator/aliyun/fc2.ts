// FC 2.0 (API 2016-08-15) as FC answers it, for the one operation of it served here (FC's
// temporary bucket token, ./temp-bucket.ts). FC 2.0 authenticates its own way, and only its own
// way: the FC 2.0 "Signature authentication" page (help.aliyun.com/document_detail/53252):
//   Authorization: FC <AccessKeyId>:<base64(HMAC-SHA256(secret, string to sign))>
//   string to sign = VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedFCHeaders
//                    (every x-fc-* header, lower-cased, sorted, "k:v\n") CanonicalizedResource
//                    (the request path, decoded, without its query)
// "a request that has no Authorization header or an invalid signature gets HTTP 403": so an ACS3
// request (the FC 3.0 scheme) gets 403 SignatureNotMatch here. The Date header is RFC 1123 in GMT
// and "must be within 15 minutes of FC's time, or FC refuses the request" (same page); the code
// for that refusal is not documented (references silent): 403 RequestTimeTooSkewed, OSS's code
// for the same check, is our choice. Codes otherwise from FC's error centre (403 SignatureNotMatch,
// 403 InvalidAccessKeyID, 400 MissingRequiredHeader, 400 PathNotSupported). Error replies carry
// x-fc-request-id and JSON {ErrorCode, ErrorMessage}: what the FC 2.0 SDK (@alicloud/fc2
// lib/client.js) reads; the error centre prints the same fields as errorCode/errorMessage.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { KeyStore } from "../keys.js";
import type { IncomingCall, Reply } from "../types.js";
import { FcError, fcErrors, requestIdHeaders } from "./errors.js";
import type { AliyunContext } from "./index.js";
import { refuseBadToken, type Caller } from "./signature.js";

export const FC2_PREFIX = "/2016-08-15/";

const AUTH = /^FC ([^:\s]+):([A-Za-z0-9+/]+={0,2})$/;
/** RFC 1123 as HTTP writes it: "Mon, 02 Jan 2006 15:04:05 GMT". */
const RFC1123 = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

export function isFc2(call: IncomingCall): boolean {
  return call.rawPath.startsWith(FC2_PREFIX);
}

export const fc2Errors = {
  signatureNotMatch: (detail: string) =>
    new FcError(403, "SignatureNotMatch", `The request signature we calculated does not match the signature you provided. Check your access key and signing method. ${detail}`),
  clockSkew: (date: string) => new FcError(403, "RequestTimeTooSkewed", `the request time '${date}' differs from the server time by more than 15 minutes`),
};

export class Fc2Verifier {
  constructor(
    private readonly ctx: AliyunContext,
    private readonly keys: KeyStore,
  ) {}

  /** Everything but Content-MD5 against the body is checked on the headers: FC 2.0 does not sign the body itself. */
  verifyHeaders(call: IncomingCall): Caller {
    const auth = header(call, "authorization");
    if (!auth) throw fc2Errors.signatureNotMatch("The Authorization header is missing.");
    const m = AUTH.exec(auth.trim());
    if (!m) throw fc2Errors.signatureNotMatch('FC 2.0 takes "Authorization: FC <AccessKeyId>:<signature>" only.');
    const [, keyId, signature] = m as unknown as [string, string, string];
    const date = header(call, "date");
    if (!date) throw new FcError(400, "MissingRequiredHeader", "required HTTP header Date was not specified");
    const found = this.keys.find(keyId);
    if (!found) throw fcErrors.unknownAccessKey(keyId);
    // STS keys send their token in x-fc-security-token (an x-fc-* header, so signed), as
    // @alicloud/fc2's buildHeaders does for an "STS." key; the account's own keys send none. Refused
    // as the FC 3.0 (ACS3) path refuses them: no token, another key's token, or past its expiry.
    refuseBadToken(this.keys, found, header(call, "x-fc-security-token"));
    const when = RFC1123.test(date) ? Date.parse(date) : Number.NaN;
    if (Number.isNaN(when) || Math.abs(this.ctx.now().getTime() - when) > this.ctx.tuning.maxClockSkewMs) throw fc2Errors.clockSkew(date);
    const account = header(call, "x-fc-account-id");
    if (account !== undefined && account !== found.account) {
      throw new FcError(403, "AccessDenied", `the access key ${keyId} does not belong to account ${account}`);
    }
    const toSign = stringToSign(call);
    const expected = createHmac("sha256", found.secret).update(toSign, "utf8").digest();
    const given = Buffer.from(signature, "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      // Like FC, show the string we signed (no secret in it).
      throw fc2Errors.signatureNotMatch(`server string to sign is:${JSON.stringify(toSign)}`);
    }
    return { accessKeyId: keyId, accountId: found.account, session: found.temporary ? found.key : undefined };
  }

  /** An STS key has not expired since its headers were admitted; Content-MD5, when sent, is signed: the body must be the one it names. */
  verifyBody(call: IncomingCall, caller?: Caller): void {
    if (this.keys.expiredSince(caller?.session)) throw fcErrors.securityTokenExpired();
    const md5 = header(call, "content-md5");
    if (md5 !== undefined && md5 !== createHash("md5").update(call.body).digest("base64")) {
      throw new FcError(400, "InvalidArgument", "Content-MD5 does not match the request body");
    }
  }
}

function stringToSign(call: IncomingCall): string {
  const fcHeaders = Object.keys(call.headers)
    .filter((h) => h.startsWith("x-fc-"))
    .sort()
    .map((h) => `${h}:${header(call, h)}\n`)
    .join("");
  let resource = call.rawPath;
  try {
    resource = decodeURIComponent(resource);
  } catch {
    // kept as sent: it then matches no signature made over a decoded path
  }
  return [call.method, header(call, "content-md5") ?? "", header(call, "content-type") ?? "", header(call, "date") ?? "", `${fcHeaders}${resource}`].join("\n");
}

function header(call: IncomingCall, name: string): string | undefined {
  const v = call.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** FC 2.0's error envelope. */
export function fc2ErrorReply(err: FcError, requestId: string): Reply {
  return {
    status: err.status,
    headers: { ...requestIdHeaders(requestId), ...err.headers },
    body: { ErrorCode: err.code, ErrorMessage: err.message },
  };
}
