// What `layerctl --help` loads and how the launcher runs the bundle (the start-up targets are
// measured by `npm run bench`, never here). Which SDKs are loaded: publish.test.ts.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFile, cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import module from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { blankRecord } from "../../src/providers/record.js";
import { writeRecordFile } from "../../src/record/write.js";
import { tempDir } from "../helpers/archive.js";
import { BIN, REPO, baseEnv, hasScript, runCli } from "../helpers/cli.js";

/** Node's built-in modules the CLI process loaded (process.moduleLoadList, written at exit). */
async function builtinsLoaded(args: string[]): Promise<{ code: number | null; stdout: string; builtins: string[] }> {
  const dir = await tempDir("layerctl-builtins-");
  const list = path.join(dir, "loaded");
  const preload = path.join(dir, "record.cjs");
  await writeFile(preload, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join("\\n")));\n`);
  const r = await runCli(args, { nodeArgs: ["--require", preload] });
  const builtins = (await readFile(list, "utf8"))
    .split("\n")
    .filter((l) => l.startsWith("NativeModule "))
    .map((l) => l.slice("NativeModule ".length));
  return { code: r.code, stdout: r.stdout, builtins };
}

const STREAM_MODULES = ["stream", "net", "tty"];

/** What an install of layerctl holds (package.json, bin/, dist/), copied into a folder with no node_modules. */
async function installedCopy(): Promise<string> {
  const root = await tempDir("layerctl-installed-");
  await cp(path.join(REPO, "bin"), path.join(root, "bin"), { recursive: true });
  await cp(path.join(REPO, "dist"), path.join(root, "dist"), { recursive: true });
  await copyFile(path.join(REPO, "package.json"), path.join(root, "package.json"));
  return root;
}

const hasCompileCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === "function";

describe("start-up", () => {
  it("--help makes no stdio stream: Node's stream, net and tty modules stay unloaded", async () => {
    // (A sub-command's help loads that command's module, and what it imports: not this case.)
    for (const args of [["--help"], ["--version"], ["help"]]) {
      const r = await builtinsLoaded(args);
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(r.builtins.filter((m) => STREAM_MODULES.includes(m))).toEqual([]);
    }
  });

  it("a command that prints a document does load them (so the test above can fail)", async () => {
    const r = await builtinsLoaded(["providers", "--output", "table"]);
    expect(r.code).toBe(0);
    expect(r.builtins).toEqual(expect.arrayContaining(["stream", "tty"]));
  });

  it("help written without a stream arrives whole, to its last line", async () => {
    for (const cmd of ["publish", "attach", "emulate"]) {
      const r = await runCli([cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: layerctl /);
      expect(r.stdout).toMatch(/Exit codes:[\s\S]*interrupted \(SIGINT\/SIGTERM\); temporary files are removed\n$/);
    }
  });

  it.runIf(hasScript())("help on a terminal wraps to the terminal's width", () => {
    const help = (cols: number) =>
      execFileSync("script", ["-qec", `stty cols ${cols} && ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} publish --help`, "/dev/null"], {
        env: baseEnv(),
        encoding: "utf8",
      }).replace(/\r/g, "");
    const narrow = help(50);
    const wide = help(200);
    expect(narrow).toMatch(/^Usage: layerctl publish/);
    // The option descriptions are wrapped to the width: narrower means more lines.
    expect(narrow.split("\n").length).toBeGreaterThan(wide.split("\n").length);
  });

  it("runs from dist/ alone: every package it loads is bundled", async () => {
    const root = await installedCopy();
    const help = spawnSync(process.execPath, [path.join(root, "bin/layerctl"), "--help"], { env: baseEnv(), encoding: "utf8" });
    expect(help.stderr).toBe("");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: layerctl /);
    // A command, a renderer and the zip writer's worker threads (the layer is over their threshold).
    const layer = path.join(root, "layer");
    await mkdir(layer);
    await writeFile(path.join(layer, "data.txt"), "row\n".repeat(100_000));
    const out = path.join(root, "layer.zip");
    const pack = spawnSync(process.execPath, [path.join(root, "bin/layerctl"), "pack", layer, "-o", out, "--output", "json"], { env: baseEnv(), encoding: "utf8" });
    expect(pack.stderr).toBe("");
    expect(pack.status).toBe(0);
    expect(JSON.parse(pack.stdout)).toMatchObject({ path: out, fileCount: 1 });
  });

  it("without dist/: one line saying to build, exit 2", async () => {
    const root = await installedCopy();
    await rm(path.join(root, "dist"), { recursive: true });
    const r = spawnSync(process.execPath, [path.join(root, "bin/layerctl"), "--help"], { env: baseEnv(), encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("layerctl: dist/ is missing; run `npm run build` first\n");
  });

  it.runIf(hasCompileCache)("keeps Node's compile cache of the bundle, and a damaged cache only costs the compile", async () => {
    const cache = await tempDir("layerctl-compile-cache-");
    const run = () => spawnSync(process.execPath, [BIN, "--help"], { env: baseEnv({ NODE_COMPILE_CACHE: cache }), encoding: "utf8" });
    const first = run();
    expect(first.status).toBe(0);
    const files = (await readdir(cache, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) await writeFile(path.join(f.parentPath, f.name), Buffer.alloc(4096, 0x5a));
    const damaged = run();
    expect(damaged.stderr).toBe("");
    expect(damaged.status).toBe(0);
    expect(damaged.stdout).toBe(first.stdout);
  });
});

describe("the end of a run", () => {
  it("a document larger than a pipe holds arrives whole before the process exits", async () => {
    // The CLI exits as soon as its run is over (no runtime teardown), once what it wrote has left
    // the process: a 64 KiB pipe buffer cannot hold this document, so most of it is still queued
    // in the process when the run ends.
    const dir = await tempDir("layerctl-big-doc-");
    const file = path.join(dir, "big.json");
    const records = Array.from({ length: 4000 }, (_, i) => ({
      ...blankRecord("aws", `region-${i}`, "deps"),
      version: i + 1,
      codeSha256: "ab".repeat(32),
      arn: `arn:aws:lambda:region-${i}:123456789012:layer:deps:${i + 1}`,
    }));
    await writeRecordFile(file, records);
    const r = await runCli(["record", "merge", file, "--output", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(1024 * 1024);
    const doc = JSON.parse(r.stdout) as { layers: { deps: { aws: Record<string, unknown> } } };
    expect(Object.keys(doc.layers.deps.aws)).toHaveLength(4000);
  });
});
