// The keys one emulated cloud accepts: the account's own long-term key (the cloud's `credentials`)
// and the temporary keys its STS has issued (AssumeRole, AssumeRoleWithWebIdentity/OIDC). A
// temporary key opens nothing without its session token, and nothing once it has expired: every
// signature check of the cloud (its layer API and its object store) looks keys up here, so the
// token the STS issued is the one the layer APIs then require.
//
// Issued keys live in memory only (a restarted emulator has forgotten them, like a key revoked);
// the state directory keeps layers, not sessions.
import { randomBytes } from "node:crypto";

export interface IssuedKey {
  keyId: string;
  secret: string;
  token: string;
  /** Epoch ms after which the key is refused. */
  expires: number;
  /** The account the role belongs to: the caller's account for everything signed with this key. */
  account: string;
  /** The role that was assumed. */
  roleArn: string;
  /** The role's name (the last part of its ARN) and the session name given to STS. */
  roleName: string;
  session: string;
}

/** What a key id names: the account's own key, or one the STS issued. */
export type KeyLookup = { temporary: false; secret: string; account: string } | { temporary: true; secret: string; account: string; key: IssuedKey } | null;

/** Why a temporary key was refused: no token sent, another token, or past its expiry. */
export type TokenProblem = "missing" | "mismatch" | "expired";

export interface KeyShape {
  /** The id's prefix as the cloud writes it (AWS `ASIA`, Tencent `AKID`, Aliyun `STS.`). */
  idPrefix: string;
  /** Characters after the prefix, from `idAlphabet`. */
  idLength: number;
  idAlphabet: string;
  secretBytes: number;
  tokenBytes: number;
}

export class KeyStore {
  private readonly issued = new Map<string, IssuedKey>();

  constructor(
    private readonly base: () => { keyId: string; secret: string; account: string },
    private readonly shape: KeyShape,
    private readonly now: () => Date,
  ) {}

  find(keyId: string): KeyLookup {
    const base = this.base();
    if (keyId === base.keyId) return { temporary: false, secret: base.secret, account: base.account };
    const key = this.issued.get(keyId);
    return key ? { temporary: true, secret: key.secret, account: key.account, key } : null;
  }

  issue(opts: { account: string; roleArn: string; roleName: string; session: string; durationSeconds: number }): IssuedKey {
    const { idPrefix, idLength, idAlphabet, secretBytes, tokenBytes } = this.shape;
    const bytes = randomBytes(idLength);
    const keyId = idPrefix + Array.from(bytes, (b) => idAlphabet[b % idAlphabet.length]).join("");
    const key: IssuedKey = {
      ...opts,
      keyId,
      secret: randomBytes(secretBytes).toString("base64").replace(/[+/=]/g, ""),
      token: randomBytes(tokenBytes).toString("base64"),
      expires: this.now().getTime() + opts.durationSeconds * 1000,
    };
    this.issued.set(keyId, key);
    return key;
  }

  /**
   * The session token a request sent with a key, checked: null when it may be used. A temporary key
   * needs its own, unexpired; the account's long-term key takes none (a token sent with it makes
   * the clouds treat the request as an STS one, which that key is not).
   */
  tokenProblem(found: NonNullable<KeyLookup>, token: string | undefined): TokenProblem | null {
    if (!found.temporary) return token ? "mismatch" : null;
    if (!token) return "missing";
    if (token !== found.key.token) return "mismatch";
    if (this.now().getTime() >= found.key.expires) return "expired";
    return null;
  }

  /**
   * Whether a key admitted on its headers has expired since (the `expire-credentials` fault fires
   * after admission): the clouds check again when they authenticate the body.
   */
  expiredSince(key: IssuedKey | undefined): boolean {
    return key !== undefined && this.now().getTime() >= key.expires;
  }

  /** The `expire-credentials` fault: every key issued so far expires now, long before its time. */
  expireAll(): void {
    const now = this.now().getTime();
    for (const key of this.issued.values()) key.expires = Math.min(key.expires, now);
  }
}

export const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A role session name as the three STS APIs allow it (AWS, Tencent and Aliyun all take `[\w+=,.@-]`). */
export const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** The claims of a JSON Web Token, or null when it is not one (three base64url parts, a JSON payload). */
export function jwtClaims(token: string): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)) || !parts[1]) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as unknown;
    return claims !== null && typeof claims === "object" && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** What every STS checks of an OIDC token before trusting it (signatures are not: the emulator knows no IdP's keys). */
export function oidcTokenProblem(token: string, nowMs: number): "malformed" | "expired" | null {
  const claims = jwtClaims(token);
  if (!claims || typeof claims.iss !== "string" || typeof claims.sub !== "string") return "malformed";
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= nowMs) return "expired";
  return null;
}
