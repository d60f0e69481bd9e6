import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "../../src/archive/index.js";
import { hasTool, readZip, tempDir, writeTree, type ZipEntryInfo } from "./helpers.js";

const work = tempDir();
const zipFile = path.join(work, "layer.zip");
let entries: ZipEntryInfo[];
const byName = (name: string) => entries.find((e) => e.name === name)!;

beforeAll(async () => {
  writeTree(path.join(work, "src"), {
    "bin/tool": { exec: "#!/bin/sh\necho tool\n" },
    "lib/readme.txt": "read me\n".repeat(50),
    "lib/empty.txt": "",
    "lib/noise.bin": randomBytes(2000),
    "lib/current": { link: "readme.txt" },
    "lib/up": { link: "../bin" },
    "data/empty-dir": { dir: true },
    "caf\u00e9.txt": "accent\n",
  });
  await pack({ dir: path.join(work, "src"), output: zipFile });
  entries = await readZip(zipFile);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("zip layout", () => {
  it("has an entry per file, link and folder, with / separators", () => {
    expect(entries.map((e) => e.name)).toEqual([
      "bin/",
      "bin/tool",
      "caf\u00e9.txt",
      "data/",
      "data/empty-dir/",
      "lib/",
      "lib/current",
      "lib/empty.txt",
      "lib/noise.bin",
      "lib/readme.txt",
      "lib/up",
    ]);
    expect(entries.every((e) => !e.name.includes("\\"))).toBe(true);
  });

  it("records Unix modes 0755/0644, 0120777 links and 040755 folders, made by Unix", () => {
    expect(entries.every((e) => e.madeBy === 3)).toBe(true);
    expect(byName("bin/tool").mode).toBe(0o100755);
    expect(byName("lib/readme.txt").mode).toBe(0o100644);
    expect(byName("lib/current").mode).toBe(0o120777);
    expect(byName("data/empty-dir/").mode).toBe(0o40755);
  });

  it("stores links as their relative target", () => {
    expect(byName("lib/current").data.toString()).toBe("readme.txt");
    expect(byName("lib/up").data.toString()).toBe("../bin");
  });

  it("has no extra fields, and flags UTF-8 only for non-ASCII names", () => {
    expect(entries.every((e) => e.extraFields === 0)).toBe(true);
    expect(byName("caf\u00e9.txt").flags).toBe(1 << 11);
    expect(entries.filter((e) => e.name !== "caf\u00e9.txt").every((e) => e.flags === 0)).toBe(true);
  });

  it("deflates what shrinks and stores the rest", () => {
    expect(byName("lib/readme.txt").method).toBe(8);
    expect(byName("lib/noise.bin").method).toBe(0);
    expect(byName("lib/empty.txt").method).toBe(0);
    expect(byName("lib/noise.bin").data.equals(fs.readFileSync(path.join(work, "src/lib/noise.bin")))).toBe(true);
  });

  it.runIf(hasTool("unzip"))("reads the same way in Info-ZIP's zipinfo", () => {
    const short = spawnSync("unzip", ["-Z", "-l", zipFile], { encoding: "utf8" });
    expect(short.status).toBe(0);
    const lines = short.stdout.split("\n").filter((l) => /^[-dl]r/.test(l));
    const perms = Object.fromEntries(lines.map((l) => [l.split(/\s+/).at(-1), l.slice(0, 10)]));
    expect(perms["bin/tool"]).toBe("-rwxr-xr-x");
    expect(perms["lib/readme.txt"]).toBe("-rw-r--r--");
    expect(perms["lib/current"]).toBe("lrwxrwxrwx");
    expect(perms["data/"]).toBe("drwxr-xr-x");
    expect(lines.every((l) => / unx /.test(l) && / 80-Jan-01 00:00 /.test(l))).toBe(true);

    const verbose = spawnSync("unzip", ["-Z", "-v", zipFile], { encoding: "utf8" }).stdout;
    expect(verbose.match(/length of extra field:\s+0 bytes/g)).toHaveLength(entries.length);
    expect(verbose).not.toMatch(/length of extra field:\s+[1-9]/);
    expect(spawnSync("unzip", ["-tq", zipFile], { encoding: "utf8" }).stdout).toMatch(/No errors detected/);
  });
});
