// ACS3-HMAC-SHA256 verification, recomputed from the raw request exactly as
// @alicloud/openapi-core (utils getAuthorization) builds it on the client:
//   canonical request = METHOD \n canonical URI \n canonical query \n canonical headers \n
//                       signed header names \n hex(sha256(body))
//   signature = hex(HMAC-SHA256(secret, "ACS3-HMAC-SHA256\n" + hex(sha256(canonical request))))
// Signed headers are `host`, `content-type` and every `x-acs-*` header; the header list comes
// from the Authorization header, and we insist that everything that must be signed is in it.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IssuedKey, KeyLookup, KeyStore } from "../keys.js";
import type { IncomingCall } from "../types.js";
import { bodySha256Hex } from "../body.js";
import type { AliyunContext } from "./index.js";
import { fcAuthErrors, fcErrors, type AuthErrors } from "./errors.js";

const ALGORITHM = "ACS3-HMAC-SHA256";
const AUTH_PATTERN = /^ACS3-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-fA-F]{64})$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

export interface Caller {
  accessKeyId: string;
  accountId: string;
  /** For a temporary key: the role session it was issued for. */
  session?: IssuedKey;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** openapi-core's `encode`: encodeURIComponent plus the RFC 3986 reserved characters it leaves alone. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/!/g, "%21").replace(/'/g, "%27").replace(/\(/g, "%28").replace(/\)/g, "%29").replace(/\*/g, "%2A");
}

function header(call: IncomingCall, name: string): string | undefined {
  const v = call.headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(",") : v;
}

export function canonicalRequest(call: IncomingCall, signedHeaders: string[], payloadHash: string): string {
  // The client signs its (already percent-encoded) path with these three substitutions.
  const uri = call.rawPath.replace(/\+/g, "%20").replace(/\*/g, "%2A").replace(/%7E/g, "~");
  const query = new Map<string, string>();
  for (const [k, v] of call.url.searchParams) query.set(k, v);
  const canonicalQuery = [...query.keys()]
    .sort()
    .map((k) => `${k}=${encode(query.get(k)!)}`)
    .join("&");
  const canonicalHeaders = signedHeaders.map((h) => `${h}:${(header(call, h) ?? "").trim()}\n`).join("");
  return [call.method, uri, canonicalQuery, canonicalHeaders, signedHeaders.join(";"), payloadHash].join("\n");
}

export function stringToSign(canonical: string): string {
  return `${ALGORITHM}\n${sha256Hex(canonical)}`;
}

/** A key's session token as FC and its gateway refuse it: none for an STS key, another key's (or one with the account's key), or expired. */
export function refuseBadToken(keys: KeyStore, found: NonNullable<KeyLookup>, token: string | undefined): void {
  const problem = keys.tokenProblem(found, token);
  if (problem === "missing") throw fcErrors.missingSecurityToken();
  if (problem === "mismatch") throw fcErrors.securityTokenMismatch();
  if (problem === "expired") throw fcErrors.securityTokenExpired();
}

export class Acs3Verifier {
  /** Nonces seen within the allowed clock skew, with the time they may be forgotten. */
  private readonly nonces = new Map<string, number>();

  constructor(
    private readonly ctx: AliyunContext,
    private readonly keys: KeyStore,
    /** The refusals of the API behind it: FC's own codes, or the gateway's (STS). */
    private readonly errors: AuthErrors = fcAuthErrors,
  ) {}

