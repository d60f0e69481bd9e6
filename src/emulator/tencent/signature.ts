// Server side of TC3-HMAC-SHA256: recompute the signature from the raw request and compare.
// Two accommodations for a local endpoint, both matching what the official SDK sends:
// the service comes from the credential scope (the SDK derives it from the first DNS label of
// the endpoint, `127` for 127.0.0.1), and the signed host carries no port.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IssuedKey, KeyStore } from "../keys.js";
import type { IncomingCall } from "../types.js";
import { bodySha256Hex } from "../body.js";
import { TencentApiError, missing } from "./errors.js";

export const ALGORITHM = "TC3-HMAC-SHA256";

export interface ParsedAuthorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export function header(call: IncomingCall, name: string): string | undefined {
  const v = call.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(",") : v;
}

export function parseAuthorization(value: string | undefined): ParsedAuthorization {
  const invalid = (why: string) => new TencentApiError("AuthFailure.InvalidAuthorization", `The Authorization header is not valid for ${ALGORITHM}: ${why}.`);
  if (!value) throw invalid("it is missing");
  const space = value.indexOf(" ");
  if (space === -1 || value.slice(0, space) !== ALGORITHM) throw invalid(`the algorithm must be ${ALGORITHM}`);
  const fields = new Map<string, string>();
  for (const part of value.slice(space + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq === -1) throw invalid(`"${part.trim()}" is not key=value`);
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!credential || !signedHeaders || !signature) throw invalid("Credential, SignedHeaders and Signature are required");
  const scope = credential.split("/");
  if (scope.length !== 4 || scope[3] !== "tc3_request" || !scope[0] || !/^\d{4}-\d{2}-\d{2}$/.test(scope[1]!) || !scope[2]) {
    throw invalid("Credential must be SecretId/YYYY-MM-DD/service/tc3_request");
  }
  const headers = signedHeaders.split(";").map((h) => h.trim().toLowerCase());
  if (!headers.includes("content-type") || !headers.includes("host")) throw invalid("SignedHeaders must include content-type and host");
  if (!/^[0-9a-f]{64}$/.test(signature)) throw invalid("Signature must be 64 hex digits");
  return { secretId: scope[0], date: scope[1]!, service: scope[2]!, signedHeaders: headers, signature };
}

export interface AdmittedAuthorization extends ParsedAuthorization {
  timestamp: number;
  /** The key's secret, to check the signature with once the body is in. */
  secretKey: string;
  /** The caller's account (uin) and, for a temporary key, the role session it belongs to. */
  account: string;
  role?: { arn: string; name: string; session: string };
  /** The temporary key, if one signed the request. */
  issued?: IssuedKey;
}

/**
 * The checks that need only the headers (made before the body is read): a well-formed
 * Authorization, a known SecretId (the account's, or a temporary one with its X-TC-Token), a
 * timestamp within the clock window. Throws the provider's AuthFailure.* (or MissingParameter).
 */
export function checkAuthHeaders(call: IncomingCall, keys: KeyStore, nowMs: number, maxSkewMs: number): AdmittedAuthorization {
  const auth = parseAuthorization(header(call, "authorization"));
  const found = keys.find(auth.secretId);
  if (!found) {
    throw new TencentApiError("AuthFailure.SecretIdNotFound", "The SecretId does not exist. Check that it was copied correctly and has not been deleted or disabled.");
  }
  // Temporary keys go with the token STS issued them with, in X-TC-Token (API 3.0 common
  // parameters). The common error table has one code for a token that is missing, wrong or
  // expired, AuthFailure.TokenFailure; its messages are not documented: these are ours.
  const problem = keys.tokenProblem(found, header(call, "x-tc-token"));
  if (problem === "expired") throw tokenExpired();
  if (problem) throw new TencentApiError("AuthFailure.TokenFailure", "The token is invalid: temporary credentials need the X-TC-Token issued with them, permanent ones none.");
  const rawTimestamp = header(call, "x-tc-timestamp");
  if (!rawTimestamp) throw missing("X-TC-Timestamp");
  if (!/^\d+$/.test(rawTimestamp)) throw new TencentApiError("InvalidParameter", "X-TC-Timestamp must be a Unix timestamp in seconds.");
  const timestamp = Number(rawTimestamp);
  // Tencent Cloud API 3.0 common error codes: AuthFailure.SignatureExpire, "Timestamp and server
  // time cannot differ by more than five minutes" (https://tencentcloud.com/document/api/1252/68119).
  if (Math.abs(nowMs - timestamp * 1000) > maxSkewMs) {
    throw new TencentApiError(
      "AuthFailure.SignatureExpire",
      `The signature has expired: X-TC-Timestamp differs from the server time by more than ${Math.round(maxSkewMs / 1000)} seconds. Check the local clock.`,
    );
  }
  const role = found.temporary ? { arn: found.key.roleArn, name: found.key.roleName, session: found.key.session } : undefined;
  return { ...auth, timestamp, secretKey: found.secret, account: found.account, role, issued: found.temporary ? found.key : undefined };
}

/** The token error for a temporary key that has expired. */
export function tokenExpired(): TencentApiError {
  return new TencentApiError("AuthFailure.TokenFailure", "The token has expired: request new temporary credentials from STS.");
}

/** The check that needs the body: the signature over the whole request. */
export function checkSignature(call: IncomingCall, auth: AdmittedAuthorization): void {
  const expected = computeSignature(call, auth, auth.secretKey, auth.timestamp);
  if (auth.date !== utcDate(auth.timestamp) || !sameHex(expected, auth.signature)) {
    throw new TencentApiError("AuthFailure.SignatureFailure", "The signature could not be verified. Check the SecretKey and the signing steps.");
  }
}

export function computeSignature(call: IncomingCall, auth: Pick<ParsedAuthorization, "date" | "service" | "signedHeaders">, secretKey: string, timestamp: number): string {
  const canonicalHeaders = auth.signedHeaders.map((name) => `${name}:${signedHeaderValue(call, name)}\n`).join("");
  const canonicalRequest = [call.method.toUpperCase(), call.rawPath, call.url.search.replace(/^\?/, ""), canonicalHeaders, auth.signedHeaders.join(";"), bodySha256Hex(call)].join(
    "\n",
  );
  const scope = `${auth.date}/${auth.service}/tc3_request`;
  const stringToSign = `${ALGORITHM}\n${timestamp}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const kDate = hmac(`TC3${secretKey}`, auth.date);
  const kService = hmac(kDate, auth.service);
  const kSigning = hmac(kService, "tc3_request");
  return createHmac("sha256", kSigning).update(stringToSign).digest("hex");
}

function signedHeaderValue(call: IncomingCall, name: string): string {
  const raw = header(call, name) ?? "";
  const value = name === "host" ? stripPort(raw) : raw;
  return value.trim().toLowerCase();
}

function stripPort(host: string): string {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return host;
  }
}

export function utcDate(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}
