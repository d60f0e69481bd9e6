// With a state dir, layers, version counters, zips and function versions survive a restart.
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { start, type RunningEmulator } from "../../../src/emulator/index.js";
import { tempDir } from "../../helpers/archive.js";
import { sdkClient, sha256Hex, tinyZip } from "./helpers.js";

let running: RunningEmulator | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await running?.close();
  running = undefined;
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function boot(stateDir: string): Promise<RunningEmulator> {
  running = await start({ port: 0, stateDir, tencentPublishDelayMs: 0, functions: [{ name: "fn" }] });
  return running;
}

describe("persistence", () => {
  it("keeps layers, zips, counters and function versions across a restart", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const zip = tinyZip("persist");

    let emu = await boot(dir);
    let scf = sdkClient(emu);
    await scf.PublishLayerVersion({ LayerName: "kept", CompatibleRuntimes: ["Python3.9"], Content: { ZipFile: zip.toString("base64") }, Description: "v1" });
    await scf.PublishLayerVersion({ LayerName: "kept", CompatibleRuntimes: ["Python3.9"], Content: { ZipFile: zip.toString("base64") } });
    await scf.DeleteLayerVersion({ LayerName: "kept", LayerVersion: 2 });
    await scf.PublishVersion({ FunctionName: "fn" });
    await emu.close();
    running = undefined;

    const saved = JSON.parse(await readFile(path.join(dir, "state", "tencent.json"), "utf8"));
    expect(saved.regions["ap-guangzhou"].layers.kept.nextVersion).toBe(3);

    emu = await boot(dir);
    scf = sdkClient(emu);
    const got = await scf.GetLayerVersion({ LayerName: "kept", LayerVersion: 1 });
    expect(got).toMatchObject({ Description: "v1", CodeSha256: sha256Hex(zip), Status: "Active" });
    // the Location points at the new server, and the zip came back from disk
    expect(got.Location!.startsWith(emu.url)).toBe(true);
    expect(Buffer.from(await (await fetch(got.Location!)).arrayBuffer()).equals(zip)).toBe(true);
    // numbers are never reused, even across restarts
    expect((await scf.PublishLayerVersion({ LayerName: "kept", CompatibleRuntimes: ["Python3.9"], Content: { ZipFile: zip.toString("base64") } })).LayerVersion).toBe(3);
    expect((await scf.PublishVersion({ FunctionName: "fn" })).FunctionVersion).toBe("2");
  });

  it("starts empty without a state dir", async () => {
    const emu = await start({ port: 0, tencentPublishDelayMs: 0 });
    running = emu;
    expect((await sdkClient(emu).ListLayers({})).TotalCount).toBe(0);
  });
});
