// What `layerctl --help` loads and how the launcher runs the entry (issue #10's start-up target;
// its timing is measured by `npm run bench`, never here). Which SDKs are loaded: publish.test.ts.
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
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

/** What `layerctl --help` needs, copied with its code caches into a temporary folder. */
async function entryCopy(): Promise<string> {
  const root = await tempDir("layerctl-cache-");
  await mkdir(path.join(root, "bin"));
  await mkdir(path.join(root, "dist"));
  for (const f of ["package.json", "bin/layerctl", "bin/package.json", "dist/cli.cjs", "dist/shared.cjs", "dist/cli.cjs.cache", "dist/shared.cjs.cache"]) {
    await copyFile(path.join(REPO, f), path.join(root, f));
  }
  return root;
}

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

  it("the code caches, written by the build, belong to their bundles and are accepted by this Node", () => {
    const bundles = [
      "cli.cjs",
      "shared.cjs",
      ...readdirSync(path.join(REPO, "dist/sdk"))
        .filter((f) => f.endsWith(".cjs"))
        .map((f) => `sdk/${f}`),
    ];
    expect(bundles.length).toBeGreaterThan(3);
    for (const file of bundles) {
      const bundle = path.join(REPO, "dist", file);
      // The cache starts with the build id on the bundle's first line; V8's data follows.
      const id = /^\/\/ layerctl build ([0-9a-f]{16})\n/.exec(readFileSync(bundle, "utf8"))?.[1];
      expect(id, file).toBeDefined();
      expect(readFileSync(`${bundle}.cache`).subarray(0, 17).toString(), file).toBe(`${id}\n`);
      const script = `const fs = require("node:fs"), vm = require("node:vm"), Module = require("node:module");
        const s = new vm.Script(Module.wrap(fs.readFileSync(${JSON.stringify(bundle)}, "utf8")), { filename: ${JSON.stringify(bundle)}, cachedData: fs.readFileSync(${JSON.stringify(`${bundle}.cache`)}).subarray(17) });
        process.stdout.write(String(s.cachedDataRejected));`;
      const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.stdout, file).toBe("false");
    }
  });

  it("a code cache from another build is not used, even when V8 would take it", async () => {
    // V8 checks a cache against its source's length only: this bundle differs from the one the
    // cache was made from in one letter and in its build id, and is as long.
    const root = await entryCopy();
    const bundle = path.join(root, "dist/cli.cjs");
    const text = readFileSync(bundle, "utf8");
    const changed = text
      .replace(/^\/\/ layerctl build [0-9a-f]{16}\n/, "// layerctl build 0123456789abcdef\n")
      .replace("Publish serverless layers to", "Publish serverless layerz to");
    expect(changed.length).toBe(text.length);
    await writeFile(bundle, changed);
    const r = spawnSync(process.execPath, [path.join(root, "bin/layerctl"), "--help"], { env: baseEnv(), encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Publish serverless layerz to");
  });

  it("a damaged or missing code cache only costs the compile: the same help, exit 0", async () => {
    const expected = await runCli(["--help"]);
    for (const damage of ["garbage", "missing"] as const) {
      const root = await entryCopy();
      for (const f of ["dist/cli.cjs.cache", "dist/shared.cjs.cache"]) {
        if (damage === "garbage") await writeFile(path.join(root, f), Buffer.alloc(4096, 0x5a));
        else await rm(path.join(root, f));
      }
      const r = spawnSync(process.execPath, [path.join(root, "bin/layerctl"), "--help"], { env: baseEnv(), encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(expected.stdout);
    }
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
