// Runs the steps of examples/github-actions.yml locally against the emulator: each matrix job in its
// own checkout, artifacts carried between jobs as the actions do, a failed step skipping the steps
// after it except those with `if: always()`, $GITHUB_OUTPUT checked at the end.
// What cannot run here is stood in for, and only that: actions/checkout copies the examples
// (layerctl.config.json + layers/), setup-node is the Node running the tests, "Install layerctl"
// puts this checkout's bin/layerctl on PATH, and each cloud's OIDC credentials action does what its
// source does (exchange the job's OIDC token at its cloud's STS, export the variables it exports)
// against the emulator's STS, with a token made here. The jobs' environment holds the emulator's
// endpoints and no keys: a leg has only what its own cloud's action exported.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { cp, mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { start, emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { loadAliyunSdk } from "../../src/providers/aliyun/sdk.js";
import { providers as adapters } from "../../src/providers/index.js";
import { oidcToken, tencentWebIdentity } from "../helpers/oidc.js";
import { recordFileSchema } from "../../src/record/schema.js";
import { BIN, REPO, baseEnv, runCli } from "../helpers/cli.js";
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
  needs?: string | string[];
  if?: string;
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
const OIDC_ACTIONS: Record<string, (w: Record<string, string>, on: RunningEmulator) => Promise<Record<string, string>>> = {
  // everpcpc/tencentcloud-oidc-auth (src/index.ts, src/utils.ts): AssumeRoleWithWebIdentity posted
  // with `Authorization: SKIP`; exports the keys, the token as TENCENTCLOUD_TOKEN and
  // TENCENTCLOUD_SECURITY_TOKEN, and TENCENTCLOUD_REGION.
  "everpcpc/tencentcloud-oidc-auth": async (w, on) => {
    const region = w.region ?? "ap-guangzhou";
    const res = await tencentWebIdentity(
      on.url,
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
  "aws-actions/configure-aws-credentials": async (w, on) => {
    const sts = new STSClient({ region: w["aws-region"]!, endpoint: on.url, credentials: async () => ({ accessKeyId: "unused", secretAccessKey: "unused" }) });
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
  "aliyun/configure-aliyun-credentials-action": async (w, on) => {
    const sdk = await loadAliyunSdk();
    const mod = (await import("@alicloud/sts20150401")) as unknown as { default: unknown };
    const ns = (typeof mod.default === "function" ? mod : mod.default) as unknown as typeof import("@alicloud/sts20150401");
    const client = new ns.default(new sdk.Config({ endpoint: new URL(on.url).host, protocol: "http" }));
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

/** A step's `if:` (the workflow compares a matrix value with a string, or asks to run always); after a failed step only `always()` runs. */
function runs(step: Step, matrix: Record<string, string>, failed: boolean): boolean {
  if (step.if?.trim() === "always()") return true;
  if (failed) return false;
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
let workflow: { concurrency?: { group: string; "cancel-in-progress": boolean }; jobs: Record<string, Job> };
let root: string;

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0, functionUpdateDelayMs: 0, functions: [{ name: "api" }] });
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

interface JobRun {
  output: string;
  /** Every step ran and succeeded. */
  ok: boolean;
}

/** What a failed step printed, for the test's failure message. */
const stepLog: string[] = [];

async function runJob(job: Job, matrix: Record<string, string>, workdir: string, artifacts: string, on: RunningEmulator = emu): Promise<JobRun> {
  await mkdir(workdir, { recursive: true });
  const githubOutput = path.join(workdir, ".github_output");
  await writeFile(githubOutput, "");
  // The emulator's endpoints (the clouds' own, in CI), none of its keys.
  const endpoints = Object.fromEntries(Object.entries(emulatorEnv(on.credentials, on.url)).filter(([k]) => /ENDPOINT/.test(k)));
  const env = baseEnv({ ...endpoints, PATH: `${path.dirname(BIN)}:${process.env.PATH}`, GITHUB_OUTPUT: githubOutput });
  let ok = true;
  for (const step of job.steps) {
    if (!runs(step, matrix, !ok)) continue;
    const action = step.uses?.replace(/@.*$/, "");
    if (action && OIDC_ACTIONS[action]) {
      expect(job.permissions?.["id-token"]).toBe("write");
      Object.assign(env, await OIDC_ACTIONS[action](inputs(step), on));
    } else if (step.uses?.startsWith("actions/checkout@")) {
      await cp(path.join(REPO, "examples/layers"), path.join(workdir, "layers"), { recursive: true });
      await cp(path.join(REPO, "examples/layerctl.config.json"), path.join(workdir, "layerctl.config.json"));
    } else if (step.uses?.startsWith("actions/setup-node@")) {
      // the Node running this test
    } else if (step.uses?.startsWith("actions/upload-artifact@")) {
      const name = expand(String(step.with!.name), matrix);
      const from = path.join(workdir, expand(String(step.with!.path), matrix));
      const exists = await stat(from).then(
        () => true,
        () => false,
      );
      if (!exists && step.with!["if-no-files-found"] === "ignore") continue;
      await mkdir(path.join(artifacts, name), { recursive: true });
      await cp(from, path.join(artifacts, name, path.basename(from)));
    } else if (step.uses?.startsWith("actions/download-artifact@")) {
      // By pattern (several artifacts merged) or by name (one).
      const pattern = step.with!.pattern ? new RegExp(`^${String(step.with!.pattern).replace("*", ".*")}$`) : new RegExp(`^${String(step.with!.name).replaceAll(".", "\\.")}$`);
      if (step.with!.pattern) expect(step.with!["merge-multiple"]).toBe(true);
      const into = path.join(workdir, String(step.with!.path ?? "."));
      await mkdir(into, { recursive: true });
      for (const name of (await readdir(artifacts)).filter((n) => pattern.test(n))) await cp(path.join(artifacts, name), into, { recursive: true });
    } else if (step.name === "Install layerctl") {
      // bin/layerctl of this checkout is on PATH instead of the npm package; the workflow pins it.
      expect(step.run).toMatch(/^npm install --global layerctl@\d+\.\d+\.\d+$/);
    } else if (step.run) {
      // Each leg holds its own cloud's credentials and no other's.
      for (const p of Object.values(adapters)) {
        const held = p.secretVariables.filter((v) => env[v]);
        if (matrix.provider && p.name !== matrix.provider) expect(held, `${matrix.provider}'s leg holds ${p.name} secrets`).toEqual([]);
      }
      // Asynchronously: the emulator answers from this very process.
      ok = (await bash(expand(step.run, matrix), workdir, env)) && ok;
    } else {
      throw new Error(`the test does not know how to run step ${JSON.stringify(step)}`);
    }
  }
  return { output: await readFile(githubOutput, "utf8"), ok };
}

/** Whether the step succeeded; what a failed one printed goes to stepLog. */
function bash(script: string, cwd: string, env: Record<string, string>): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-eo", "pipefail", "-c", script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) stepLog.push(`step failed (exit ${code}): ${script}\n${stderr}`);
      resolve(code === 0);
    });
  });
}

