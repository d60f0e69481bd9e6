// A reader that goes away (`layerctl publish --help | head -1`): the process ends quietly with the
// exit code it would have had, and no Node stack on stderr. The reading end of stdout is closed
// before the child writes anything, so every write of it meets EPIPE (no race with `head`).
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIN, REPO, baseEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/archive.js";

function runWithClosedStdout(args: string[], cwd = REPO): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: baseEnv(), stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("stdout closed by its reader", () => {
  it("help ends with exit 0 and says nothing", async () => {
    const r = await runWithClosedStdout(["publish", "--help"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("a document ends with the command's exit code, without a stack", async () => {
    const r = await runWithClosedStdout(["schema", "output"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("a usage error keeps exit 2 and its one line on stderr", async () => {
    const r = await runWithClosedStdout(["publish"], await tempDir("layerctl-closed-"));
    expect(r.stderr).toMatch(/^layerctl: no layer directory given and no config file found; [^\n]*layerctl init[^\n]*\n$/);
    expect(r.code).toBe(2);
  });
});
