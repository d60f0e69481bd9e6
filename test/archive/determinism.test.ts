import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pack } from "../../src/archive/index.js";
import { runCli } from "../helpers/cli.js";
import { readZip, tempDir } from "./helpers.js";

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

// Created in a child process so its umask really applies; files listed in `order`.
function buildTree(root: string, umask: number, order: "forward" | "reverse", mtime: number): string {
  const script = `
    const fs = require("node:fs"), path = require("node:path");
    process.umask(${umask});
    const files = [
      ["a.txt", "alpha\\n"], ["b/c.txt", "gamma\\n".repeat(100)], ["b/d/run.sh", "#!/bin/sh\\necho hi\\n", true],
      ["z/empty/.keep", ""], ["B.txt", "upper\\n"], ["b-c.txt", "dash\\n"], ["\u00e9t\u00e9.txt", "summer\\n"],
    ];
    if (${JSON.stringify(order)} === "reverse") files.reverse();
    for (const [rel, body, exec] of files) {
      const p = path.join(${JSON.stringify(root)}, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, body, { mode: exec ? 0o777 : 0o666 });
    }
    fs.symlinkSync("c.txt", path.join(${JSON.stringify(root)}, "b/link"));
  `;
  const r = spawnSync(process.execPath, ["-e", script]);
  expect(r.status, r.stderr.toString()).toBe(0);
  for (const p of fs.readdirSync(root, { recursive: true }) as string[]) {
    fs.lutimesSync(path.join(root, p), mtime, mtime);
  }
  return root;
}

const sha = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

describe("deterministic output", () => {
  it("gives the same bytes whatever the mtimes, creation order and umask", async () => {
    const a = buildTree(path.join(work, "a"), 0o022, "forward", 1_000_000_000);
    const b = buildTree(path.join(work, "b"), 0o077, "reverse", 1_700_000_000);
    expect(fs.statSync(path.join(a, "a.txt")).mode & 0o777).not.toBe(fs.statSync(path.join(b, "a.txt")).mode & 0o777);
    const ra = await pack({ dir: a, output: path.join(work, "a.zip") });
    const rb = await pack({ dir: b, output: path.join(work, "b.zip") });
    expect(ra.archive.sha256).toBe(rb.archive.sha256);
    expect(ra.archive.sha256).toBe(sha(path.join(work, "a.zip")));
    expect(fs.readFileSync(path.join(work, "a.zip")).equals(fs.readFileSync(path.join(work, "b.zip")))).toBe(true);
  });

  it("sorts entries bytewise on their UTF-8 path", async () => {
    const names = (await readZip(path.join(work, "a.zip"))).map((e) => e.name);
    expect(names).toEqual([...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    // "B" < "a" (uppercase first), "b-c.txt" < "b/" ("-" is 0x2d, "/" is 0x2f), "é" (0xc3) last.
    expect(names).toEqual(["B.txt", "a.txt", "b-c.txt", "b/", "b/c.txt", "b/d/", "b/d/run.sh", "b/link", "z/", "z/empty/", "z/empty/.keep", "\u00e9t\u00e9.txt"]);
  });

  it("stamps every entry 1980-01-01 00:00 by default, SOURCE_DATE_EPOCH (UTC) when set", async () => {
    const dir = path.join(work, "a");
    const plain = await readZip(path.join(work, "a.zip"));
    expect(new Set(plain.map((e) => `${e.dosDate}/${e.dosTime}`))).toEqual(new Set([`${(0 << 9) | (1 << 5) | 1}/0`]));

    // 2023-11-14 22:13:20 UTC
    const fromOption = await pack({ dir, output: path.join(work, "epoch.zip"), sourceDateEpoch: 1_700_000_000 });
    const stamped = await readZip(path.join(work, "epoch.zip"));
    expect(new Set(stamped.map((e) => e.dosDate))).toEqual(new Set([((2023 - 1980) << 9) | (11 << 5) | 14]));
    expect(new Set(stamped.map((e) => e.dosTime))).toEqual(new Set([(22 << 11) | (13 << 5) | (20 >> 1)]));

    process.env.SOURCE_DATE_EPOCH = "1700000000";
    try {
      const fromEnv = await pack({ dir, output: path.join(work, "env.zip") });
      expect(fromEnv.archive.sha256).toBe(fromOption.archive.sha256);
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
    expect(fromOption.archive.sha256).not.toBe(sha(path.join(work, "a.zip")));
  });

  it("gives the same bytes from the worker threads (the CLI, dist/) as inline (src/)", async () => {
    // Over the inline threshold, with a file large enough to be deflated in chunks.
    const dir = path.join(work, "big");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "big.txt"), Array.from({ length: 300_000 }, (_, i) => `line ${i} ${i % 97}\n`).join(""));
    for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(dir, `f${i}.txt`), `file ${i}\n`.repeat(i));
    const viaWorkers = await runCli(["pack", dir, "-o", path.join(work, "workers.zip"), "--output", "json"]);
    expect(viaWorkers.stderr).toBe("");
    const inline = await pack({ dir, output: path.join(work, "inline.zip") });
    expect(JSON.parse(viaWorkers.stdout).sha256).toBe(inline.archive.sha256);
  });
});
