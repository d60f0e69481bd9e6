// Ctrl-C during each phase of a publish, as a process (the process is the subject): what the run
// leaves behind is removed or named, what it was doing and will never learn the end of is named
// with a command to check, and it exits 130. The emulator runs in this process; the call of the
// phase is held with an injected latency, and the signal goes once the emulator has received it.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import type { FaultRule } from "../../src/emulator/types.js";
import { tempDir } from "../helpers/archive.js";
import { baseEnv, BIN, REPO } from "../helpers/cli.js";
import { useEmulator } from "../helpers/emulator.js";

let emu: RunningEmulator;
let small: string;
let big: string;

useEmulator(
  {
    tencentPublishDelayMs: 60_000,
    functionUpdateDelayMs: 0,
    buckets: [{ provider: "aws", name: "int-layers", region: "us-east-1" }],
    functions: [{ provider: "aws", name: "api" }],
  },
  (started) => {
    emu = started;
  },
);
beforeAll(async () => {
  const root = await tempDir("layerctl-interrupt-");
  small = path.join(root, "small");
  await mkdir(path.join(small, "python"), { recursive: true });
  await writeFile(path.join(small, "python/mod.py"), "x = 1\n");
  // Over one 8 MiB part, and incompressible: staged as a multipart upload.
  big = path.join(root, "big");
  await mkdir(path.join(big, "python"), { recursive: true });
  await writeFile(path.join(big, "python/blob.bin"), randomBytes(9 * 1024 * 1024));
});
beforeEach(() => emu.faults.clear());

const count = (action: string) => emu.faults.counts()[`aws:${action}`] ?? 0;
/** Calls of `action` from now on: the phase's call of this run, not an earlier test's. */
function from(action: string, provider = "aws"): () => number {
  const at = emu.faults.counts()[`${provider}:${action}`] ?? 0;
  return () => (emu.faults.counts()[`${provider}:${action}`] ?? 0) - at;
}

/** Runs layerctl, sends SIGINT once `ready()` holds (polled), and returns how it ended. */
async function interrupt(args: string[], ready: () => boolean): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: baseEnv(emulatorEnv(emu.credentials, emu.url)), stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let stdout = "";
  child.stderr.on("data", (d) => (stderr += d));
  child.stdout.on("data", (d) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  while (!ready()) {
    if (child.exitCode !== null) throw new Error(`layerctl ended before it could be interrupted: ${stderr}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill("SIGINT");
  return { code: await exited, stderr, stdout };
}

const ready = (calls: () => number) => () => calls() >= 1;
const hold = (action: string, provider: FaultRule["provider"] = "aws"): FaultRule => ({ provider, action, kind: "latency", latencyMs: 20_000 });

describe("Ctrl-C during a publish", () => {
  it("while a multipart upload is going up: the upload is aborted, nothing else to say", async () => {
    emu.faults.add(hold("UploadPart"));
    const r = await interrupt(["publish", big, "-n", "intbig", "-p", "aws", "--runtime", "python3.12", "--upload", "storage", "--bucket", "int-layers"], ready(from("UploadPart")));
    expect(r.code).toBe(130);
    expect(count("AbortMultipartUpload")).toBeGreaterThanOrEqual(1);
    expect(r.stderr).not.toContain("left behind");
    expect(r.stderr.trim().split("\n").at(-1)).toBe("layerctl: interrupted (SIGINT)");
    expect(r.stdout).toBe("");
  });

  it("while the publish call is under way: names the version that may exist and how to check", async () => {
    emu.faults.add(hold("PublishLayerVersion"));
    const r = await interrupt(["publish", small, "-n", "intcall", "-p", "aws", "--runtime", "python3.12"], ready(from("PublishLayerVersion")));
    expect(r.code).toBe(130);
    expect(r.stderr).toContain("aws us-east-1: a version of intcall may exist (its publish was under way)");
    expect(r.stderr).toContain(`\`layerctl versions intcall -p aws -r us-east-1 --endpoint ${emu.url}\``);
    expect(r.stdout).toBe("");
  });

  it("while publishing from a staged object: the object a publish may be reading is named with the command that removes it", async () => {
    emu.faults.add(hold("PublishLayerVersion"));
    const r = await interrupt(
      ["publish", small, "-n", "intstaged", "-p", "aws", "--runtime", "python3.12", "--upload", "storage", "--bucket", "int-layers"],
      ready(from("PublishLayerVersion")),
    );
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/the staged object int-layers\/layerctl\/intstaged\/[0-9a-f]{64}-[0-9a-f]{8}\.zip was left behind: remove it with `aws s3 rm s3:\/\/int-layers\//);
    expect(r.stderr).toContain("a version of intstaged may exist");
  });

  it("after staging, before the publish call: the staged object is removed", async () => {
    // Held on the read before publishing (the baseline), after the upload.
    emu.faults.add(hold("ListLayerVersions"));
    const removed = count("DeleteObject");
    const lists = from("ListLayerVersions");
    const r = await interrupt(["publish", small, "-n", "intbefore", "-p", "aws", "--runtime", "python3.12", "--upload", "storage", "--bucket", "int-layers"], () => lists() >= 1);
    expect(r.code).toBe(130);
    expect(count("DeleteObject") - removed).toBe(1);
    expect(r.stderr).not.toContain("left behind");
  });

  it("while waiting for an asynchronous version to become Active (Tencent): names the version that may exist", async () => {
    const r = await interrupt(["publish", small, "-n", "intwait", "-p", "tencent", "--runtime", "python3.9"], ready(from("GetLayerVersion", "tencent")));
    expect(r.code).toBe(130);
    expect(r.stderr).toContain("tencent ap-guangzhou: a version of intwait may exist");
  });

  it("while attaching: names the layer-list update and the function version under way", async () => {
    emu.faults.add(hold("UpdateFunctionConfiguration"));
    const update = await interrupt(["publish", small, "-n", "intatt", "-p", "aws", "--runtime", "python3.12", "--attach", "api"], ready(from("UpdateFunctionConfiguration")));
    expect(update.code).toBe(130);
    expect(update.stderr).toContain("the layer list of api may have been updated (the update was under way)");
    emu.faults.clear();
    emu.faults.add(hold("PublishVersion"));
    const version = await interrupt(
      ["publish", small, "-n", "intatt", "-p", "aws", "--runtime", "python3.12", "--attach", "api", "--publish-version"],
      ready(from("PublishVersion")),
    );
    expect(version.code).toBe(130);
    expect(version.stderr).toContain("a version of function api may exist (its publish was under way): check with `aws lambda list-versions-by-function --function-name api");
  });
});
