// `layerctl emulate` as a user runs it: start it, read the exported variables it prints, point
// layerctl at them, stop it with Ctrl-C, start it again on the same state dir.
import { afterEach, describe, expect, it } from "vitest";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { REPO, runCli, startEmulatorProcess, type EmulatorProcess } from "../helpers/cli.js";
import { tempDir } from "../helpers/archive.js";

type Running = EmulatorProcess;

// Whatever a test started is killed afterwards, even when an assertion failed half-way.
const started: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

function startEmulator(args: string[]): Promise<Running> {
  return startEmulatorProcess(args, started);
}

function stop(r: Running): Promise<number | null> {
  return new Promise((resolve) => {
    r.child.removeAllListeners("exit");
    // "close", not "exit": by then every byte of its stdout/stderr has been read.
    r.child.on("close", (code) => resolve(code));
    r.child.kill("SIGINT");
  });
}

describe("layerctl emulate", () => {
  it("prints the endpoint and credentials, serves layerctl, and keeps state across restarts", async () => {
    const stateDir = path.join(await tempDir(), "state");
    const layer = path.join(REPO, "examples/layers/python-deps");
    const first = await startEmulator(["--state-dir", stateDir, "--publish-delay", "0", "--function", "tencent:api"]);
    expect(first.env.LAYERCTL_ENDPOINT_TENCENT).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const pub = await runCli(["publish", layer, "-p", "tencent", "-n", "kept", "--runtime", "python3.9", "--output", "version"], { env: first.env });
    expect(pub.stderr).toBe("");
    expect(pub.stdout).toBe("1\n");
    const fn = await runCli(["publish-function", "api", "-p", "tencent", "--output", "version"], { env: first.env });
    expect(fn.stdout).toBe("1\n");
    expect(await stop(first)).toBe(0);
    expect(first.stderr()).toContain("listening on");

    const second = await startEmulator(["--state-dir", stateDir, "--publish-delay", "0"]);
    try {
      const got = await runCli(["get", "kept", "1", "-p", "tencent", "--output", "json"], { env: second.env });
      expect(JSON.parse(got.stdout).results[0]).toMatchObject({ layerName: "kept", version: 1, state: "Active" });
      const next = await runCli(["publish", layer, "-p", "tencent", "-n", "kept", "--runtime", "python3.9", "--output", "version"], { env: second.env });
      expect(next.stdout).toBe("2\n");
    } finally {
      await stop(second);
    }
  });

  it("injects faults given on the command line", async () => {
    const emu = await startEmulator(["--publish-delay", "0", "--fault", "aws:GetLayerVersion:server-error"]);
    try {
      const r = await runCli(["get", "x", "1", "-p", "aws", "--timeout", "20"], { env: emu.env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("ServiceException");
    } finally {
      await stop(emu);
    }
  });

  it("stops on Ctrl-C sent as soon as it has printed its variables", async () => {
    for (let i = 0; i < 3; i++) expect(await stop(await startEmulator([]))).toBe(0);
  });

  it("warns on stderr that its keys are public when it listens beyond loopback", async () => {
    const open = await startEmulator(["--host", "0.0.0.0"]);
    expect(await stop(open)).toBe(0);
    expect(open.stderr()).toMatch(/^layerctl: warning: the emulator listens on 0\.0\.0\.0, .*keys are public.*--host 127\.0\.0\.1/m);
    const local = await startEmulator([]);
    expect(await stop(local)).toBe(0);
    expect(local.stderr()).not.toContain("warning");
  });

  it("rejects a state dir that is a file with exit 2", async () => {
    const file = path.join(await tempDir(), "file.txt");
    await writeFile(file, "x");
    const r = await runCli(["emulate", "--port", "0", "--state-dir", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^layerctl: --state-dir .* is not a directory[^\n]*\n$/);
  });

  it("rejects a malformed fault with exit 2", async () => {
    const r = await runCli(["emulate", "--port", "0", "--fault", "aws:boom"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^layerctl: --fault "aws:boom"/);
  });
});
