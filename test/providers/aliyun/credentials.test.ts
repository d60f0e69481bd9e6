// Alibaba Cloud's own credential rules, through the emulator's STS: the aliyun CLI's config.json
// modes, ~/.alibabacloud/credentials, the order between them and the variables, and the account
// id (the role's, the variable's, or STS GetCallerIdentity once per run and only when needed).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { emulatorEnv, start, type RunningEmulator } from "../../../src/emulator/index.js";
import { silentLogger } from "../../../src/output/log.js";
import { redact } from "../../../src/output/redact.js";
import type { AliyunCredentials } from "../../../src/providers/aliyun/credentials.js";
import { aliyunProvider as p } from "../../../src/providers/aliyun/index.js";
import { makeArchive, tempDirEach } from "../../helpers/archive.js";
import { callsSinceEachTest } from "../../helpers/emulator.js";
import { oidcToken } from "../../helpers/oidc.js";

let emu: RunningEmulator;
let home: string;
beforeAll(async () => {
  emu = await start({ port: 0 });
});
afterAll(async () => {
  await emu?.close();
});
tempDirEach("layerctl-aliyun-home-", (dir) => {
  home = dir;
});
const callsOf = callsSinceEachTest(() => emu);
const calls = (action: string) => callsOf(`aliyun:${action}`);

/** Only the STS endpoint and HOME: no keys, no account id, no FC endpoint unless given. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return { HOME: home, LAYERCTL_STS_ENDPOINT_ALIYUN: emu.url, ...extra };
}

function emuKeys() {
  const e = emulatorEnv(emu.credentials, emu.url);
  return { id: e.ALIBABA_CLOUD_ACCESS_KEY_ID!, secret: e.ALIBABA_CLOUD_ACCESS_KEY_SECRET! };
}

async function config(profiles: object[], current = ""): Promise<void> {
  await mkdir(path.join(home, ".aliyun"), { recursive: true });
  await writeFile(path.join(home, ".aliyun", "config.json"), JSON.stringify({ current, profiles }));
}

async function resolve(e: Record<string, string>, opts = {}): Promise<AliyunCredentials> {
  return (await p.resolveCredentials(e, opts)) as AliyunCredentials;
}

/** `public`: no endpoint override, as against the real cloud (nothing is sent in these tests). */
async function connect(creds: AliyunCredentials, region = "cn-hangzhou", where: "emulator" | "public" = "emulator") {
  return p.connect({
    region,
    endpoint: where === "emulator" ? emu.url : undefined,
    credentials: creds,
    requestTimeoutMs: 5000,
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    log: silentLogger,
  });
}

