// The fleet commands as processes, where the process is the subject: status's exit codes for CI
// gates (0 in sync, 3 behind), download's exit 1 with no file left, and a usage mistake in one line.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorEnv, start, type RunningEmulator } from "../../src/emulator/index.js";
import { runCli } from "../helpers/cli.js";
import { expectOneLineError } from "../helpers/cli-expect.js";
import { tempDir } from "../helpers/archive.js";

let emu: RunningEmulator;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0 });
  env = emulatorEnv(emu.credentials, emu.url);
  dir = await tempDir("layerctl-cli-fleet-");
  await mkdir(path.join(dir, "layer", "python"), { recursive: true });
  await writeFile(path.join(dir, "layer", "python", "m.py"), "x = 1\n");
});
afterAll(async () => {
  await emu?.close();
});

describe("fleet commands (process)", () => {
  it("status exits 3 while a region is missing, 0 once every region holds the build", async () => {
    const layer = path.join(dir, "layer");
    const targets = ["-p", "aws", "-r", "aws:us-east-1,aws:eu-west-1"];
    const first = await runCli(["publish", layer, "-n", "clifleet", "--runtime", "python3.12", "-p", "aws", "-r", "us-east-1"], { env });
    expect(first.code).toBe(0);
    const behind = await runCli(["status", layer, "-n", "clifleet", ...targets, "--output", "table"], { env });
    expect(behind.code).toBe(3);
    expect(behind.stdout).toMatch(/eu-west-1\s+-\s+missing/);
    expect(behind.stderr).toBe("");
    const resumed = await runCli(["publish", layer, "-n", "clifleet", "--runtime", "python3.12", ...targets, "--align-version", "--output", "json"], { env });
    expect(resumed.code).toBe(0);
    const synced = await runCli(["status", layer, "-n", "clifleet", ...targets, "--output", "json"], { env });
    expect(synced.code).toBe(0);
    // us-east-1 already held the build at 1: aligning needed only eu-west-1's first version.
    expect(JSON.parse(synced.stdout).layers[0]).toMatchObject({ aligned: true, highestVersion: 1 });
    expect(JSON.parse(resumed.stdout).results.map((x: { status: string }) => x.status)).toEqual(["unchanged", "published"]);
  });

  it("download exits 1 on a damaged download and leaves nothing behind", async () => {
    const box = path.join(dir, "box");
    await mkdir(box);
    emu.faults.add({ provider: "aws", action: "DownloadLayerContent", kind: "bad-checksum" });
    try {
      const r = await runCli(["download", "clifleet:1", "-p", "aws", "-r", "us-east-1", "-o", path.join(box, "deps.zip")], { env });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("ChecksumMismatch");
      expect(await readdir(box)).toEqual([]);
    } finally {
      emu.faults.clear();
    }
  });

  it("a malformed layer:version is one line and exit 2, before any call", async () => {
    const before = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
    const r = await runCli(["download", "clifleet", "-p", "aws"], { env });
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, '"clifleet" is not <layer>:<version>');
    expect(Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0)).toBe(before);
  });
});
