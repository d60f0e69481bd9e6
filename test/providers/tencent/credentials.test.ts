// Credential lookup from the `env` argument (never process.env), in the order the SDK and tccli
// document: --profile alone; the variables (every token spelling); TCCLI_PROFILE/default in
// ~/.tencentcloud/credentials and ~/.tccli; (OIDC and roles: test/conformance/credentials.test.ts).
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { redact } from "../../../src/output/redact.js";
import type { TencentCredentials } from "../../../src/providers/tencent/credentials.js";
import { tencentProvider as p } from "../../../src/providers/tencent/index.js";
import { tempDir } from "../../helpers/archive.js";
import { usageRejectionOf } from "../../helpers/cli-expect.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function homeWith(content: string | null, tccli: Record<string, object> = {}): Promise<string> {
  const home = await tempDir();
  dirs.push(home);
  if (content !== null) {
    await mkdir(path.join(home, ".tencentcloud"));
    await writeFile(path.join(home, ".tencentcloud", "credentials"), content);
  }
  if (Object.keys(tccli).length > 0) {
    await mkdir(path.join(home, ".tccli"));
    for (const [file, body] of Object.entries(tccli)) await writeFile(path.join(home, ".tccli", file), JSON.stringify(body));
  }
  return home;
}

async function keysOf(env: NodeJS.ProcessEnv, opts = {}) {
  const creds = (await p.resolveCredentials(env, opts)) as TencentCredentials;
  return { source: creds.source, ...(await creds.keys.get()) };
}

describe("resolveCredentials", () => {
  it("reads the TENCENTCLOUD_* variables from the env argument", async () => {
    const got = await keysOf({ TENCENTCLOUD_SECRET_ID: "AKIDx", TENCENTCLOUD_SECRET_KEY: "secret-x", TENCENTCLOUD_SESSION_TOKEN: "tok-value" });
    expect(got).toMatchObject({ keyId: "AKIDx", secret: "secret-x", token: "tok-value" });
    expect(got.source).toBe("environment (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_SESSION_TOKEN)");
  });

  it.each(["TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_TOKEN", "TENCENTCLOUD_SECURITY_TOKEN"])(
    "takes the session token from %s (the GitHub OIDC action exports the last two)",
    async (name) => {
      const got = await keysOf({ TENCENTCLOUD_SECRET_ID: "AKIDx", TENCENTCLOUD_SECRET_KEY: "secret-x", [name]: "token-from-ci" });
      expect(got.token).toBe("token-from-ci");
      expect(got.source).toContain(name);
      expect(redact("x token-from-ci y")).toBe("x **** y");
    },
  );

  it("takes two token spellings that agree, refuses two that differ", async () => {
    const base = { TENCENTCLOUD_SECRET_ID: "AKIDx", TENCENTCLOUD_SECRET_KEY: "secret-x" };
    expect((await keysOf({ ...base, TENCENTCLOUD_TOKEN: "same-token", TENCENTCLOUD_SECURITY_TOKEN: "same-token" })).token).toBe("same-token");
    const err = await usageRejectionOf(p.resolveCredentials({ ...base, TENCENTCLOUD_SESSION_TOKEN: "one-token", TENCENTCLOUD_TOKEN: "other-token" }, {}));
    expect(err.code).toBe("ConflictingCredentials");
    expect(err.message).toContain("TENCENTCLOUD_SESSION_TOKEN and TENCENTCLOUD_TOKEN");
    expect(err.message).not.toContain("one-token");
  });

  it("names the variables when nothing is set", async () => {
    const err = await usageRejectionOf(p.resolveCredentials({ HOME: await homeWith(null) }, {}));
    expect(err.code).toBe("MissingCredentials");
    expect(err.message).toContain("TENCENTCLOUD_SECRET_ID");
    expect(err.message).toContain("TENCENTCLOUD_SECRET_KEY");
    expect(err.message).toContain("TKE_");
  });

  it("says which half is missing", async () => {
    const err = await usageRejectionOf(p.resolveCredentials({ TENCENTCLOUD_SECRET_ID: "AKIDx" }, {}));
    expect(err.message).toBe("TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not");
  });

  it("falls back to the [default] profile of ~/.tencentcloud/credentials, and registers its secret for redaction", async () => {
    const home = await homeWith(
      "# comment\n[default]\nsecret_id = AKIDfile\nsecret_key = file-secret-value\n\n[other]\nsecret_id = AKIDother\nsecret_key = other-secret\ntoken = t2-token\n",
    );
    const got = await keysOf({ HOME: home });
    expect(got).toMatchObject({ keyId: "AKIDfile", secret: "file-secret-value" });
    expect(got.source).toBe("profile default (~/.tencentcloud/credentials)");
    expect(redact("oops file-secret-value leaked")).toBe("oops **** leaked");
    expect(await keysOf({ HOME: home }, { profile: "other" })).toMatchObject({ keyId: "AKIDother", token: "t2-token" });
    // TCCLI_PROFILE names the profile when --profile does not.
    expect(await keysOf({ HOME: home, TCCLI_PROFILE: "other" })).toMatchObject({ keyId: "AKIDother" });
  });

  it("--profile is used alone, as tccli does: the variables do not override what was asked for", async () => {
    const home = await homeWith("[default]\nsecret_id = AKIDfile\nsecret_key = file-secret\n[other]\nsecret_id = AKIDother\nsecret_key = other-secret\n");
    const env = { HOME: home, TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "env-secret" };
    expect(await keysOf(env, { profile: "other" })).toMatchObject({ keyId: "AKIDother", source: "profile other (~/.tencentcloud/credentials)" });
    // Without --profile the variables come first.
    expect(await keysOf(env)).toMatchObject({ keyId: "AKIDenv" });
    const err = await usageRejectionOf(p.resolveCredentials(env, { profile: "prod" }));
    expect(err.code).toBe("MissingCredentials");
    expect(err.message).toContain('"prod"');
    expect(err.hint).toContain("tencent:NAME");
  });

  it("reads tccli's ~/.tccli/<profile>.credential (and its region from .configure)", async () => {
    const home = await homeWith(null, {
      "ci.credential": { secretId: "AKIDtccli", secretKey: "tccli-secret-value", token: "tccli-token-value" },
      "ci.configure": { _sys_param: { region: "ap-shanghai", output: "json" } },
    });
    const got = await keysOf({ HOME: home }, { profile: "ci" });
    expect(got).toMatchObject({ keyId: "AKIDtccli", secret: "tccli-secret-value", token: "tccli-token-value" });
    expect(got.source).toBe("tccli profile ci (~/.tccli/ci.credential)");
    expect(redact("tccli-secret-value tccli-token-value")).toBe("**** ****");
    expect(await p.profileRegion!({ HOME: home }, { profile: "ci" })).toBe("ap-shanghai");
    expect(await p.profileRegion!({ HOME: home, TCCLI_PROFILE: "ci" }, {})).toBe("ap-shanghai");
    expect(await p.profileRegion!({ HOME: home }, {})).toBeUndefined();
  });

  it("refuses a tccli profile that uses the CVM role (instance metadata), naming it", async () => {
    const home = await homeWith(null, { "vm.credential": { type: "cvm-role" } });
    const err = await usageRejectionOf(p.resolveCredentials({ HOME: home }, { profile: "vm" }));
    expect(err.code).toBe("UnsupportedCredentials");
    expect(err.message).toContain("CVM instance role");
  });

  it("a half-filled profile is pointed at, not skipped", async () => {
    const home = await homeWith("[default]\nsecret_id = AKIDonly\n");
    const err = await usageRejectionOf(p.resolveCredentials({ HOME: home }, {}));
    expect(err.message).toContain("needs both secret_id and secret_key");
  });

  it("a role ARN of another cloud is refused before anything is read", async () => {
    const err = await usageRejectionOf(
      p.resolveCredentials({ TENCENTCLOUD_SECRET_ID: "AKIDx", TENCENTCLOUD_SECRET_KEY: "secret-x" }, { roleArn: "arn:aws:iam::123456789012:role/x" }),
    );
    expect(err.code).toBe("InvalidRoleArn");
    expect(err.hint).toContain("qcs::cam::uin/");
  });
});

