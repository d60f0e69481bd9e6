// Runs the steps of examples/github-actions.yml locally against the emulator: each matrix job in its
// own checkout, artifacts carried between jobs as the actions do, $GITHUB_OUTPUT checked at the end.
// What cannot run here is stood in for, and only that: actions/checkout copies the examples
// (layerctl.config.json + layers/), setup-node is the Node running the tests, "Install layerctl"
// puts this checkout's bin/layerctl on PATH, and the jobs' ${{ secrets.* }} are the emulator's keys.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { cp, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { start, emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { recordFileSchema } from "../../src/record/schema.js";
import { BIN, REPO, baseEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/archive.js";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  id?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string;
  strategy?: { matrix: Record<string, string[]> };
  steps: Step[];
  outputs?: Record<string, string>;
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
  const env = baseEnv({ ...emulatorEnv(emu.credentials, emu.url), PATH: `${path.dirname(BIN)}:${process.env.PATH}`, GITHUB_OUTPUT: githubOutput });
  for (const step of job.steps) {
    if (step.uses?.startsWith("actions/checkout@")) {
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
    // Matrix jobs run in parallel on CI: here too.
    await Promise.all(providers.map((provider) => runJob(publish, { provider }, path.join(root, `publish-${provider}`), artifacts)));
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
