// JSON request bodies of the three clouds' APIs, read the way JSON.parse(body.toString("utf8"))
// reads them, but without decoding and parsing the one huge string an inline upload carries (a
// base64 zip: Lambda's Content.ZipFile, FC's code.zipFile, SCF's Content.ZipFile). Turning 53 MB
// into a UTF-8 string and parsing it was a third of the emulator's CPU per upload; on the
// machine the copy benchmark runs on, that CPU is taken from the client being measured.
//
// A large body's longest run between two quotes is taken for that string. The rest of the body,
// with the run replaced by a short placeholder string, is parsed with JSON.parse, and the run is
// decoded as strict base64 (src/emulator/zip.ts). Only when all of that succeeds, and the
// placeholder is found exactly once as a value, is the run the string member's value (as latin1:
// the same text, since the strict decode proved every byte a base64 character, so no escape and
// nothing but ASCII), with its decoded bytes kept for base64Member. In every other case the body
// is parsed as before, so that its errors (and their messages) are exactly what they were.
//
// Why that is the same parse: the placeholder is `"\u0000layerctl:<random>\u0000"`, random for
// each body, so the body cannot hold its value anywhere. Had the text before the run left the
// parser inside a string, the placeholder's first quote would end that string (or, escaped, put
// a quote into its value) and the placeholder's value could not come out. So a parse that yields
// it exactly once read it as one string token opened by the run's first quote, and as a value
// (not a name). The text before the run is the same in the body, where that quote therefore
// opens a string too, which ends at the run's last quote (no quote or backslash in between), and
// the text after it parses the same. The bytes next to the run are quotes in both, so the UTF-8
// decoding of the rest (invalid sequences too) is the same as well.
import { randomUUID } from "node:crypto";
import { decodeBase64Strict, decodeLatin1Base64Strict } from "./zip.js";

/** Bodies up to this size are parsed whole: nothing to gain. */
const LARGE_BODY_BYTES = 1024 * 1024;
/** A body with more quotes than this is not an upload of one blob: parsed whole. */
const MAX_QUOTES = 10_000;
const QUOTE = 0x22;

/** The string member the fast path took, with its decoded bytes (taken once by base64Member). */
interface Decoded {
  member: string;
  text: string;
  bytes: Buffer;
}

/** By the object (or array) that holds the member: freed with the parsed body. */
const decodedMembers = new WeakMap<object, Decoded>();

/** JSON.parse(body.toString("utf8")): the same value, and the same error when it throws. */
export function parseJsonBuffer(body: Buffer): unknown {
  if (body.length > LARGE_BODY_BYTES) {
    const parsed = parseAroundBlob(body);
    if (parsed) return parsed.value;
  }
  return JSON.parse(body.toString("utf8"));
}

/**
 * decodeBase64Strict(text) for the string member `member` of `holder` (whose value is `text`):
 * the bytes parseJsonBuffer already decoded, when it took that member, or a decode now.
 */
export function base64Member(holder: object, member: string, text: string): Buffer | null {
  const known = decodedMembers.get(holder);
  if (known && known.member === member && known.text === text) {
    decodedMembers.delete(holder);
    return known.bytes;
  }
  return decodeBase64Strict(text);
}

/** The parsed body, or null when it must be parsed whole (see the top of this file). */
function parseAroundBlob(body: Buffer): { value: unknown } | null {
  const run = longestQuotedRun(body);
  if (!run || run.end - run.start < body.length / 2) return null;
  const placeholder = `\u0000layerctl:${randomUUID()}\u0000`;
  const rest = Buffer.concat([body.subarray(0, run.start), Buffer.from(JSON.stringify(placeholder)), body.subarray(run.end + 1)]);
  const text = body.toString("latin1", run.start + 1, run.end);
  const hits: Array<{ holder: object; member: string }> = [];
  let value: unknown;
  try {
    value = JSON.parse(rest.toString("utf8"), function (this: object, member: string, v: unknown) {
      if (v !== placeholder) return v;
      hits.push({ holder: this, member });
      return text;
    });
  } catch {
    return null;
  }
  // The run was read as latin1: no character above U+00FF in it.
  const bytes = hits.length === 1 ? decodeLatin1Base64Strict(text) : null;
  if (!bytes) return null;
  decodedMembers.set(hits[0]!.holder, { member: hits[0]!.member, text, bytes });
  return { value };
}

/** The two consecutive quotes farthest apart (the positions of both), or null when there are too many quotes to look. */
function longestQuotedRun(body: Buffer): { start: number; end: number } | null {
  let best: { start: number; end: number } | null = null;
  let quote = body.indexOf(QUOTE);
  for (let n = 0; quote !== -1; n++) {
    if (n === MAX_QUOTES) return null;
    const next = body.indexOf(QUOTE, quote + 1);
    if (next === -1) break;
    if (!best || next - quote > best.end - best.start) best = { start: quote, end: next };
    quote = next;
  }
  return best;
}
