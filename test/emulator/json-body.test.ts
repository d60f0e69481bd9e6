// parseJsonBuffer must be JSON.parse(body.toString("utf8")) to the letter, errors included, for
// large bodies it reads around their base64 blob; base64Member must be decodeBase64Strict.
import { describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";
import { base64Member, parseJsonBuffer } from "../../src/emulator/json-body.js";
import { buildZip, decodeBase64Strict, decodeLatin1Base64Strict } from "../../src/emulator/zip.js";

// The strict decoder, counted (and run as it is): the proof that a large blob is decoded once,
// during the parse, and not again by base64Member.
vi.mock(import("../../src/emulator/zip.js"), async (original) => {
  const zip = await original();
  return { ...zip, decodeBase64Strict: vi.fn(zip.decodeBase64Strict), decodeLatin1Base64Strict: vi.fn(zip.decodeLatin1Base64Strict) };
});

/** Decodes of a blob, by either entry point (the fast path reads its run as latin1). */
const decodes = () => vi.mocked(decodeBase64Strict).mock.calls.length + vi.mocked(decodeLatin1Base64Strict).mock.calls.length;
function clearDecodes(): void {
  vi.mocked(decodeBase64Strict).mockClear();
  vi.mocked(decodeLatin1Base64Strict).mockClear();
}

/** Base64 of `n` random bytes (random: every character of the alphabet shows up). */
const blob = (n = 2 * 1024 * 1024) => randomBytes(n).toString("base64");
const B64 = blob();

type Outcome = { value: unknown } | { error: string };

function outcome(parse: () => unknown): Outcome {
  try {
    return { value: parse() };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

/** What today's path answers: the body decoded as UTF-8, then JSON.parse. */
const reference = (body: Buffer) => outcome(() => JSON.parse(body.toString("utf8")));

/** parseJsonBuffer answers as the reference does; returns its value (undefined if it threw). */
function sameAsReference(body: Buffer): any {
  const got = outcome(() => parseJsonBuffer(body));
  expect(got).toEqual(reference(body));
  return "value" in got ? got.value : undefined;
}

/** The same bytes, or both null (toEqual walks a Buffer byte by byte: seconds for a few MB). */
function expectSameBytes(got: Buffer | null, want: Buffer | null): void {
  expect(got === null ? null : got.length).toBe(want === null ? null : want.length);
  if (got && want) expect(got.equals(want)).toBe(true);
}

/** A body of three parts: `before`, the raw bytes of the blob's text, `after`. */
const around = (before: string, text: string | Buffer, after: string) => Buffer.concat([Buffer.from(before), Buffer.from(text as string, "latin1"), Buffer.from(after)]);

describe("parseJsonBuffer on large bodies", () => {
  it("gives what JSON.parse gives, and the blob's bytes are decoded during the parse (taken once)", () => {
    const zip = buildZip([{ name: "python/a.py", data: randomBytes(1_500_000) }]);
    const text = zip.toString("base64");
    const members = JSON.stringify({
      CompatibleRuntimes: ["python3.12", "python3.13"],
      Description: 'déjà vu — "quoted" \\ back\nslash ✓ 😀',
      Content: { ZipFile: text },
      LicenseInfo: "MIT",
      Nested: [{ a: [1, 2.5e3, -0, true, null] }, {}],
    });
    // A member named __proto__ is an own member to JSON.parse, never the prototype.
    const body = Buffer.from(`{"__proto__":{"polluted":1},${members.slice(1)}`);
    clearDecodes();
    const value = sameAsReference(body);
    expect(decodes()).toBe(1);
    expect(Object.hasOwn(value, "__proto__") && Object.getPrototypeOf(value) === Object.prototype).toBe(true);
    expect(value.Content.ZipFile).toBe(text);
    const first = base64Member(value.Content, "ZipFile", value.Content.ZipFile);
    expect(first?.equals(zip)).toBe(true);
    expect(decodes()).toBe(1);
    // The parse's bytes are handed out once; a second call decodes afresh.
    const second = base64Member(value.Content, "ZipFile", value.Content.ZipFile);
    expect(second?.equals(zip)).toBe(true);
    expect(decodes()).toBe(2);
  });

  it("takes the blob in an array, at the top level, and FC's shape", () => {
    sameAsReference(around('{"code":{"zipFile":"', B64, '"},"compatibleRuntime":["python3.10"],"description":"x"}'));
    const listed = sameAsReference(around('{"items":[1,"', B64, '",3]}'));
    clearDecodes();
    expect(base64Member(listed.items, "1", listed.items[1])?.equals(Buffer.from(B64, "base64"))).toBe(true);
    expect(decodes()).toBe(0);
    expect(sameAsReference(around('"', B64, '"'))).toBe(B64);
    sameAsReference(around('\ufeff{"a":"', B64, '"}'));
  });

  // Each of these must go the way it always went: the same value or the same error message.
  const cases: Array<[string, Buffer]> = [
    ["an escaped slash in the blob (still base64 once unescaped)", around('{"Content":{"ZipFile":"', `${B64.slice(0, 1000)}\\/${B64.slice(1001)}`, '"}}')],
    ["a \\u escape in the blob", around('{"Content":{"ZipFile":"', `\\u0041${B64.slice(1)}`, '"}}')],
    ["a character outside base64 in the blob", around('{"Content":{"ZipFile":"', `${B64.slice(0, 5000)}!${B64.slice(5001)}`, '"}}')],
    ["a raw control character in the blob", around('{"Content":{"ZipFile":"', `${B64.slice(0, 5000)}\u0001${B64.slice(5001)}`, '"}}')],
    ["a raw line feed in the blob", around('{"Content":{"ZipFile":"', `${B64.slice(0, 5000)}\n${B64.slice(5001)}`, '"}}')],
    [
      "an invalid UTF-8 byte in the blob",
      around('{"Content":{"ZipFile":"', Buffer.concat([Buffer.from(B64.slice(0, 5000)), Buffer.from([0xff]), Buffer.from(B64.slice(5001))]), '"}}'),
    ],
    [
      "a two-byte UTF-8 character in the blob",
      around('{"Content":{"ZipFile":"', Buffer.concat([Buffer.from(B64.slice(0, 5000)), Buffer.from("é"), Buffer.from(B64.slice(5002))]), '"}}'),
    ],
    ["URL-safe characters in the blob", around('{"Content":{"ZipFile":"', `-_${B64.slice(2)}`, '"}}')],
    ["an '=' inside the blob", around('{"Content":{"ZipFile":"', `${B64.slice(0, 4000)}=${B64.slice(4001)}`, '"}}')],
    ["a blob of a length that is not a multiple of 4", around('{"Content":{"ZipFile":"', B64.slice(1), '"}}')],
    ["a missing comma after the blob", around('{"Content":{"ZipFile":"', B64, '" "x":1}}')],
    ["a missing comma before the blob", around('{"a":1 "Content":{"ZipFile":"', B64, '"}}')],
    ["trailing garbage", around('{"Content":{"ZipFile":"', B64, '"}} x')],
    ["an unclosed object", around('{"Content":{"ZipFile":"', B64, '"}')],
    ["an unterminated blob", around('{"Content":{"ZipFile":"', B64, "")],
    ["a blob with no opening quote", around('{"Content":{"ZipFile":', B64, '"}}')],
    ["the blob as a member name", around('{"', B64, '":1}')],
    ["the blob as a member name, with a value that looks like the placeholder", around('{"', B64, '":"\\u0000layerctl:base64\\u0000"}')],
    ["a later duplicate member replacing the blob", around('{"ZipFile":"', B64, '","ZipFile":"QUJD"}')],
    ["the blob after an escaped quote, inside another string", around('{"a":"x\\"', B64, '"}')],
    ["the blob inside a string that an escaped quote continues", around('{"a":"x\\"', B64, '\\"y"}')],
    ["invalid UTF-8 just before the blob's quote", around('{"a":"\xe2\x82","b":"', B64, '"}')],
    ["two blobs", around('{"a":"', `${B64}","b":"${B64.slice(4)}`, '"}')],
    ["a short blob in a large body of other text", around(`{"pad":"${" ".repeat(3 * 1024 * 1024)}","ZipFile":"`, "QUJD", '"}')],
    ["more quotes than are worth looking at", around(`{"many":[${'"a",'.repeat(20_000)}"b"],"ZipFile":"`, B64, '"}')],
    ["a JSON array", around('["', B64, '"]')],
  ];

  it.each(cases)("%s: as before", (_name, body) => {
    expect(body.length).toBeGreaterThan(1024 * 1024);
    const value = sameAsReference(body);
    // Wherever a blob member came out, its decode is the strict decode of that value.
    const holder = value?.Content ?? value;
    if (holder && typeof holder === "object" && typeof holder.ZipFile === "string") {
      expectSameBytes(base64Member(holder, "ZipFile", holder.ZipFile), decodeBase64Strict(holder.ZipFile));
    }
  });

  it("leaves small bodies to JSON.parse", () => {
    sameAsReference(Buffer.from('{"Content":{"ZipFile":"QUJD"}}'));
    sameAsReference(Buffer.from('{"Content":{"ZipFile":"QUJD"}'));
  });
});

describe("base64Member", () => {
  it("decodes a member the parse did not take, and one whose value changed since", () => {
    const holder = { ZipFile: "QUJD" };
    expect(base64Member(holder, "ZipFile", holder.ZipFile)).toEqual(Buffer.from("ABC"));
    expect(base64Member(holder, "ZipFile", "QUJD!")).toBeNull();

    const value = parseJsonBuffer(around('{"ZipFile":"', B64, '"}')) as { ZipFile: string };
    expect(base64Member(value, "Other", value.ZipFile)?.equals(Buffer.from(B64, "base64"))).toBe(true);
    expect(base64Member(value, "ZipFile", "QUJD")).toEqual(Buffer.from("ABC"));
  });
});
