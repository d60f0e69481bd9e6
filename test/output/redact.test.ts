import { afterEach, describe, expect, it } from "vitest";
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