describe("examples/github-actions.yml", () => {
  it("runs one release per ref at a time", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    expect(workflow.concurrency).toEqual({ group: "layers-${{ github.ref }}", "cancel-in-progress": false });
  });

  it("the matrix publishes per provider with --record, the merge job writes $GITHUB_OUTPUT, promote moves each region to its own version", async () => {
    const publish = workflow.jobs.publish!;
    const versions = workflow.jobs.versions!;
    const promote = workflow.jobs.promote!;
    expect(versions.needs).toBe("publish");
    expect(promote.needs).toEqual(["publish", "versions"]);
    const artifacts = path.join(root, "artifacts");
    await mkdir(artifacts);
    const providers = publish.strategy!.matrix.provider!;
    expect(providers).toEqual(["tencent", "aws", "aliyun"]);
    expect(publish.permissions).toMatchObject({ "id-token": "write" });
    // eu-west-1 already holds another version: versions differ by region, and promotion must follow.
    const other = await tempDir();
    await writeFile(path.join(other, "other.py"), "x = 0\n");
    const pre = await runCli(["publish", other, "-p", "aws", "-r", "eu-west-1", "-n", "python-deps", "--runtime", "python3.10"], { env: emulatorEnv(emu.credentials, emu.url) });
    expect(pre.code).toBe(0);

    // Matrix jobs run in parallel on CI: here too.
    const legs = await Promise.all(providers.map((provider) => runJob(publish, { provider }, path.join(root, `publish-${provider}`), artifacts)));
    expect(stepLog).toEqual([]);
    expect(legs.every((l) => l.ok)).toBe(true);
    // Each leg exchanged its OIDC token at its own cloud's STS, once.
    const counts = emu.faults.counts();
    expect([counts["tencent:AssumeRoleWithWebIdentity"], counts["aws:AssumeRoleWithWebIdentity"], counts["aliyun:AssumeRoleWithOIDC"]]).toEqual([1, 1, 1]);
    for (const provider of providers) {
      const rec = recordFileSchema.parse(JSON.parse(await readFile(path.join(artifacts, `record-${provider}`, `${provider}.json`), "utf8")));
      expect(Object.keys(rec.layers["python-deps"]!)).toEqual([provider]);
    }

    const { output } = await runJob(versions, {}, path.join(root, "versions"), artifacts);
    const lines = output.trim().split("\n").sort();
    expect(lines).toEqual(
      [
        "LAYERCTL_PYTHON_DEPS_ALIYUN_CN_HANGZHOU_ARN=acs:fc:cn-hangzhou:1234567890123456:layers/python-deps/versions/1",
        "LAYERCTL_PYTHON_DEPS_ALIYUN_CN_HANGZHOU_VERSION=1",
        "LAYERCTL_PYTHON_DEPS_AWS_EU_WEST_1_ARN=arn:aws:lambda:eu-west-1:123456789012:layer:python-deps:2",
        "LAYERCTL_PYTHON_DEPS_AWS_EU_WEST_1_VERSION=2",
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

    // Promote: every leg moves each region's function to that region's version, with the alias.
    expect(promote.permissions).toMatchObject({ "id-token": "write" });
    const promoted = await Promise.all(providers.map((provider) => runJob(promote, { provider }, path.join(root, `promote-${provider}`), artifacts)));
    expect(stepLog).toEqual([]);
    expect(promoted.every((l) => l.ok)).toBe(true);
    const check = await runCli(["attach", "python-deps", "--from-record", "layers.lock.json", "-f", "api", "--alias", "live", "--dry-run", "--output", "json"], {
      env: emulatorEnv(emu.credentials, emu.url),
      cwd: path.join(root, "promote-aws"),
    });
    expect(check.code).toBe(0);
    expect(
      JSON.parse(check.stdout).results.map((r: { provider: string; region: string; version: number; status: string }) => `${r.provider} ${r.region} ${r.version} ${r.status}`),
    ).toEqual(["tencent ap-guangzhou 1 unchanged", "tencent ap-shanghai 1 unchanged", "aws us-east-1 1 unchanged", "aws eu-west-1 2 unchanged", "aliyun cn-hangzhou 1 unchanged"]);

    // A re-run (e.g. a retried job) finds every version unchanged and records the same versions.
    const again = await runJob(publish, { provider: "aws" }, path.join(root, "publish-aws-rerun"), path.join(root, "rerun-artifacts"));
    expect(again.output).toBe("");
    const rerun = recordFileSchema.parse(JSON.parse(await readFile(path.join(root, "rerun-artifacts/record-aws/aws.json"), "utf8")));
    expect(rerun.layers["python-deps"]!.aws!["us-east-1"]).toMatchObject({ version: 1, status: "unchanged" });
  });

  it("a failed leg still uploads its record, the merge job merges the others, and nothing is promoted", async () => {
    const down = await start({ port: 0, tencentPublishDelayMs: 0, faults: [{ provider: "tencent", action: "PublishLayerVersion", kind: "publish-failed" }] });
    try {
      const artifacts = path.join(root, "failed-artifacts");
      await mkdir(artifacts);
      const publish = workflow.jobs.publish!;
      const legs = await Promise.all(["tencent", "aws"].map((provider) => runJob(publish, { provider }, path.join(root, `failed-${provider}`), artifacts, down)));
      expect(legs.map((l) => l.ok)).toEqual([false, true]);
      stepLog.length = 0;
      // The failed leg's record (no tencent version in it) was uploaded all the same.
      expect(JSON.parse(await readFile(path.join(artifacts, "record-tencent/tencent.json"), "utf8"))).toEqual({ format: 1, layers: {} });
      // GitHub runs the merge job after a failed leg only because of this condition; promote has none, so it is skipped.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
      expect(workflow.jobs.versions!.if).toBe("${{ !cancelled() }}");
      expect(workflow.jobs.promote!.if).toBeUndefined();
      const { output, ok } = await runJob(workflow.jobs.versions!, {}, path.join(root, "failed-versions"), artifacts, down);
      expect(ok).toBe(true);
      expect(output).toContain("LAYERCTL_PYTHON_DEPS_AWS_US_EAST_1_VERSION=1\n");
      expect(output).not.toContain("TENCENT");
    } finally {
      await down.close();
    }
  });
});
