// Server-side SigV4 check: recompute the signature from the raw request exactly as
// @smithy/signature-v4 builds it, and answer with the errors Lambda's front end gives.
// Non-S3 services sign the path *encoded twice*: the wire path is already percent-encoded and
// the canonical path escapes it once more (so ':' on the wire as %3A is signed as %253A).
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IssuedKey, KeyStore } from "../keys.js";
import type { IncomingCall } from "../types.js";
import { bodySha256Hex } from "../body.js";
import { AwsApiError } from "./errors.js";

const ALGORITHM = "AWS4-HMAC-SHA256";
const AMZ_DATE = /^(\d{8})T\d{6}Z$/;

export interface SigV4Identity {
  accessKeyId: string;
  /** From the credential scope: the region the client is talking to. */
  region: string;
  /** The caller's account: the account's own key, or the account of the role a temporary key is for. */
  account: string;
  /** For a temporary key: the role session it belongs to. */
  session?: IssuedKey;
}

/** The errors one service gives for a key it does not know and a session token that does not open it. */
export interface KeyErrors {
  unknownKey(): Error;
  badToken(problem: "missing" | "mismatch"): Error;
  expiredToken(): Error;
}

/** Lambda's front end (and STS's): 403 for all three; the messages are the ones botocore users quote. */
export const LAMBDA_KEY_ERRORS: KeyErrors = {
  unknownKey: () => new AwsApiError("UnrecognizedClientException", "The security token included in the request is invalid."),
  badToken: () => new AwsApiError("UnrecognizedClientException", "The security token included in the request is invalid."),
  expiredToken: () => new AwsApiError("ExpiredTokenException", "The security token included in the request is expired"),
};

/**
 * The key a request is signed with, looked up: the account's, or a temporary one, which must come
 * with the session token STS issued it with (X-Amz-Security-Token) and not have expired.
 */
export function lookUpKey(keys: KeyStore, keyId: string, token: string | undefined, errors: KeyErrors): { secret: string; account: string; session?: IssuedKey } {
  const found = keys.find(keyId);
  if (!found) throw errors.unknownKey();
  const problem = keys.tokenProblem(found, token);
  if (problem === "expired") throw errors.expiredToken();
  if (problem) throw errors.badToken(problem);
  return { secret: found.secret, account: found.account, session: found.temporary ? found.key : undefined };
}

interface ParsedAuthorization {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string;
  signature: string;
}

/** What the header checks established, for the signature check once the body is in. */
export interface AdmittedSigV4 extends SigV4Identity {
  auth: ParsedAuthorization;
  amzDate: string;
  signed: string[];
  /** The key's secret, for the signature check once the body is in. */
  secret: string;
}

/**
 * The checks that need only the headers, made before the body is read: a well-formed
 * Authorization, a known key (with its session token), a date within the clock window and a
 * valid scope for `service`.
 */
