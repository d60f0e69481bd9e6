// Secrets must never reach any output, in any encoding. Every byte we write to stdout or stderr
// passes through redact(), which masks the values of every provider's secret variables (each
// provider declares them; src/providers/index.ts registers them) and any secret registered at run
// time (profile files, the embedded emulator's keys), in every spelling output may carry them:
// as they are, URL-encoded (either hex case, with RFC 3986's stricter set too), base64 and
// base64url (inside a longer encoded text as well: at each of the three byte alignments), hex,
// and hex bytes separated by spaces (what S3 and OSS echo in CanonicalRequestBytes and
// StringToSignBytes after a signature error). This module imports nothing, so anything may import it.

const extra = new Set<string>();
const variables = new Set<string>();

/** Environment variables whose values are secret. */
export function registerSecretVariables(names: readonly string[]): void {
  for (const n of names) variables.add(n);
}

/** Register a secret learned at run time (profile files, emulator credentials). */
export function registerSecret(value: string | undefined): void {
  for (const s of [value, value?.trim()]) if (s && s.length >= 4) extra.add(s);
}

/** Encoded forms shorter than this are not masked: they would match ordinary text by chance. */
const MIN_ENCODED = 8;

/**
 * The base64 characters that spell `bytes` wherever they sit in a longer text: encoded after k
 * filler bytes (k = 0, 1, 2), keeping only the characters made of the secret's bits alone.
 */
function base64Fragments(bytes: Buffer): string[] {
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString("base64");
    // The first character holding only secret bits, and the last one whose bits are all in the secret.
    const start = Math.ceil((k * 8) / 6);
    const end = Math.floor(((k + bytes.length) * 8) / 6);
    out.push(encoded.slice(start, end));
  }
  return out;
}

/** RFC 3986's unreserved set only: what SigV4 and OSS canonical forms escape beyond encodeURIComponent. */
function strictUriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Every spelling of one secret that output may carry. */
export function spellings(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const hex = bytes.toString("hex");
  const spaced = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  const encoded = new Set<string>();
  for (const url of [encodeURIComponent(secret), strictUriEncode(secret), encodeURIComponent(secret).replace(/%20/g, "+")]) {
    encoded.add(url);
    encoded.add(url.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  }
  for (const b64 of base64Fragments(bytes)) {
    encoded.add(b64);
    encoded.add(b64.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  for (const h of [hex, spaced]) {
    encoded.add(h);
    encoded.add(h.toUpperCase());
  }
  return [secret, ...[...encoded].filter((e) => e !== secret && e.length >= MIN_ENCODED)];
}

const spellingCache = new Map<string, string[]>();

function secrets(): string[] {
  const raw = new Set(extra);
  for (const name of variables) {
    const v = process.env[name];
    // SDKs may trim what we read: mask both spellings.
    for (const s of [v, v?.trim()]) if (s && s.length >= 4) raw.add(s);
  }
  const out = new Set<string>();
  for (const s of raw) {
    let forms = spellingCache.get(s);
    if (!forms) spellingCache.set(s, (forms = spellings(s)));
    for (const f of forms) out.add(f);
  }
  // Longest first so a secret (or spelling) that contains another is masked whole.
  return [...out].sort((a, b) => b.length - a.length);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets()) {
    if (out.includes(s)) out = out.split(s).join("****");
  }
  return out;
}
