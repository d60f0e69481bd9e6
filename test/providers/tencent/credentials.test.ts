// Credential lookup from the `env` argument (never process.env) and ~/.tencentcloud/credentials.
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { redact } from "../../../src/output/redact.js";
import { tencentProvider as p } from "../../../src/providers/tencent/index.js";
import { tempDir } from "../../helpers/archive.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function homeWith(content: string | null): Promise<string> {
  const home = await tempDir();
  dirs.push(home);
  if (content !== null) {
    await mkdir(path.join(home, ".tencentcloud"));
    await writeFile(path.join(home, ".tencentcloud", "credentials"), content);
  }
  return home;
}

async function failure(promise: Promise<unknown>): Promise<UsageError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return err as UsageError;
}

describe("resolveCredentials", () => {
  it("reads the TENCENTCLOUD_* variables from the env argument", async () => {
    const creds = await p.resolveCredentials({ TENCENTCLOUD_SECRET_ID: "AKIDx", TENCENTCLOUD_SECRET_KEY: "secret-x", TENCENTCLOUD_SESSION_TOKEN: "tok" }, {});
    expect(creds).toEqual({ source: "environment", secretId: "AKIDx", secretKey: "secret-x", token: "tok" });
  });

  it("names the variables when nothing is set", async () => {
    const err = await failure(p.resolveCredentials({ HOME: await homeWith(null) }, {}));
    expect(err.code).toBe("MissingCredentials");
    expect(err.message).toContain("TENCENTCLOUD_SECRET_ID");
    expect(err.message).toContain("TENCENTCLOUD_SECRET_KEY");
  });

  it("says which half is missing", async () => {
    const err = await failure(p.resolveCredentials({ TENCENTCLOUD_SECRET_ID: "AKIDx" }, {}));
    expect(err.message).toBe("TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not");
  });

  it("falls back to the [default] profile of ~/.tencentcloud/credentials, and registers its secret for redaction", async () => {
    const home = await homeWith(
      "# comment\n[default]\nsecret_id = AKIDfile\nsecret_key = file-secret-value\n\n[other]\nsecret_id = AKIDother\nsecret_key = other-secret\ntoken = t2\n",
    );
    const creds = await p.resolveCredentials({ HOME: home }, {});
    expect(creds).toMatchObject({ secretId: "AKIDfile", secretKey: "file-secret-value" });
    expect(creds.source).toContain("profile default");
    expect(redact("oops file-secret-value leaked")).toBe("oops **** leaked");
    expect(await p.resolveCredentials({ HOME: home }, { profile: "other" })).toMatchObject({ secretId: "AKIDother", token: "t2" });
  });

  it("uses the variables even with --profile (the flag is shared with AWS in `-p aws,tencent --profile prod`)", async () => {
    const home = await homeWith("[default]\nsecret_id = AKIDfile\nsecret_key = file-secret\n[other]\nsecret_id = AKIDother\nsecret_key = other-secret\n");
    const env = { HOME: home, TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "env-secret" };
    expect(await p.resolveCredentials(env, { profile: "prod" })).toEqual({ source: "environment", secretId: "AKIDenv", secretKey: "env-secret", token: undefined });
    expect(await p.resolveCredentials(env, { profile: "other" })).toMatchObject({ source: "environment", secretId: "AKIDenv" });
    // No home directory at all: the variables are enough.
    expect(await p.resolveCredentials({ TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "env-secret" }, { profile: "prod" })).toMatchObject({ secretId: "AKIDenv" });
  });

  it("says which half is missing, with or without --profile", async () => {
    const home = await homeWith("[prod]\nsecret_id = a\nsecret_key = b\n");
    const err = await failure(p.resolveCredentials({ HOME: home, TENCENTCLOUD_SECRET_KEY: "k" }, { profile: "prod" }));
    expect(err.message).toBe("TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not");
  });

  it("without the variables, reports an unknown profile by name, with the variables and the file", async () => {
    const home = await homeWith("[default]\nsecret_id = a\nsecret_key = b\n");
    const err = await failure(p.resolveCredentials({ HOME: home }, { profile: "prod" }));
    expect(err.code).toBe("MissingCredentials");
    expect(err.message).toContain('"prod"');
    expect(err.message).toContain("TENCENTCLOUD_SECRET_ID");
    expect(err.message).toContain("TENCENTCLOUD_SECRET_KEY");
    expect(err.message).toContain(path.join(home, ".tencentcloud", "credentials"));
    expect(err.hint).toContain("[prod]");
    expect(err.hint).toContain("TENCENTCLOUD_SECRET_ID");
  });
});