describe("roles and OIDC (through the emulator's STS)", () => {
  it("tccli's TENCENTCLOUD_ROLE_ARN (+ session name) assumes a role with the variables' keys; so does a tccli profile's role-arn", async () => {
    const { start, emulatorEnv } = await import("../../../src/emulator/index.js");
    const emu = await start({ port: 0 });
    try {
      const e = emulatorEnv(emu.credentials, emu.url);
      const viaEnv = await keysOf({ ...e, TENCENTCLOUD_ROLE_ARN: "qcs::cam::uin/100099990000:roleName/ci", TENCENTCLOUD_ROLE_SESSION_NAME: "ci-run" });
      expect(viaEnv.source).toBe("role qcs::cam::uin/100099990000:roleName/ci (STS AssumeRole with environment (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY))");
      expect(viaEnv.keyId).toMatch(/^AKID/);
      expect(viaEnv.token).toBeTruthy();
      const home = await homeWith(null, {
        "x.credential": { secretId: e.TENCENTCLOUD_SECRET_ID, secretKey: e.TENCENTCLOUD_SECRET_KEY, "role-arn": "qcs::cam::uin/100099990000:roleName/x" },
      });
      const viaProfile = await keysOf({ HOME: home, LAYERCTL_STS_ENDPOINT_TENCENT: emu.url }, { profile: "x" });
      expect(viaProfile.source).toMatch(/^role qcs::cam::uin\/100099990000:roleName\/x \(STS AssumeRole with tccli profile x/);
      expect(emu.faults.counts()["tencent:AssumeRole"]).toBe(2);
    } finally {
      await emu.close();
    }
  });

  it("the TKE_* OIDC variables need all four; a missing token file is named", async () => {
    const partial = await usageRejectionOf(p.resolveCredentials({ TKE_ROLE_ARN: "qcs::cam::uin/1:roleName/r", TKE_REGION: "ap-guangzhou" }, {}));
    expect(partial.message).toContain("TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE are not set");
    const missing = await usageRejectionOf(
      p.resolveCredentials(
        { TKE_PROVIDER_ID: "gh", TKE_WEB_IDENTITY_TOKEN_FILE: "/nonexistent/token", TKE_ROLE_ARN: "qcs::cam::uin/1:roleName/r", TKE_REGION: "ap-guangzhou" },
        { offline: true },
      ),
    );
    expect(missing.code).toBe("CredentialsFileUnreadable");
    expect(missing.message).toContain("/nonexistent/token");
  });
});
