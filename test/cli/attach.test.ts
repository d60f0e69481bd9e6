// `layerctl attach` and `publish --attach` as a process: the document on stdout, one stderr line per
// failed function, exit codes 0 / 1 / 2.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { start, emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { REPO, runCli } from "../helpers/cli.js";

const PY_LAYER = path.join(REPO, "examples/layers/python-deps");
let emu: RunningEmulator;
let env: Record<string, string>;

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0, functionUpdateDelayMs: 0, functions: [{ name: "api" }] });
  env = emulatorEnv(emu.credentials, emu.url);
});
afterAll(async () => {
  await emu?.close();
});

describe("attach (process)", () => {
  it("a malformed layer reference is one usage line and exit 2", async () => {
    const r = await runCli(["attach", "deps", "--function", "api", "-p", "aws"], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^layerctl: "deps" does not name a layer version; write <layer>:<version>/)]);
  });

  it("publish --attach with a missing function is exit 2 with one stderr line, and nothing is published", async () => {
    const before = emu.faults.counts()["tencent:PublishLayerVersion"] ?? 0;
    const r = await runCli(["publish", PY_LAYER, "-p", "tencent", "-n", "cliattach", "--runtime", "python3.9", "--attach", "api,ghost", "--output", "json"], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^layerctl: --attach: function ghost does not exist in tencent ap-guangzhou; nothing was published; create the functions first/),
    ]);
    expect(emu.faults.counts()["tencent:PublishLayerVersion"] ?? 0).toBe(before);
  });

  it("publish --attach prints one JSON document with the attachments", async () => {
    const r = await runCli(["publish", PY_LAYER, "-p", "tencent", "-n", "cliattach", "--runtime", "python3.9", "--attach", "api", "--publish-version", "--output", "json"], {
      env,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["archive", "results", "attachments"]);
    expect(doc.attachments.map((a: { functionName: string; status: string }) => [a.functionName, a.status])).toEqual([["api", "attached"]]);
    expect(doc.attachments[0].functionVersion).toBe("1");
  });

  it("attach <layer>:latest --output json exits 0 when every function moved; a missing one is exit 1 with one stderr line", async () => {
    const r = await runCli(["attach", "cliattach:latest", "-f", "api", "-p", "tencent", "--output", "json"], { env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results).toEqual([expect.objectContaining({ functionName: "api", status: "unchanged", version: 1, previousVersion: 1 })]);

    const ghost = await runCli(["attach", "cliattach:latest", "-f", "api,ghost", "-p", "tencent", "--output", "json"], { env });
    expect(ghost.code).toBe(1);
    expect(JSON.parse(ghost.stdout).results.map((a: { functionName: string; status: string }) => [a.functionName, a.status])).toEqual([
      ["api", "unchanged"],
      ["ghost", "failed"],
    ]);
    const lines = ghost.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^layerctl: tencent ap-guangzhou ghost: ResourceNotFound.Function: /);
  });
});
