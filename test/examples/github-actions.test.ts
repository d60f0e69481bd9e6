// Runs the steps of examples/github-actions.yml locally against the emulator: each matrix job in its
// own checkout, artifacts carried between jobs as the actions do, a failed step skipping the steps
// after it except those with `if: always()`, $GITHUB_OUTPUT checked at the end.
// What cannot run here is stood in for, and only that: actions/checkout copies the examples
// (layerctl.config.json + layers/), setup-node is the Node running the tests, "Install layerctl"
// puts this checkout's bin/layerctl on PATH, and the jobs' ${{ secrets.* }} are the emulator's keys.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { cp, mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { start, emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
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
  env?: Record<string, string>;
  steps: Step[];
  outputs?: Record<string, string>;
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

async function runJob(job: Job, matrix: Record<string, string>, workdir: string, artifacts: string, on: RunningEmulator = emu): Promise<JobRun> {
  await mkdir(workdir, { recursive: true });
  const githubOutput = path.join(workdir, ".github_output");
  await writeFile(githubOutput, "");
  const env = baseEnv({ ...emulatorEnv(on.credentials, on.url), PATH: `${path.dirname(BIN)}:${process.env.PATH}`, GITHUB_OUTPUT: githubOutput });
  let ok = true;
  for (const step of job.steps) {
    // After a failed step only the steps that ask to run always do (as on GitHub).
    if (!ok && step.if !== "always()") continue;
    if (step.if !== undefined) expect(step.if).toBe("always()");
    if (step.uses?.startsWith("actions/checkout@")) {
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
      const pattern = step.with!.pattern ? new RegExp(`^${String(step.with!.pattern).replace("*", ".*")}$`) : new RegExp(`^${String(step.with!.name).replace(".", "\\.")}$`);
      if (step.with!.pattern) expect(step.with!["merge-multiple"]).toBe(true);
      const into = path.join(workdir, String(step.with!.path ?? "."));
      await mkdir(into, { recursive: true });
      for (const name of (await readdir(artifacts)).filter((n) => pattern.test(n))) await cp(path.join(artifacts, name), into, { recursive: true });
    } else if (step.name === "Install layerctl") {
      // bin/layerctl of this checkout is on PATH instead of the npm package
      expect(step.run).toMatch(/^npm install --global layerctl@\d+\.\d+\.\d+$/);
    } else if (step.run) {
      // Asynchronously: the emulator answers from this very process.
      ok = (await bash(expand(step.run, matrix), workdir, env)) && ok;
    } else {
      throw new Error(`the test does not know how to run step ${JSON.stringify(step)}`);
    }
  }
  return { output: await readFile(githubOutput, "utf8"), ok };
}

/** Whether the step succeeded; its stderr is kept for the test's failure message. */
const stepLog: string[] = [];
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
  it("one release per ref at a time; each leg has its own cloud's secrets only", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    expect(workflow.concurrency).toEqual({ group: "layers-${{ github.ref }}", "cancel-in-progress": false });
    for (const job of [workflow.jobs.publish!, workflow.jobs.promote!]) {
      for (const [name, value] of Object.entries(job.env!)) {
        const provider = name.startsWith("TENCENTCLOUD_") ? "tencent" : name.startsWith("AWS_") ? "aws" : "aliyun";
        expect(value).toBe(`\${{ matrix.provider == '${provider}' && secrets.${name} || '' }}`);
      }
    }
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
    // eu-west-1 already holds another version: versions differ by region, and promotion must follow.
    const other = await tempDir();
    await writeFile(path.join(other, "other.py"), "x = 0\n");
    const pre = await runCli(["publish", other, "-p", "aws", "-r", "eu-west-1", "-n", "python-deps", "--runtime", "python3.10"], { env: emulatorEnv(emu.credentials, emu.url) });
    expect(pre.code).toBe(0);

    // Matrix jobs run in parallel on CI: here too.
    const legs = await Promise.all(providers.map((provider) => runJob(publish, { provider }, path.join(root, `publish-${provider}`), artifacts)));
    expect(stepLog).toEqual([]);
    expect(legs.every((l) => l.ok)).toBe(true);
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

    // A re-run (e.g. a retried job) finds every version unchanged and leaves the record as it was.
    const again = await runJob(publish, { provider: "aws" }, path.join(root, "publish-aws-rerun"), path.join(root, "rerun-artifacts"));
    expect(again.output).toBe("");
    const rerun = await readFile(path.join(root, "rerun-artifacts/record-aws/aws.json"), "utf8");
    const first = JSON.parse(await readFile(path.join(artifacts, "record-aws/aws.json"), "utf8"));
    expect(recordFileSchema.parse(JSON.parse(rerun)).layers["python-deps"]!.aws!["us-east-1"]).toMatchObject({ version: 1, status: "unchanged" });
    expect(JSON.parse(rerun).layers["python-deps"].aws["us-east-1"].version).toBe(first.layers["python-deps"].aws["us-east-1"].version);
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