export function checkSigV4Headers(
  call: IncomingCall,
  keys: KeyStore | ((region: string) => KeyStore),
  now: Date,
  maxSkewMs: number,
  service = "lambda",
  errors: KeyErrors = LAMBDA_KEY_ERRORS,
): AdmittedSigV4 {
  const header = headerValue(call, "authorization");
  if (header === undefined || header === "") {
    throw new AwsApiError("MissingAuthenticationTokenException", "Missing Authentication Token");
  }
  const auth = parseAuthorization(header);
  const amzDate = amzDateOf(call);
  if (amzDate === undefined) {
    throw new AwsApiError("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  // A partition has accounts and keys of its own: the key is looked up in the scope's partition.
  const key = lookUpKey(typeof keys === "function" ? keys(auth.region) : keys, auth.accessKeyId, headerValue(call, "x-amz-security-token"), errors);
  checkClock(amzDate, now, maxSkewMs);
  if (auth.scopeDate !== amzDate.slice(0, 8)) {
    throw new AwsApiError(
      "InvalidSignatureException",
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (auth.service !== service) {
    throw new AwsApiError("InvalidSignatureException", `Credential should be scoped to correct service: '${service}'. `);
  }
  if (auth.terminator !== "aws4_request") {
    throw new AwsApiError("InvalidSignatureException", `Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'. `);
  }
  if (!/^[a-z0-9-]+$/.test(auth.region)) {
    throw new AwsApiError("InvalidSignatureException", "Credential should be scoped to a valid region. ");
  }
  const signed = auth.signedHeaders.split(";");
  if (!signed.includes("host")) {
    throw new AwsApiError("InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  return { accessKeyId: auth.accessKeyId, region: auth.region, account: key.account, session: key.session, secret: key.secret, auth, amzDate, signed };
}

/** The check that needs the body: the signature over the canonical request. */
export function checkSigV4Signature(call: IncomingCall, admitted: AdmittedSigV4): void {
  const { auth, amzDate, signed, secret: secretAccessKey } = admitted;
  const canonical = canonicalRequest(call, signed, auth.signedHeaders);
  const scope = `${auth.scopeDate}/${auth.region}/${auth.service}/${auth.terminator}`;
  const stringToSign = `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
  let key: Buffer = hmac(`AWS4${secretAccessKey}`, auth.scopeDate);
  for (const part of [auth.region, auth.service, auth.terminator]) key = hmac(key, part);
  const expected = createHmac("sha256", key).update(stringToSign, "utf8").digest();
  const given = /^[0-9a-f]{64}$/.test(auth.signature) ? Buffer.from(auth.signature, "hex") : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AwsApiError(
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  }
}

function parseAuthorization(header: string): ParsedAuthorization {
  const space = header.indexOf(" ");
  const algorithm = space === -1 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw new AwsApiError("IncompleteSignatureException", `Unsupported AWS 'algorithm': '${algorithm}'.`);
  }
  const params = new Map<string, string>();
  for (const part of header.slice(space + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ["Credential", "Signature", "SignedHeaders"].filter((k) => !params.get(k));
  if (missing.length > 0) {
    throw new AwsApiError("IncompleteSignatureException", missing.map((k) => `Authorization header requires '${k}' parameter.`).join(" "));
  }
  const cred = params.get("Credential")!.split("/");
  if (cred.length !== 5 || cred.some((c) => c === "")) {
    throw new AwsApiError(
      "IncompleteSignatureException",
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${params.get("Credential")!.split("/").slice(1).join("/")}'`,
    );
  }
  const [accessKeyId, scopeDate, region, service, terminator] = cred as [string, string, string, string, string];
  return { accessKeyId, scopeDate, region, service, terminator, signedHeaders: params.get("SignedHeaders")!, signature: params.get("Signature")! };
}

function amzDateOf(call: IncomingCall): string | undefined {
  const x = headerValue(call, "x-amz-date");
  if (x !== undefined) return AMZ_DATE.test(x) ? x : undefined;
  const d = headerValue(call, "date");
  if (d === undefined) return undefined;
  const t = new Date(d);
  return Number.isNaN(t.getTime()) ? undefined : longDate(t);
}

// SigV4: "a request must reach AWS within five minutes of the time stamp in the request"
// (IAM User Guide, reference_aws-signing.html); the message shape is the service's, e.g.
// "Signature expired: 20131008T001036Z is now earlier than 20131008T001112Z (20131008T001612Z - 5 min.)"
// (quoted in boto/botocore#149).
function checkClock(amzDate: string, now: Date, maxSkewMs: number): void {
  const t = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  const skew = describeSkew(maxSkewMs);
  if (t < now.getTime() - maxSkewMs) {
    throw new AwsApiError(
      "InvalidSignatureException",
      `Signature expired: ${amzDate} is now earlier than ${longDate(new Date(now.getTime() - maxSkewMs))} (${longDate(now)} - ${skew}.)`,
    );
  }
  if (t > now.getTime() + maxSkewMs) {
    throw new AwsApiError(
      "InvalidSignatureException",
      `Signature not yet current: ${amzDate} is still later than ${longDate(new Date(now.getTime() + maxSkewMs))} (${longDate(now)} + ${skew}.)`,
    );
  }
}

function describeSkew(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} sec`;
}

function canonicalRequest(call: IncomingCall, signed: string[], signedHeaders: string): string {
  const headers = signed.map((name) => `${name}:${normalizeHeader(headerValue(call, name) ?? "")}`).join("\n");
  return [call.method, canonicalPath(call.rawPath), canonicalQuery(call.url.search), headers, "", signedHeaders, bodySha256Hex(call)].join("\n");
}

/** As the signer does: drop empty and "." segments, resolve "..", then escape the (already encoded) path again. */
export function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const seg of rawPath.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") segments.pop();
    else segments.push(seg);
  }
  const normalized = `${rawPath.startsWith("/") ? "/" : ""}${segments.join("/")}${segments.length > 0 && rawPath.endsWith("/") ? "/" : ""}`;
  return escapeUri(normalized).replace(/%2F/g, "/");
}

export function canonicalQuery(search: string): string {
  const q = search.startsWith("?") ? search.slice(1) : search;
  if (q === "") return "";
  const pairs: Array<[string, string]> = [];
  for (const part of q.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? "" : part.slice(eq + 1);
    if (decode(key).toLowerCase() === "x-amz-signature") continue;
    pairs.push([escapeUri(decode(key)), escapeUri(decode(value))]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** RFC 3986 unreserved characters stay; everything else is %XX (encodeURIComponent leaves !'()* alone). */
function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function normalizeHeader(v: string): string {
  return v
    .replace(/[\r\n]/g, " ")
    .replace(/[ \t]+/g, " ")
    .replace(/^ | $/g, "");
}

function headerValue(call: IncomingCall, name: string): string | undefined {
  const v = call.headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(",") : v;
}

function longDate(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}
