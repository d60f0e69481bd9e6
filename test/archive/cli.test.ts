import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import { BIN, runCli } from "../helpers/cli.js";
import { tempDir, writeTree } from "./helpers.js";

const work = tempDir();
const src = path.join(work, "my-layer");

beforeAll(() => {
  expect(fs.existsSync(path.resolve(__dirname, "../../dist/cli.cjs")), "run `npm run build` first").toBe(true);
  writeTree(src, {
    "python/greeting/__init__.py": "def hello():\n    return 'hi'\n",
    "bin/greet": { exec: "#!/bin/sh\necho hi\n" },
    // Over the inline threshold, so the CLI packs with its worker threads.
    "python/data.txt": Array.from({ length: 200_000 }, (_, i) => `row ${i}\n`).join(""),
  });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function expectUsageFailure(r: { code: number | null; stdout: string; stderr: string }, message: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/^layerctl: [^\n]*\n$/);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe("layerctl pack (process)", () => {
  it("--output json prints exactly the summary document, and nothing on stderr", async () => {
    const out = path.join(work, "layer.zip");
    const r = await runCli(["pack", src, "-o", out, "--output", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["path", "fileCount", "uncompressedBytes", "zipBytes", "sha256"]);
    const bytes = fs.readFileSync(out);
    expect(doc).toMatchObject({ path: out, fileCount: 3, zipBytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
    expect(doc.uncompressedBytes).toBe(["python/greeting/__init__.py", "bin/greet", "python/data.txt"].reduce((s, f) => s + fs.statSync(path.join(src, f)).size, 0));
  });

  it("writes ./<dir name>.zip by default and gives the same bytes on every run", async () => {
    const cwd = fs.mkdtempSync(path.join(work, "cwd-"));
    const first = await runCli(["pack", src, "--output", "json"], { cwd });
    const second = await runCli(["pack", src, "--output", "json"], { cwd });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).path).toBe(path.join(cwd, "my-layer.zip"));
    expect(JSON.parse(second.stdout).sha256).toBe(JSON.parse(first.stdout).sha256);
    const stamped = await runCli(["pack", src, "--output", "json"], { cwd, env: { SOURCE_DATE_EPOCH: "1700000000" } });
    expect(JSON.parse(stamped.stdout).sha256).not.toBe(JSON.parse(first.stdout).sha256);
  });

  it("`pack .` writes beside the folder (a layer never holds its own zip); -o may name a folder", async () => {
    const dot = await runCli(["pack", ".", "--output", "json"], { cwd: src });
    expect(dot.code).toBe(0);
    expect(JSON.parse(dot.stdout).path).toBe(path.join(work, "my-layer.zip"));
    const folder = fs.mkdtempSync(path.join(work, "out-"));
    const into = await runCli(["pack", src, "-o", folder, "--output", "json"]);
    expect(JSON.parse(into.stdout).path).toBe(path.join(folder, "my-layer.zip"));
    const missing = await runCli(["pack", src, "-o", path.join(work, "no-such-folder") + "/", "--output", "json"]);
    expectUsageFailure(missing, /no-such-folder.*does not exist/);
  });

  it("Ctrl-C mid-pack exits 130 with one line and leaves no temp file", async () => {
    const big = path.join(work, "big");
    // Random data does not compress: ~64 MB keeps the packer busy long enough to interrupt it.
    writeTree(big, Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`blob${i}.bin`, crypto.randomBytes(1 << 20)])));
    const outDir = fs.mkdtempSync(path.join(work, "sig-"));
    const child = spawn(process.execPath, [BIN, "pack", big, "-o", path.join(outDir, "big.zip")], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    // Interrupt once the temp file exists (the zip is being written), polling the folder.
    while (!fs.readdirSync(outDir).some((f) => f.endsWith(".tmp"))) {
      if (child.exitCode !== null) throw new Error("pack finished before it could be interrupted");
      await new Promise((r) => setImmediate(r));
    }
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toBe("layerctl: interrupted (SIGINT)\n");
    expect(fs.readdirSync(outDir)).toEqual([]);
  });

  it("prints a table with --output table", async () => {
    const r = await runCli(["pack", src, "-o", path.join(work, "table.zip"), "--output", "table"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sha256\s+[0-9a-f]{64}/);
  });

  it("bad input: exit 2, one line on stderr, nothing on stdout, no zip", async () => {
    expectUsageFailure(await runCli(["pack", path.join(work, "missing"), "-o", path.join(work, "x.zip"), "--output", "json"]), /missing does not exist/);
    // An output inside the folder being packed.
    expectUsageFailure(await runCli(["pack", ".", "-o", "layer.zip"], { cwd: src }), /is inside/);
    expect(fs.existsSync(path.join(work, "x.zip"))).toBe(false);
    expect(fs.readdirSync(src).sort()).toEqual(["bin", "python"]);
  });
});

describe("a full disk", () => {
  it("is one line naming the zip, exit 2, no temp file left", async () => {
    // The disk fills up: every write of a zip's bytes fails with ENOSPC, as it would on a full
    // filesystem (the only way to fill one without root is to make the write fail).
    const hook = path.join(work, "enospc.mjs");
    fs.writeFileSync(
      hook,
      `import fs from "node:fs";
const write = fs.writeSync;
fs.writeSync = function (fd, ...rest) {
  if (fd > 2) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });
  return write.call(this, fd, ...rest);
};
`,
    );
    const out = path.join(work, "full");
    fs.mkdirSync(out);
    const r = await runCli(["pack", src, "-o", path.join(out, "l.zip")], { nodeArgs: ["--import", hook] });
    expectUsageFailure(r, /^layerctl: no space left on device while writing ZIP .*l\.zip; free some space/);
    expect(fs.readdirSync(out)).toEqual([]);
  });
});
