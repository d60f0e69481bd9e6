import { afterEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { debugDetail } from "../../src/output/debug-detail.js";
import { redact, registerSecret } from "../../src/output/redact.js";
import { providers } from "../../src/providers/index.js";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe("redact", () => {
  it("masks the value of every provider's secret variables, as given and trimmed", () => {
    for (const p of Object.values(providers)) {
      expect(p.secretVariables.length).toBeGreaterThan(0);
      for (const name of p.secretVariables) {
        expect(p.credentialVariables).toContain(name);
        const value = `  s3cr3t-${name.toLowerCase()}  `;
        process.env[name] = value;
        expect(redact(`a ${value} b ${value.trim()} c`)).toBe("a **** b **** c");
      }
    }
  });

  it("masks secrets registered at run time, longest first", () => {
    registerSecret("abcd");
    registerSecret("abcdefgh");
    expect(redact("x abcdefgh y abcd")).toBe("x **** y ****");
  });

  it("leaves key ids alone (they identify, they do not open)", () => {
    process.env.AWS_ACCESS_KEY_ID = "AKIAEXAMPLEKEYID";
    expect(redact("key AKIAEXAMPLEKEYID")).toBe("key AKIAEXAMPLEKEYID");
  });
});

describe("redact: every encoding (leak tests)", () => {
  // A session token as STS gives them: base64 text with + / =, long.
  const token = `IQoJb3JpZ2luX2VjE+/${randomBytes(180).toString("base64")}==`;
  const bytes = Buffer.from(token, "utf8");
  const spaced = (b: Buffer) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");
  /** Anything left of the token, in any of its spellings, after masking. */
  const leaks = (text: string) =>
    [token, encodeURIComponent(token), bytes.toString("hex"), spaced(bytes), bytes.toString("base64").slice(4, -4)].filter((form) =>
      text.toUpperCase().includes(form.toUpperCase().slice(0, 40)),
    );

  const encodings: Array<[string, (t: string) => string]> = [
    ["raw", (t) => t],
    ["URL-encoded", (t) => encodeURIComponent(t)],
    ["URL-encoded, lower-case hex", (t) => encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ["hex", (t) => Buffer.from(t).toString("hex")],
    ["upper-case hex", (t) => Buffer.from(t).toString("hex").toUpperCase()],
    ["space-separated hex (S3/OSS CanonicalRequestBytes)", (t) => spaced(Buffer.from(t))],
    ["base64, at any alignment inside a longer text", (t) => Buffer.from(`x-amz-security-token:${t}\n`).toString("base64")],
    ["base64, one byte later", (t) => Buffer.from(`Ax-amz-security-token:${t}\n`).toString("base64")],
    ["base64, two bytes later", (t) => Buffer.from(`ABx-amz-security-token:${t}\n`).toString("base64")],
    ["base64url", (t) => Buffer.from(`:${t}`).toString("base64url")],
  ];

  it.each(encodings)("masks a registered secret %s", (_name, encode) => {
    registerSecret(token);
    const text = `<CanonicalRequestBytes>50 55 54 ${encode(token)} 0a</CanonicalRequestBytes>`;
    const out = redact(text);
    expect(out).toContain("****");
    expect(leaks(out)).toEqual([]);
  });

  it.each(encodings)("masks a secret variable's value %s", (_name, encode) => {
    process.env.AWS_SESSION_TOKEN = token;
    expect(leaks(redact(`before ${encode(token)} after`))).toEqual([]);
  });

  it("masks it in --debug objects, whole, before long strings are cut", () => {
    registerSecret(token);
    // What the S3 SDK attaches to a SignatureDoesNotMatch: the canonical request as bytes, far longer
    // than a shown string, the token's bytes straddling where it is cut.
    const canonical = `PUT\n/bucket/key\n\nhost:127.0.0.1\n${"x-amz-meta-pad:".padEnd(600, "p")}\nx-amz-security-token:${token}\n${"x-amz-meta-tail:".padEnd(1000, "t")}\n`;
    const cause = Object.assign(new Error("The request signature we calculated does not match"), {
      name: "SignatureDoesNotMatch",
      CanonicalRequest: canonical,
      CanonicalRequestBytes: spaced(Buffer.from(canonical)),
      StringToSign: `AWS4-HMAC-SHA256\n${Buffer.from(canonical).toString("base64")}`,
    });
    const out = debugDetail(Object.assign(new Error("PutObject failed"), { cause }));
    expect(out).toContain("CanonicalRequestBytes");
    expect(out).toContain("more characters");
    expect(leaks(out)).toEqual([]);
    // Not even the first bytes of the token, in hex, before the cut.
    expect(out).not.toContain(spaced(bytes.subarray(0, 12)));
  });
});
