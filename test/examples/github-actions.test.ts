// Runs the steps of examples/github-actions.yml locally against the emulator: each matrix job in its
// own checkout, artifacts carried between jobs as the actions do, $GITHUB_OUTPUT checked at the end.
// What cannot run here is stood in for, and only that: actions/checkout copies the examples
// (layerctl.config.json + layers/), setup-node is the Node running the tests, "Install layerctl"
// puts this checkout's bin/layerctl on PATH, and each cloud's OIDC credentials action does what its
// source does (exchange the job's OIDC token at its cloud's STS, export the variables it exports)
// against the emulator's STS, with a token made here. The jobs' environment holds the emulator's
// endpoints and no keys: a leg has only what its own cloud's action exported.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { cp, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { start, emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { loadAliyunSdk } from "../../src/providers/aliyun/sdk.js";
import { providers as adapters } from "../../src/providers/index.js";
import { oidcToken, tencentWebIdentity } from "../helpers/oidc.js";
import { recordFileSchema } from "../../src/record/schema.js";
import { BIN, REPO, baseEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/archive.js";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  id?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string;
  strategy?: { matrix: Record<string, string[]> };
  permissions?: Record<string, string>;
  steps: Step[];
  outputs?: Record<string, string>;
}

/** The repository variables the workflow reads (`${{ vars.* }}`): roles in the emulator's accounts. */
const VARS: Record<string, string> = {
  TENCENTCLOUD_ROLE_ARN: "qcs::cam::uin/100012345678:roleName/layer-publisher",
  TENCENTCLOUD_OIDC_PROVIDER_ID: "github",
  AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/layer-publisher",
  ALIBABA_CLOUD_ROLE_ARN: "acs:ram::1234567890123456:role/layer-publisher",
  ALIBABA_CLOUD_OIDC_PROVIDER_ARN: "acs:ram::1234567890123456:oidc-provider/github",
};

/** The credentials actions, as their sources do it, against the emulator's STS: the variables each exports. */
const OIDC_ACTIONS: Record<string, (w: Record<string, string>) => Promise<Record<string, string>>> = {
  // everpcpc/tencentcloud-oidc-auth (src/index.ts, src/utils.ts): AssumeRoleWithWebIdentity posted
  // with `Authorization: SKIP`; exports the keys, the token as TENCENTCLOUD_TOKEN and
  // TENCENTCLOUD_SECURITY_TOKEN, and TENCENTCLOUD_REGION.
  "everpcpc/tencentcloud-oidc-auth": async (w) => {
    const region = w.region ?? "ap-guangzhou";
    const res = await tencentWebIdentity(
      emu.url,
      {
        DurationSeconds: 3600,
        RoleSessionName: "github-actions-example-layers",
        WebIdentityToken: oidcToken({ aud: "sts.tencentcloudapi.com" }),
        RoleArn: w["role-arn"],
        ProviderId: w["oidc-provider-id"],
      },
      region,
    );
    const c = res.Credentials as { TmpSecretId: string; TmpSecretKey: string; Token: string };
    return {
      TENCENTCLOUD_SECRET_ID: c.TmpSecretId,
      TENCENTCLOUD_SECRET_KEY: c.TmpSecretKey,
      TENCENTCLOUD_TOKEN: c.Token,
      TENCENTCLOUD_SECURITY_TOKEN: c.Token,
      TENCENTCLOUD_REGION: region,
    };
  },
  // aws-actions/configure-aws-credentials: AssumeRoleWithWebIdentity through @aws-sdk/client-sts;
  // exports the keys, the session token and the region.
  "aws-actions/configure-aws-credentials": async (w) => {
    const sts = new STSClient({ region: w["aws-region"]!, endpoint: emu.url, credentials: async () => ({ accessKeyId: "unused", secretAccessKey: "unused" }) });
    const out = await sts.send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: w["role-to-assume"], RoleSessionName: "GitHubActions", WebIdentityToken: oidcToken(), DurationSeconds: 3600 }),
    );
    const c = out.Credentials!;
    return {
      AWS_ACCESS_KEY_ID: c.AccessKeyId!,
      AWS_SECRET_ACCESS_KEY: c.SecretAccessKey!,
      AWS_SESSION_TOKEN: c.SessionToken!,
      AWS_REGION: w["aws-region"]!,
      AWS_DEFAULT_REGION: w["aws-region"]!,
    };
  },
  // aliyun/configure-aliyun-credentials-action (index.js): @alicloud/credentials' OIDC role
  // provider, i.e. STS AssumeRoleWithOIDC (made here with @alicloud/sts20150401: that provider only
  // speaks https); exports the keys under three families of names, and no account id.
  "aliyun/configure-aliyun-credentials-action": async (w) => {
    const sdk = await loadAliyunSdk();
    const mod = (await import("@alicloud/sts20150401")) as unknown as { default: unknown };
    const ns = (typeof mod.default === "function" ? mod : mod.default) as unknown as typeof import("@alicloud/sts20150401");
    const client = new ns.default(new sdk.Config({ endpoint: new URL(emu.url).host, protocol: "http" }));
    const out = await client.assumeRoleWithOIDC(
      new ns.AssumeRoleWithOIDCRequest({
        OIDCProviderArn: w["oidc-provider-arn"],
        roleArn: w["role-to-assume"],
        OIDCToken: oidcToken({ aud: "github-actions" }),
        roleSessionName: "github-actions",
      }),
    );
    const c = out.body!.credentials!;
    const [id, secret, token] = [c.accessKeyId!, c.accessKeySecret!, c.securityToken!];
    return {
      ALIBABA_CLOUD_ACCESS_KEY_ID: id,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret,
      ALIBABA_CLOUD_SECURITY_TOKEN: token,
      ALICLOUD_ACCESS_KEY: id,
      ALICLOUD_SECRET_KEY: secret,
      ALICLOUD_SECURITY_TOKEN: token,
      ALIBABACLOUD_ACCESS_KEY_ID: id,
      ALIBABACLOUD_ACCESS_KEY_SECRET: secret,
      ALIBABACLOUD_SECURITY_TOKEN: token,
    };
  },
};

