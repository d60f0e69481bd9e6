// Credentials with the CLI as the subject: --profile in its forms (one name for every cloud,
// provider:NAME), --debug and --dry-run saying where the keys came from, OIDC and --role-arn runs,
// and no secret (keys, session tokens, the OIDC token) in any output, in any encoding, including
// --debug's detail and the error paths of STS.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { tempDirEach } from "../helpers/archive.js";
import { REPO, runCli, type CliResult } from "../helpers/cli.js";
import { expectOneLineError } from "../helpers/cli-expect.js";
import { oidcToken, tencentWebIdentity } from "../helpers/oidc.js";
import { encodingsOf } from "../helpers/secret-encodings.js";
import { callsSinceEachTest, useEmulator } from "../helpers/emulator.js";

const PY_LAYER = path.join(REPO, "examples/layers/python-deps");

let emu: RunningEmulator;
let home: string;

useEmulator({}, (started) => {
  emu = started;
});
const calls = callsSinceEachTest(() => emu);
tempDirEach("layerctl-cli-home-", (dir) => {
  home = dir;
});

/** Where everything is (the emulator), HOME, and no keys at all unless `withKeys`. */
function env(extra: Record<string, string> = {}, withKeys = false): Record<string, string> {
  const all = emulatorEnv(emu.credentials, emu.url);
  const keys = /^(TENCENTCLOUD_SECRET_|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|ALIBABA_CLOUD_ACCESS_KEY_|ALIBABA_CLOUD_ACCOUNT_ID)/;
  const out = Object.fromEntries(Object.entries(all).filter(([k]) => withKeys || !keys.test(k)));
  return { ...out, HOME: home, AWS_CONFIG_FILE: path.join(home, ".aws", "config"), AWS_SHARED_CREDENTIALS_FILE: path.join(home, ".aws", "credentials"), ...extra };
}

/** The secrets every run here could hold: the emulator's keys and what its STS issued are checked by the caller. */
function expectNoSecret(r: CliResult, secrets: string[]): void {
  const out = r.stdout + r.stderr;
  for (const s of secrets) for (const form of encodingsOf(s)) expect(out, `a form of a secret (${form.slice(0, 6)}...) leaked`).not.toContain(form);
}

async function profiles(): Promise<void> {
  const c = emu.credentials;
  await mkdir(path.join(home, ".aws"), { recursive: true });
  await writeFile(
    path.join(home, ".aws", "credentials"),
    `[prod]\naws_access_key_id = ${c.aws.accessKeyId}\naws_secret_access_key = ${c.aws.secretAccessKey}\n[ci]\naws_access_key_id = ${c.aws.accessKeyId}\naws_secret_access_key = ${c.aws.secretAccessKey}\n`,
  );
  await writeFile(path.join(home, ".aws", "config"), "[profile prod]\nregion = eu-west-1\n");
  await mkdir(path.join(home, ".aliyun"));
  await writeFile(
    path.join(home, ".aliyun", "config.json"),
    JSON.stringify({
      current: "",
      profiles: [{ name: "release", mode: "AK", access_key_id: c.aliyun.accessKeyId, access_key_secret: c.aliyun.accessKeySecret, region_id: "cn-shanghai" }],
    }),
  );
  await mkdir(path.join(home, ".tencentcloud"));
  await writeFile(path.join(home, ".tencentcloud", "credentials"), `[ci]\nsecret_id = ${c.tencent.secretId}\nsecret_key = ${c.tencent.secretKey}\n`);
}

const emulatorSecrets = () => [emu.credentials.aws.secretAccessKey, emu.credentials.aliyun.accessKeySecret, emu.credentials.tencent.secretKey];

