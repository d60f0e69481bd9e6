// The lifecycle commands as processes: --yes when stdin is not a terminal, one question on a
// terminal (driven through `script`, which gives the CLI a real pseudo-terminal), exit codes,
// and a provider without sharing refused in one line.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { emulatorEnv, start, type RunningEmulator } from "../../src/emulator/index.js";
import { providers } from "../../src/providers/index.js";
import { silentLogger } from "../../src/output/log.js";
import type { ProviderClient } from "../../src/providers/types.js";
import path from "node:path";
import { BIN, REPO, baseEnv, hasScript, runCli } from "../helpers/cli.js";
import { expectOneLineError } from "../helpers/cli-expect.js";
import { makeArchive } from "../helpers/archive.js";

let emu: RunningEmulator;
let env: Record<string, string>;
let aws: ProviderClient;
let seq = 0;

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0 });
  env = emulatorEnv(emu.credentials, emu.url);
  const credentials = await providers.aws.resolveCredentials(env, {});
  aws = await providers.aws.connect({
    region: "us-east-1",
    endpoint: emu.url,
    credentials,
    requestTimeoutMs: 5_000,
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    log: silentLogger,
  });
});
afterAll(async () => {
  await emu?.close();
});

function calls(): number {
  return Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
}

async function layerWith(count: number): Promise<string> {
  const name = `cli${++seq}`;
  const archive = await makeArchive();
  for (let i = 0; i < count; i++)
    await aws.publishLayer({ layerName: name, archive, runtimes: ["python3.12"], architectures: [] }, { wait: true, waitTimeoutMs: 5_000, pollIntervalMs: 10 });
  return name;
}

async function versionsOf(name: string): Promise<number[]> {
  return (await aws.listLayerVersions(name)).map((v) => v.version!);
}

describe("without a terminal", () => {
  it("prune refuses to delete without --yes: exit 2, one line, no call", async () => {
    const name = await layerWith(2);
    const before = calls();
    const r = await runCli(["prune", name, "--keep", "1", "-p", "aws"], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expectOneLineError(r.stderr, "--yes");
    expect(calls()).toBe(before);
    expect(await versionsOf(name)).toEqual([2, 1]);
  });

  it("delete refuses without --yes too", async () => {
    const name = await layerWith(1);
    const r = await runCli(["delete", name, "1", "-p", "aws"], { env });
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, "--yes");
    expect(await versionsOf(name)).toEqual([1]);
  });

  it("prune --yes deletes and prints one record per version", async () => {
    const name = await layerWith(3);
    const r = await runCli(["prune", name, "--keep", "1", "-p", "aws", "--yes", "--output", "json"], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const doc = JSON.parse(r.stdout) as { results: Array<{ version: number; status: string }> };
    expect(doc.results.map((x) => [x.version, x.status])).toEqual([
      [3, "kept"],
      [2, "deleted"],
      [1, "deleted"],
    ]);
    expect(await versionsOf(name)).toEqual([3]);
  });

  it("prune --dry-run needs no --yes and prints the versions it would delete", async () => {
    const name = await layerWith(3);
    const r = await runCli(["prune", name, "--keep", "1", "-p", "aws", "--dry-run", "--output", "version"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("2\n1\n");
    expect(await versionsOf(name)).toEqual([3, 2, 1]);
  });

  it("delete --yes reports a missing version per version and exits 0", async () => {
    const name = await layerWith(1);
    const r = await runCli(["delete", name, "1", "5", "-p", "aws", "--yes", "--output", "env"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("LAYERCTL_DELETED=1\n");
    expect(r.stdout).toContain("LAYERCTL_NOT_FOUND=5\n");
  });

  it("share on a provider without sharing is a usage error in one line", async () => {
    const before = calls();
    const r = await runCli(["share", "deps", "1", "-p", "tencent", "--public"], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expectOneLineError(r.stderr, "tencent", "no API to share");
    expect(calls()).toBe(before);
  });

  it("publish --public on a provider without sharing is refused before packing", async () => {
    const r = await runCli(["publish", path.join(REPO, "examples/layers/python-deps"), "-p", "tencent", "-n", "x", "--runtime", "python3.9", "--public"], { env });
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, "no API to share");
  });

  it("emulate --function takes the layers a function uses", async () => {
    const r = await runCli(["emulate", "--port", "0", "--function", "aws:api=deps:x"]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, "--function", "LAYER:VERSION");
  });
});

describe.runIf(hasScript())("on a terminal", () => {
  /** Runs the CLI on a pseudo-terminal; types `answer` when the question shows, or never (null). */
  function onTerminal(args: string[], answer: string | null): Promise<{ code: number | null; output: string }> {
    const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    return new Promise((resolve, reject) => {
      const child = spawn("script", ["-qec", cmd, "/dev/null"], { env: baseEnv({ ...env, TERM: "xterm" }), stdio: ["pipe", "pipe", "pipe"] });
      let output = "";
      let answered = false;
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      child.stdout.on("data", (d) => {
        output += d;
        if (answer !== null && !answered && output.includes("[y/N]")) {
          answered = true;
          child.stdin.write(`${answer}\r`);
        }
      });
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });
  }

  it("prune asks once, and deletes after a yes", async () => {
    const name = await layerWith(3);
    const r = await onTerminal(["prune", name, "--keep", "1", "-p", "aws"], "y");
    expect(r.code).toBe(0);
    expect(r.output.match(/\[y\/N\]/g)).toHaveLength(1);
    expect(r.output).toContain(`delete 2 versions of layer ${name} (aws us-east-1: 2, 1)?`);
    expect(r.output).toMatch(/aws\s+us-east-1\s+\S+\s+2\s+deleted/);
    expect(await versionsOf(name)).toEqual([3]);
  });

  it("a no deletes nothing and exits 2", async () => {
    const name = await layerWith(2);
    const r = await onTerminal(["delete", name, "1", "2", "-p", "aws"], "n");
    expect(r.code).toBe(2);
    expect(r.output).toContain("not confirmed: nothing was deleted");
    expect(await versionsOf(name)).toEqual([2, 1]);
  });

  it("--yes asks nothing, even on a terminal", async () => {
    const name = await layerWith(2);
    const r = await onTerminal(["delete", name, "1", "-p", "aws", "--yes"], null);
    expect(r.code).toBe(0);
    expect(r.output).not.toContain("[y/N]");
    expect(await versionsOf(name)).toEqual([2]);
  });
});