/** A step's `if:` (the workflow only compares a matrix value with a string). */
function runs(step: Step, matrix: Record<string, string>): boolean {
  if (step.if === undefined) return true;
  const m = /^matrix\.(\w+) == '([^']*)'$/.exec(step.if.trim());
  if (!m) throw new Error(`the test does not know how to evaluate if: ${step.if}`);
  return matrix[m[1]!] === m[2];
}

/** `${{ vars.X }}` in a step's inputs. */
function inputs(step: Step): Record<string, string> {
  return Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, String(v).replace(/\$\{\{\s*vars\.(\w+)\s*\}\}/g, (_, name: string) => VARS[name] ?? "")]));
}

let emu: RunningEmulator;
let workflow: { jobs: Record<string, Job> };
let root: string;

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0 });
  workflow = parse(await readFile(path.join(REPO, "examples/github-actions.yml"), "utf8"));
  root = await tempDir("layerctl-gha-");
});
afterAll(async () => {
  await emu?.close();
});

/** Substitutes ${{ matrix.x }}; any other expression left in a run step is a test bug. */
function expand(text: string, matrix: Record<string, string>): string {
  const out = text.replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, k: string) => matrix[k]!);
  expect(out).not.toContain("${{");
  return out;
}

async function runJob(job: Job, matrix: Record<string, string>, workdir: string, artifacts: string): Promise<string> {
  await mkdir(workdir, { recursive: true });
  const githubOutput = path.join(workdir, ".github_output");
  await writeFile(githubOutput, "");
  // The emulator's endpoints (the clouds' own, in CI), none of its keys.
  const endpoints = Object.fromEntries(Object.entries(emulatorEnv(emu.credentials, emu.url)).filter(([k]) => /ENDPOINT/.test(k)));
  const env = baseEnv({ ...endpoints, PATH: `${path.dirname(BIN)}:${process.env.PATH}`, GITHUB_OUTPUT: githubOutput });
  for (const step of job.steps) {
    if (!runs(step, matrix)) continue;
    const action = step.uses?.replace(/@.*$/, "");
    if (action && OIDC_ACTIONS[action]) {
      expect(job.permissions?.["id-token"]).toBe("write");
      Object.assign(env, await OIDC_ACTIONS[action](inputs(step)));
    } else if (step.uses?.startsWith("actions/checkout@")) {
      await cp(path.join(REPO, "examples/layers"), path.join(workdir, "layers"), { recursive: true });
      await cp(path.join(REPO, "examples/layerctl.config.json"), path.join(workdir, "layerctl.config.json"));
    } else if (step.uses?.startsWith("actions/setup-node@")) {
      // the Node running this test
    } else if (step.uses?.startsWith("actions/upload-artifact@")) {
      const name = expand(String(step.with!.name), matrix);
      await mkdir(path.join(artifacts, name), { recursive: true });
      const from = path.join(workdir, expand(String(step.with!.path), matrix));
      await cp(from, path.join(artifacts, name, path.basename(from)));
    } else if (step.uses?.startsWith("actions/download-artifact@")) {
      const pattern = new RegExp(`^${String(step.with!.pattern).replace("*", ".*")}$`);
      expect(step.with!["merge-multiple"]).toBe(true);
      const into = path.join(workdir, String(step.with!.path));
      await mkdir(into, { recursive: true });
      for (const name of (await readdir(artifacts)).filter((n) => pattern.test(n))) await cp(path.join(artifacts, name), into, { recursive: true });
    } else if (step.name === "Install layerctl") {
      // bin/layerctl of this checkout is on PATH instead of the npm package
    } else if (step.run) {
      // Each leg holds its own cloud's credentials and no other's.
      for (const p of Object.values(adapters)) {
        const held = p.secretVariables.filter((v) => env[v]);
        if (matrix.provider && p.name !== matrix.provider) expect(held, `${matrix.provider}'s leg holds ${p.name} secrets`).toEqual([]);
      }
      // Asynchronously: the emulator answers from this very process.
      await bash(expand(step.run, matrix), workdir, env);
    } else {
      throw new Error(`the test does not know how to run step ${JSON.stringify(step)}`);
    }
  }
  return readFile(githubOutput, "utf8");
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-eo", "pipefail", "-c", script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`step failed (exit ${code}): ${script}\n${stderr}`))));
  });
}