  /**
   * The checks that need only the headers, made before the body is read. ACS3 signs the payload
   * hash the client declares (x-acs-content-sha256), so the signature itself is checked here; the
   * body is compared with that hash once it is in (verifyBody).
   */
  verifyHeaders(call: IncomingCall): Caller {
    const auth = header(call, "authorization");
    if (!auth) throw fcErrors.missingHeader("Authorization");
    for (const required of ["x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"]) {
      if (!header(call, required)) throw fcErrors.missingHeader(required);
    }

    const m = AUTH_PATTERN.exec(auth.trim());
    if (!m) throw fcErrors.incompleteSignature(`Authorization must be "${ALGORITHM} Credential=<id>,SignedHeaders=<names>,Signature=<hex>".`);
    const [, keyId, signedList, signature] = m as unknown as [string, string, string, string];
    const signedHeaders = signedList.split(";");
    if (signedHeaders.some((h) => h !== h.toLowerCase() || h === "")) throw fcErrors.incompleteSignature("SignedHeaders must be lower-case names separated by ';'.");
    if ([...signedHeaders].sort().join(";") !== signedHeaders.join(";")) throw fcErrors.incompleteSignature("SignedHeaders must be sorted.");
    const mustSign = Object.keys(call.headers).filter((h) => h === "host" || h === "content-type" || h.startsWith("x-acs-"));
    const unsigned = mustSign.filter((h) => !signedHeaders.includes(h));
    if (unsigned.length > 0) throw fcErrors.incompleteSignature(`Header ${unsigned.join(", ")} must be signed.`);

    const date = header(call, "x-acs-date")!;
    const when = parseAcsDate(date);
    if (when === null) throw fcErrors.timestampFormat();

    const found = this.keys.find(keyId);
    if (!found) throw this.errors.unknownAccessKey(keyId);
    // STS keys sign with their token in x-acs-security-token (a signed x-acs-* header); the
    // account's own keys with none.
    refuseBadToken(this.keys, found, header(call, "x-acs-security-token"));

    // The V3 signature guide: x-acs-date must be within 15 minutes of the request ("值为请求发出前15分钟内的时间",
    // https://help.aliyun.com/zh/model-studio/user-guide/roa-style-request-body-signature-mechanism);
    // the gateway's InvalidTimeStamp.Expired answers a timestamp outside it.
    const now = this.ctx.now().getTime();
    if (Math.abs(now - when) > this.ctx.tuning.maxClockSkewMs) throw fcErrors.timestampExpired();

    const payloadHash = header(call, "x-acs-content-sha256")!.toLowerCase();
    const toSign = stringToSign(canonicalRequest(call, signedHeaders, payloadHash));
    const expected = createHmac("sha256", found.secret).update(toSign).digest();
    const given = Buffer.from(signature, "hex");
    if (!timingSafeEqual(expected, given)) {
      // Like the gateway, show the string we signed (it holds a hash, never the secret).
      throw this.errors.signatureMismatch(`server string to sign is:${JSON.stringify(toSign)}`);
    }
    return { accessKeyId: keyId, accountId: found.account, session: found.temporary ? found.key : undefined };
  }

  /**
   * The RPC signature (version 1.0, HMAC-SHA1 over the sorted parameters, `Signature` in the
   * query) that @alicloud/credentials' RAM role provider and openapi-core's doRPCRequest send:
   * StringToSign = METHOD & %2F & encode(canonicalized query), key = secret + "&".
   */
  verifyRpc(call: IncomingCall, params: URLSearchParams): Caller {
    const keyId = params.get("AccessKeyId") ?? "";
    if (params.get("SignatureMethod") !== "HMAC-SHA1" || params.get("SignatureVersion") !== "1.0") {
      throw fcErrors.incompleteSignature("SignatureMethod must be HMAC-SHA1 and SignatureVersion 1.0.");
    }
    const found = this.keys.find(keyId);
    if (!found) throw this.errors.unknownAccessKey(keyId);
    refuseBadToken(this.keys, found, params.get("SecurityToken") ?? undefined);
    const when = Date.parse(params.get("Timestamp") ?? "");
    if (Number.isNaN(when)) throw fcErrors.timestampFormat();
    if (Math.abs(this.ctx.now().getTime() - when) > this.ctx.tuning.maxClockSkewMs) throw fcErrors.timestampExpired();
    const pairs = [...params].filter(([k]) => k !== "Signature").sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const canonical = pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join("&");
    const toSign = `${call.method}&${encode("/")}&${encode(canonical)}`;
    const expected = createHmac("sha1", `${found.secret}&`).update(toSign).digest();
    const given = Buffer.from(params.get("Signature") ?? "", "base64");
    if (given.length !== expected.length || !timingSafeEqual(expected, given)) throw this.errors.signatureMismatch(`server string to sign is:${toSign}`);
    this.useNonce(params.get("SignatureNonce") ?? "", this.ctx.now().getTime());
    return { accessKeyId: keyId, accountId: found.account, session: found.temporary ? found.key : undefined };
  }

  /** The body is the one the signed hash names (and an STS key has not expired since); then the nonce is spent. */
  verifyBody(call: IncomingCall, caller?: Caller): void {
    if (this.keys.expiredSince(caller?.session)) throw fcErrors.securityTokenExpired();
    const payloadHash = header(call, "x-acs-content-sha256")!.toLowerCase();
    if (payloadHash !== bodySha256Hex(call)) {
      throw this.errors.signatureMismatch("x-acs-content-sha256 is not the SHA-256 of the request body.");
    }
    this.useNonce(header(call, "x-acs-signature-nonce")!, this.ctx.now().getTime());
  }

  // A nonce is remembered for as long as its request's timestamp would be accepted, so a replayed
  // request fails either on the nonce or on the clock.
  private useNonce(nonce: string, now: number): void {
    for (const [n, until] of this.nonces) {
      if (until > now) break;
      this.nonces.delete(n);
    }
    const seen = this.nonces.get(nonce);
    if (seen !== undefined && seen > now) throw fcErrors.nonceUsed();
    this.nonces.delete(nonce);
    this.nonces.set(nonce, now + 2 * this.ctx.tuning.maxClockSkewMs);
  }
}

/** x-acs-date as the SDK writes it (YYYY-MM-DDTHH:mm:ssZ), in ms; null when malformed. */
export function parseAcsDate(value: string): number | null {
  const m = DATE_PATTERN.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(t);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return t;
}