describe("~/.aliyun/config.json", () => {
  it("AK and StsToken modes; the current profile, ALIBABA_CLOUD_PROFILE and --profile pick one; secrets are registered", async () => {
    const k = emuKeys();
    await config(
      [
        { name: "default", mode: "AK", access_key_id: "LTAInotused", access_key_secret: "unused-secret-value", region_id: "cn-shanghai" },
        { name: "prod", mode: "AK", access_key_id: k.id, access_key_secret: k.secret, region_id: "cn-beijing" },
        { name: "sts", mode: "StsToken", access_key_id: "STS.x", access_key_secret: "sts-secret-value", sts_token: "sts-token-value" },
      ],
      "prod",
    );
    const current = await resolve(env());
    expect(current.source).toBe("profile prod (~/.aliyun/config.json)");
    await expect((await connect(current)).listLayers()).resolves.toBeInstanceOf(Array);
    expect((await resolve(env({ ALIBABA_CLOUD_PROFILE: "default" }))).source).toContain("profile default");
    expect(await (await resolve(env(), { profile: "sts" })).keys.get()).toMatchObject({ keyId: "STS.x", token: "sts-token-value" });
    expect(redact("unused-secret-value sts-token-value sts-secret-value")).toBe("**** **** ****");
    // The profile's region_id is the default region.
    expect(await p.profileRegion!(env(), {})).toBe("cn-beijing");
    expect(await p.profileRegion!(env(), { profile: "default" })).toBe("cn-shanghai");
    // ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true: the file is not read.
    expect(await p.resolveCredentials(env({ ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true" }), {}).catch((e: unknown) => e)).toBeInstanceOf(UsageError);
  });

  it("RamRoleArn: the profile's keys assume its role through STS; the account id is the role's", async () => {
    const k = emuKeys();
    await config(
      [{ name: "deploy", mode: "RamRoleArn", access_key_id: k.id, access_key_secret: k.secret, ram_role_arn: "acs:ram::1111222233334444:role/deployer", ram_session_name: "ci" }],
      "deploy",
    );
    const creds = await resolve(env());
    expect(creds.source).toBe(
      "role acs:ram::1111222233334444:role/deployer of profile deploy (~/.aliyun/config.json) (STS AssumeRole with the keys of profile deploy (~/.aliyun/config.json))",
    );
    expect(calls("AssumeRole")).toBe(1);
    expect(creds.accountId).toBe("1111222233334444");
    expect((await creds.keys.get()).keyId).toMatch(/^STS\./);
    await expect((await connect(creds)).listLayers()).resolves.toBeInstanceOf(Array);
  });

  it("ChainableRamRoleArn: a role assumed with another profile's keys (and a loop is named)", async () => {
    const k = emuKeys();
    await config([
      { name: "base", mode: "AK", access_key_id: k.id, access_key_secret: k.secret },
      { name: "chained", mode: "ChainableRamRoleArn", source_profile: "base", ram_role_arn: "acs:ram::1111222233334444:role/next" },
      { name: "a", mode: "ChainableRamRoleArn", source_profile: "b", ram_role_arn: "acs:ram::1:role/x" },
      { name: "b", mode: "ChainableRamRoleArn", source_profile: "a", ram_role_arn: "acs:ram::1:role/y" },
    ]);
    const creds = await resolve(env(), { profile: "chained" });
    expect(creds.source).toContain("role acs:ram::1111222233334444:role/next of profile chained");
    await expect((await connect(creds)).listLayers()).resolves.toBeInstanceOf(Array);
    const loop = (await p.resolveCredentials(env(), { profile: "a" }).catch((e: unknown) => e)) as UsageError;
    expect(loop.code).toBe("InvalidProfile");
  });

  it("OIDC mode: the profile's token file is exchanged with AssumeRoleWithOIDC", async () => {
    const file = path.join(home, "token");
    const token = oidcToken();
    await writeFile(file, token);
    await config(
      [{ name: "oidc", mode: "OIDC", ram_role_arn: "acs:ram::1111222233334444:role/gha", oidc_provider_arn: "acs:ram::1111222233334444:oidc-provider/gh", oidc_token_file: file }],
      "oidc",
    );
    const creds = await resolve(env());
    expect(creds.source).toContain("OIDC role acs:ram::1111222233334444:role/gha of profile oidc");
    expect(calls("AssumeRoleWithOIDC")).toBe(1);
    expect(redact(token)).toBe("****");
  });

  it("modes that need the metadata service, a browser or a program are refused by name", async () => {
    await config([{ name: "ecs", mode: "EcsRamRole", ram_role_name: "r" }], "ecs");
    const err = (await p.resolveCredentials(env(), {}).catch((e: unknown) => e)) as UsageError;
    expect(err.code).toBe("UnsupportedCredentials");
    expect(err.message).toContain("EcsRamRole");
  });
});

describe("~/.alibabacloud/credentials and the order", () => {
  it("access_key and ram_role_arn sections (ALIBABA_CLOUD_PROFILE, else default); config.json comes first, the variables before both", async () => {
    const k = emuKeys();
    await mkdir(path.join(home, ".alibabacloud"));
    await writeFile(
      path.join(home, ".alibabacloud", "credentials"),
      `[default]\ntype = access_key\naccess_key_id = ${k.id}\naccess_key_secret = ${k.secret}\n[role]\ntype = ram_role_arn\naccess_key_id = ${k.id}\naccess_key_secret = ${k.secret}\nrole_arn = acs:ram::1111222233334444:role/r\n`,
    );
    expect((await resolve(env())).source).toBe("profile default (~/.alibabacloud/credentials)");
    const role = await resolve(env({ ALIBABA_CLOUD_PROFILE: "role" }));
    expect(role.source).toContain("role acs:ram::1111222233334444:role/r of profile role (~/.alibabacloud/credentials)");
    await config([{ name: "cli", mode: "AK", access_key_id: k.id, access_key_secret: k.secret }], "cli");
    expect((await resolve(env())).source).toBe("profile cli (~/.aliyun/config.json)");
    expect((await resolve(env({ ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIenv", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "env-secret" }))).source).toBe(
      "environment (ALIBABA_CLOUD_ACCESS_KEY_ID)",
    );
    // ...but --profile wins over the variables, as with the aliyun CLI.
    expect((await resolve(env({ ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIenv", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "env-secret" }), { profile: "cli" })).source).toContain("profile cli");
  });

  it("the OIDC variables come after the keys and before the profiles; a partial set is named", async () => {
    const file = path.join(home, "token");
    await writeFile(file, oidcToken());
    const oidc = {
      ALIBABA_CLOUD_ROLE_ARN: "acs:ram::1111222233334444:role/gha",
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: "acs:ram::1111222233334444:oidc-provider/gh",
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: file,
    };
    await config([{ name: "cli", mode: "AK", access_key_id: "LTAIcli", access_key_secret: "cli-secret" }], "cli");
    expect((await resolve(env(oidc))).source).toMatch(/^OIDC role acs:ram::1111222233334444:role\/gha/);
    const partial = (await p.resolveCredentials(env({ ALIBABA_CLOUD_OIDC_TOKEN_FILE: file }), {}).catch((e: unknown) => e)) as UsageError;
    expect(partial.message).toContain("ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN are not set");
  });
});

describe("the account id", () => {
  it("is asked of STS GetCallerIdentity once for the whole run, only for the public endpoint", async () => {
    const k = emuKeys();
    const creds = await resolve(env({ ALIBABA_CLOUD_ACCESS_KEY_ID: k.id, ALIBABA_CLOUD_ACCESS_KEY_SECRET: k.secret }));
    expect(creds.accountId).toBeUndefined();
    // An endpoint of one's own needs no account id: nothing asked.
    await connect(creds);
    expect(calls("GetCallerIdentity")).toBe(0);
    // The public endpoint: asked once, for three regions.
    for (const region of ["cn-hangzhou", "cn-beijing", "cn-shanghai"]) await connect(creds, region, "public");
    expect(calls("GetCallerIdentity")).toBe(1);
    expect(await creds.account()).toBe(emu.credentials.aliyun.accountId);
  });

  it("comes from ALIBABA_CLOUD_ACCOUNT_ID, or the assumed role, without a call; a dry run asks nothing", async () => {
    const k = emuKeys();
    const base = { ALIBABA_CLOUD_ACCESS_KEY_ID: k.id, ALIBABA_CLOUD_ACCESS_KEY_SECRET: k.secret };
    expect((await resolve(env({ ...base, ALIBABA_CLOUD_ACCOUNT_ID: "5555666677778888" }))).accountId).toBe("5555666677778888");
    // The role's account wins over the variable (the variable names the account that assumes it).
    const role = await resolve(env({ ...base, ALIBABA_CLOUD_ACCOUNT_ID: "5555666677778888" }), { roleArn: "acs:ram::1111222233334444:role/x" });
    expect(role.accountId).toBe("1111222233334444");
    const dry = await resolve(env(base), { offline: true });
    await connect(dry, "cn-hangzhou", "public");
    expect(calls("GetCallerIdentity")).toBe(0);
  });
});

// FC's temporary bucket (FC 2.0, signed its own way, ./temp-bucket.ts) with the run's credentials:
// the account id it needs for x-fc-account-id and the object's key is looked up like the public
// endpoint's, and keys whose token FC refuses are renewed once, as for the FC 3.0 calls.
describe("FC's temporary bucket", () => {
  async function stageThere(creds: AliyunCredentials, region = "cn-hangzhou") {
    const storage = await p.storage.connect(
      { region, endpoint: emu.url, credentials: creds, requestTimeoutMs: 5000, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 }, log: silentLogger },
      { endpoint: emu.url },
    );
    const archive = await makeArchive();
    const file = path.join(home, "layer.zip");
    await writeFile(file, archive.bytes);
    const key = storage.keyFor("ignored.zip");
    const staged = await storage.stage({ path: file, size: archive.size, sha256: archive.sha256 }, key);
    return { key, staged };
  }

  it("with keys and no account id anywhere: STS GetCallerIdentity once for the run, the object under that account", async () => {
    const k = emuKeys();
    const creds = await resolve(env({ ALIBABA_CLOUD_ACCESS_KEY_ID: k.id, ALIBABA_CLOUD_ACCESS_KEY_SECRET: k.secret }));
    expect(creds.accountId).toBeUndefined();
    const first = await stageThere(creds);
    expect(first.key.startsWith(`${emu.credentials.aliyun.accountId}/`)).toBe(true);
    expect(first.staged.key).toBe(first.key);
    await stageThere(creds, "cn-beijing");
    expect(calls("GetCallerIdentity")).toBe(1);
    expect(calls("GetTempBucketToken")).toBe(2);
    expect(calls("PutObject")).toBe(2);
  });

  it("with an OIDC role's keys: signed with their token in the role's account; expired keys are exchanged again once", async () => {
    const tokenFile = path.join(home, "oidc-token");
    await writeFile(tokenFile, oidcToken());
    const creds = await resolve(
      env({
        ALIBABA_CLOUD_ROLE_ARN: "acs:ram::1111222233334444:role/publisher",
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: "acs:ram::1111222233334444:oidc-provider/github",
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile,
      }),
    );
    // The token call is admitted, then its keys expire before FC authenticates the body.
    emu.faults.add({ provider: "aliyun", action: "GetTempBucketToken", kind: "expire-credentials", times: 1 });
    const { key } = await stageThere(creds);
    expect(key.startsWith("1111222233334444/")).toBe(true);
    expect(calls("GetTempBucketToken")).toBe(2);
    expect(calls("AssumeRoleWithOIDC")).toBe(2);
    expect(calls("GetCallerIdentity")).toBe(0);
    expect(calls("PutObject")).toBe(1);
  });
});