describe("layerctl providers", () => {
  it("lists where each cloud's credentials are looked for, in order", async () => {
    const r = await runCli(["providers", "--output", "json"]);
    const doc = JSON.parse(r.stdout) as { providers: Array<{ name: string; credentialOrder: string[] }> };
    for (const p of doc.providers) {
      expect(p.credentialOrder[0]).toMatch(new RegExp(`^--profile NAME \\(or ${p.name}:NAME\\)`));
      expect(p.credentialOrder.some((step) => /role-arn/.test(step))).toBe(true);
    }
    const table = await runCli(["providers", "--output", "table"]);
    expect(table.stdout).toContain("looked for in    1. --profile NAME (or tencent:NAME)");
  });
});

describe("--profile", () => {
  it("provider:NAME names each cloud's profile; --debug says which was used, and each profile's region applies", async () => {
    await profiles();
    const r = await runCli(["layers", "-p", "aws,aliyun", "--profile", "aws:prod,aliyun:release", "--debug", "--output", "json"], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("debug: aws credentials: profile prod: keys in the shared files");
    expect(r.stderr).toContain("debug: aliyun credentials: profile release (~/.aliyun/config.json)");
    expectNoSecret(r, emulatorSecrets());
    // A dry run plans where a publish would go: each profile's region, and says whose keys.
    const dry = await runCli(
      ["publish", PY_LAYER, "-p", "aws,aliyun", "-n", "deps", "--runtime", "python3.9", "--profile", "aws:prod", "--profile", "aliyun:release", "--dry-run", "--output", "json"],
      { env: env() },
    );
    expect(dry.code, dry.stderr).toBe(0);
    const regions = (JSON.parse(dry.stdout) as { results: Array<{ provider: string; region: string }> }).results.map((x) => `${x.provider}:${x.region}`);
    expect(regions).toEqual(["aws:eu-west-1", "aliyun:cn-shanghai"]);
    expect(dry.stderr).toContain("dry run: aliyun credentials: profile release (~/.aliyun/config.json)");
  });

  it("one NAME is every selected cloud's profile (repeatable too); a missing one is one line, exit 2, nothing sent", async () => {
    await profiles();
    const ok = await runCli(["layers", "-p", "tencent,aws", "--profile", "ci", "--output", "json"], { env: env() });
    expect(ok.code).toBe(0);
    const total = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
    const bad = await runCli(["layers", "-p", "tencent,aliyun", "--profile", "ci"], { env: env() });
    expect(bad.code).toBe(2);
    expectOneLineError(bad.stderr, 'Alibaba Cloud profile "ci"', "aliyun:NAME");
    expect(Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0)).toBe(total);
  });

  it("a profile's secrets show in no output, in no encoding, when its keys are refused (--debug on)", async () => {
    const c = emu.credentials;
    const secret = "profile-secret-Zq8s9Kd0";
    const token = "profile-token-Lm3Pq7Rt";
    await mkdir(path.join(home, ".tccli"), { recursive: true });
    await writeFile(path.join(home, ".tccli", "bad.credential"), JSON.stringify({ secretId: c.tencent.secretId, secretKey: secret, token }));
    await mkdir(path.join(home, ".aliyun"), { recursive: true });
    await writeFile(
      path.join(home, ".aliyun", "config.json"),
      JSON.stringify({ current: "bad", profiles: [{ name: "bad", mode: "StsToken", access_key_id: c.aliyun.accessKeyId, access_key_secret: secret, sts_token: token }] }),
    );
    await mkdir(path.join(home, ".aws"), { recursive: true });
    await writeFile(
      path.join(home, ".aws", "credentials"),
      `[bad]
aws_access_key_id = ${c.aws.accessKeyId}
aws_secret_access_key = ${secret}
aws_session_token = ${token}
`,
    );
    for (const p of ["tencent", "aws", "aliyun"]) {
      const r = await runCli(["publish", PY_LAYER, "-p", p, "-n", "leak", "--runtime", "python3.9", "--profile", "bad", "--debug"], { env: env() });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${p} credentials:`);
      expectNoSecret(r, [secret, token]);
    }
  });

  it("explicit beats the variables: keys in the environment do not override --profile", async () => {
    await profiles();
    const r = await runCli(["layers", "-p", "aws", "--profile", "prod", "--debug"], {
      env: env({ AWS_ACCESS_KEY_ID: "AKIAWRONG00000000000", AWS_SECRET_ACCESS_KEY: "wrong-secret-value" }),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("aws credentials: profile prod");
  });
});

describe("OIDC and roles", () => {
  it("a CI's OIDC token for all three clouds: one exchange each, published, and the token shows nowhere (--debug on)", async () => {
    const token = oidcToken();
    const file = path.join(home, "oidc");
    await writeFile(file, token);
    const oidc = {
      TKE_PROVIDER_ID: "github",
      TKE_WEB_IDENTITY_TOKEN_FILE: file,
      TKE_ROLE_ARN: "qcs::cam::uin/100012345678:roleName/gha",
      TKE_REGION: "ap-guangzhou",
      AWS_WEB_IDENTITY_TOKEN_FILE: file,
      AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/gha",
      ALIBABA_CLOUD_ROLE_ARN: "acs:ram::1234567890123456:role/gha",
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: "acs:ram::1234567890123456:oidc-provider/github",
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: file,
    };
    const r = await runCli(["publish", PY_LAYER, "-p", "tencent,aws,aliyun", "-n", "oidc-deps", "--runtime", "python3.9", "--debug", "--output", "json"], { env: env(oidc) });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { results: Array<{ status: string }> }).results.map((x) => x.status)).toEqual(["published", "published", "published"]);
    expect(r.stderr).toMatch(/debug: tencent credentials: OIDC role qcs::cam::uin\/100012345678:roleName\/gha \(TKE_WEB_IDENTITY_TOKEN_FILE/);
    expect(r.stderr).toMatch(/debug: aws credentials: AWS default chain: web identity/);
    expect(r.stderr).toMatch(/debug: aliyun credentials: OIDC role acs:ram::1234567890123456:role\/gha/);
    expect([calls("tencent:AssumeRoleWithWebIdentity"), calls("aws:AssumeRoleWithWebIdentity"), calls("aliyun:AssumeRoleWithOIDC")]).toEqual([1, 1, 1]);
    expectNoSecret(r, [token]);
  });

  it("a release of several layers (the config file) makes one exchange per cloud, not one per layer", async () => {
    const file = path.join(home, "oidc");
    await writeFile(file, oidcToken());
    const project = path.join(home, "project");
    for (const layer of ["one", "two", "three"]) {
      await mkdir(path.join(project, layer, "python"), { recursive: true });
      await writeFile(path.join(project, layer, "python", `${layer}.py`), `NAME = "${layer}"\n`);
    }
    const layers = ["one", "two", "three"].map((name) => ({
      name: `cfg-${name}`,
      dir: name,
      runtimes: ["python3.9"],
      providers: ["tencent"],
      regions: ["tencent:ap-guangzhou", "tencent:ap-shanghai"],
    }));
    await writeFile(path.join(project, "layerctl.config.json"), JSON.stringify({ layers }));
    const r = await runCli(["publish", "--output", "json"], {
      cwd: project,
      env: env({ TKE_PROVIDER_ID: "github", TKE_WEB_IDENTITY_TOKEN_FILE: file, TKE_ROLE_ARN: "qcs::cam::uin/100012345678:roleName/gha", TKE_REGION: "ap-guangzhou" }),
    });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { results: unknown[] }).results).toHaveLength(6);
    expect(calls("tencent:AssumeRoleWithWebIdentity")).toBe(1);
  });

  it("a dry run says where the keys would come from and exchanges nothing", async () => {
    const file = path.join(home, "oidc");
    await writeFile(file, oidcToken());
    const r = await runCli(["publish", PY_LAYER, "-p", "tencent,aws", "-n", "dry", "--runtime", "python3.9", "--dry-run", "--output", "json"], {
      env: env({
        TKE_PROVIDER_ID: "github",
        TKE_WEB_IDENTITY_TOKEN_FILE: file,
        TKE_ROLE_ARN: "qcs::cam::uin/1:roleName/r",
        TKE_REGION: "ap-guangzhou",
        AWS_WEB_IDENTITY_TOKEN_FILE: file,
        AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/r",
      }),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/dry run: tencent credentials: OIDC role qcs::cam::uin\/1:roleName\/r .*\(not exchanged: dry run\)/);
    expect(r.stderr).toMatch(/dry run: aws credentials: AWS default chain: web identity .*\(not exchanged: dry run\)/);
    expect(calls("tencent:AssumeRoleWithWebIdentity") + calls("aws:AssumeRoleWithWebIdentity")).toBe(0);
  });

  it("--role-arn into another account, even against the embedded emulator (its STS is there too)", async () => {
    const r = await runCli(
      ["publish", PY_LAYER, "-p", "aws", "-n", "cross", "--runtime", "python3.12", "--emulator", "--role-arn", "arn:aws:iam::210987654321:role/release", "--output", "json"],
      {
        env: { HOME: home },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { results: Array<{ arn: string }> }).results[0]!.arn).toMatch(/^arn:aws:lambda:us-east-1:210987654321:layer:cross:1$/);
  });

  it("an STS that refuses: one line with STS's code, exit 1; --debug's detail shows no token, no key", async () => {
    const token = oidcToken();
    const file = path.join(home, "oidc");
    await writeFile(file, token);
    emu.faults.add({ provider: "aliyun", action: "AssumeRoleWithOIDC", kind: "server-error" });
    const r = await runCli(["layers", "-p", "aliyun", "--debug"], {
      env: env({
        ALIBABA_CLOUD_ROLE_ARN: "acs:ram::1234567890123456:role/gha",
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: "acs:ram::1234567890123456:oidc-provider/gh",
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: file,
      }),
    });
    expect(r.code).toBe(1);
    const first = r.stderr.split("\n").find((l) => l.startsWith("layerctl: "))!;
    expect(first).toContain("InternalError");
    expect(first).toContain("could not get credentials from OIDC role acs:ram::1234567890123456:role/gha");
    expect(r.stderr).toContain("caused by"); // --debug's detail is there...
    expectNoSecret(r, [token, ...emulatorSecrets()]); // ...and holds no secret
  });

  it("temporary keys as the GitHub action exports them (TENCENTCLOUD_TOKEN): used with their token; when they expire, one error naming them", async () => {
    const base = emulatorEnv(emu.credentials, emu.url);
    const out = await tencentWebIdentity(emu.url, {
      ProviderId: "github",
      WebIdentityToken: oidcToken(),
      RoleArn: "qcs::cam::uin/100012345678:roleName/gha",
      RoleSessionName: "gha",
    });
    const k = out.Credentials as { TmpSecretId: string; TmpSecretKey: string; Token: string };
    const exported = { TENCENTCLOUD_SECRET_ID: k.TmpSecretId, TENCENTCLOUD_SECRET_KEY: k.TmpSecretKey, TENCENTCLOUD_TOKEN: k.Token, TENCENTCLOUD_SECURITY_TOKEN: k.Token };
    const ok = await runCli(["layers", "-p", "tencent", "--output", "json"], { env: env({ ...exported, LAYERCTL_ENDPOINT_TENCENT: base.LAYERCTL_ENDPOINT_TENCENT! }) });
    expect(ok.code, ok.stderr).toBe(0);
    emu.faults.add({ provider: "tencent", action: "ListLayers", kind: "expire-credentials", times: 1 });
    const before = calls("tencent:ListLayers");
    const expired = await runCli(["layers", "-p", "tencent", "-r", "ap-guangzhou,ap-shanghai,ap-beijing"], { env: env(exported) });
    expect(expired.code).toBe(1);
    expect(expired.stderr).toContain("AuthFailure.TokenFailure");
    expect(expired.stderr).toContain(
      "the credentials from environment (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_TOKEN, TENCENTCLOUD_SECURITY_TOKEN) were refused",
    );
    // One refused call for the run: the other regions were not tried with dead keys.
    expect(calls("tencent:ListLayers") - before).toBe(1);
    expectNoSecret(expired, [k.TmpSecretKey, k.Token]);
  });
});
