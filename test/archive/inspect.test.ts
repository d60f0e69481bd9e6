import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inspectZip, pack } from "../../src/archive/index.js";
import { UsageError } from "../../src/errors.js";
import { hasTool, tempDir, writeTree } from "./helpers.js";

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const src = writeTree(path.join(work, "src"), {
  "python/a.py": "a = 1\n",
  "python/pkg/b.py": "b = 2\n".repeat(100),
  "bin/tool": { exec: "#!/bin/sh\n" },
  "bin/alias": { link: "tool" },
});

describe("inspectZip", () => {
  it("summarises a packed zip exactly as pack did", async () => {
    const zip = path.join(work, "layer.zip");
    const packed = await pack({ dir: src, output: zip });
    expect(await inspectZip(path.relative(process.cwd(), zip))).toEqual(packed);
  });

  it.runIf(hasTool("zip"))("reads zips from other tools (Info-ZIP)", async () => {
    const zip = path.join(work, "infozip.zip");
    expect(spawnSync("zip", ["-r", "-y", "-q", zip, "."], { cwd: src }).status).toBe(0);
    const got = await inspectZip(zip);
    expect(got.archive).toMatchObject({ path: zip, fileCount: 4, uncompressedBytes: 6 + 600 + 10 + 4 });
    expect(got.topLevel).toEqual(["bin", "python"]);
  });

  it.each([
    ["a text file", "notes.txt", "just text, long enough to be mistaken for nothing at all"],
    ["a truncated zip", "cut.zip", "truncate"],
    ["a folder", "folder.zip", "mkdir"],
  ])("refuses %s", async (_what, name, content) => {
    const p = path.join(work, name);
    if (content === "mkdir") fs.mkdirSync(p);
    else if (content === "truncate") fs.writeFileSync(p, fs.readFileSync(path.join(work, "layer.zip")).subarray(0, -30));
    else fs.writeFileSync(p, content);
    await expect(inspectZip(p)).rejects.toThrow(UsageError);
    await expect(inspectZip(p)).rejects.toThrow(`${p} is not a zip file`);
  });

  it("refuses a missing path", async () => {
    await expect(inspectZip(path.join(work, "missing.zip"))).rejects.toThrow(/missing\.zip does not exist/);
  });
});