describe("examples/github-actions.yml", () => {
  it("the matrix publishes per provider with --record, the last job merges them into $GITHUB_OUTPUT", async () => {
    const publish = workflow.jobs.publish!;
    const versions = workflow.jobs.versions!;
    expect(versions.needs).toBe("publish");
    const artifacts = path.join(root, "artifacts");
    await mkdir(artifacts);
    const providers = publish.strategy!.matrix.provider!;
    expect(providers).toEqual(["tencent", "aws", "aliyun"]);
    expect(publish.permissions).toMatchObject({ "id-token": "write" });
    // Matrix jobs run in parallel on CI: here too.
    await Promise.all(providers.map((provider) => runJob(publish, { provider }, path.join(root, `publish-${provider}`), artifacts)));
    // Each leg exchanged its OIDC token at its own cloud's STS, once.
    const counts = emu.faults.counts();
    expect([counts["tencent:AssumeRoleWithWebIdentity"], counts["aws:AssumeRoleWithWebIdentity"], counts["aliyun:AssumeRoleWithOIDC"]]).toEqual([1, 1, 1]);
    for (const provider of providers) {
      const rec = recordFileSchema.parse(JSON.parse(await readFile(path.join(artifacts, `record-${provider}`, `${provider}.json`), "utf8")));
      expect(Object.keys(rec.layers["python-deps"]!)).toEqual([provider]);
    }

    const output = await runJob(versions, {}, path.join(root, "versions"), artifacts);
    const lines = output.trim().split("\n").sort();
    expect(lines).toEqual(
      [
        "LAYERCTL_PYTHON_DEPS_ALIYUN_CN_HANGZHOU_ARN=acs:fc:cn-hangzhou:1234567890123456:layers/python-deps/versions/1",
        "LAYERCTL_PYTHON_DEPS_ALIYUN_CN_HANGZHOU_VERSION=1",
        "LAYERCTL_PYTHON_DEPS_AWS_EU_WEST_1_ARN=arn:aws:lambda:eu-west-1:123456789012:layer:python-deps:1",
        "LAYERCTL_PYTHON_DEPS_AWS_EU_WEST_1_VERSION=1",
        "LAYERCTL_PYTHON_DEPS_AWS_US_EAST_1_ARN=arn:aws:lambda:us-east-1:123456789012:layer:python-deps:1",
        "LAYERCTL_PYTHON_DEPS_AWS_US_EAST_1_VERSION=1",
        "LAYERCTL_PYTHON_DEPS_TENCENT_AP_GUANGZHOU_VERSION=1",
        "LAYERCTL_PYTHON_DEPS_TENCENT_AP_SHANGHAI_VERSION=1",
      ].sort(),
    );
    // the job outputs name keys the merge step really writes
    for (const expr of Object.values(versions.outputs!)) {
      const key = /steps\.merge\.outputs\.(\w+)/.exec(expr)![1]!;
      expect(lines.some((l) => l.startsWith(`${key}=`))).toBe(true);
    }
    const lock = recordFileSchema.parse(JSON.parse(await readFile(path.join(root, "versions/layers.lock.json"), "utf8")));
    expect(Object.keys(lock.layers["python-deps"]!).sort()).toEqual(["aliyun", "aws", "tencent"]);

    // A re-run (e.g. a retried job) finds every version unchanged and records the same versions.
    const again = await runJob(publish, { provider: "aws" }, path.join(root, "publish-aws-rerun"), path.join(root, "rerun-artifacts"));
    expect(again).toBe("");
    const rerun = recordFileSchema.parse(JSON.parse(await readFile(path.join(root, "rerun-artifacts/record-aws/aws.json"), "utf8")));
    expect(rerun.layers["python-deps"]!.aws!["us-east-1"]).toMatchObject({ version: 1, status: "unchanged" });
  });
});
