// What --debug adds to an error on stderr: the stack, then each cause in the chain as the object
// it is (an SDK error's code, $metadata, status...), so a failing call can be diagnosed. Redacted:
// secrets are masked like everywhere else, and request signatures are dropped too.
import { inspect } from "node:util";
import { redact } from "./redact.js";

/** Where a failed target's record keeps the error it was made from (not enumerable: JSON never shows it). */
export const ERROR_OBJECT = Symbol("layerctl.errorObject");

export function keepErrorObject<T extends object>(fields: T, err: unknown): T {
  Object.defineProperty(fields, ERROR_OBJECT, { value: err, enumerable: false });
  return fields;
}

export function errorObjectOf(fields: object | undefined): unknown {
  return fields ? (fields as { [ERROR_OBJECT]?: unknown })[ERROR_OBJECT] : undefined;
}

function withoutSignatures(text: string): string {
  return text.replace(/(Signature=)[A-Za-z0-9+/=%]+/g, "$1****").replace(/((?:authorization|x-acs-signature|x-tc-signature)['"]?\s*[:=]\s*['"]?)[^'"\n,}]+/gi, "$1****");
}

/** A long string in an object is cut this short, after secrets are masked in it. */
const MAX_STRING = 2_000;

/**
 * Stack and cause chain of `err`, ready for stderr (ends with a newline); "" when there is nothing.
 * Strings are shown whole, masked, and only then cut short: cut first, a secret that straddled the
 * cut (a session token in an S3 CanonicalRequestBytes) would leave its first part unmasked.
 */
export function debugDetail(err: unknown): string {
  if (err === undefined) return "";
  const parts = [err instanceof Error && err.stack ? err.stack : String(err)];
  const seen = new Set<unknown>([err]);
  let cause = (err as { cause?: unknown } | null)?.cause;
  while (cause !== undefined && cause !== null && !seen.has(cause)) {
    seen.add(cause);
    parts.push(`caused by: ${inspect(cause, { depth: 2, breakLength: 120, maxStringLength: Number.POSITIVE_INFINITY, maxArrayLength: 20 })}`);
    cause = (cause as { cause?: unknown }).cause;
  }
  return `${shorten(redact(withoutSignatures(parts.join("\n"))))}\n`;
}

const LONG_STRING = new RegExp(`'((?:[^'\\\\\\n]|\\\\.){${MAX_STRING + 1},})'`, "g");

/** Quoted strings longer than MAX_STRING, cut (after masking) as inspect would have cut them. */
function shorten(text: string): string {
  return text.replace(LONG_STRING, (_, body: string) => `'${body.slice(0, MAX_STRING)}'... ${body.length - MAX_STRING} more characters`);
}
