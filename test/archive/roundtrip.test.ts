import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pack } from "../../src/archive/index.js";
import { hasTool, tempDir, writeTree } from "./helpers.js";

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** rel path -> what a layer consumer sees: content, exec bit, link target, folder. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of (fs.readdirSync(root, { recursive: true }) as string[]).sort()) {
    const p = path.join(root, rel);
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) out[rel] = `link -> ${fs.readlinkSync(p)}`;
    else if (st.isDirectory()) out[rel] = `dir ${(st.mode & 0o777).toString(8)}`;
    else out[rel] = `${st.mode & 0o111 ? "exec" : "file"} ${fs.readFileSync(p).toString("base64")}`;
  }
  return out;
}

function unzip(zip: string, to: string): void {
  const r = spawnSync("unzip", ["-q", zip, "-d", to], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
}

describe.runIf(hasTool("unzip"))("extracting with unzip", () => {
  it("gives back the tree: contents, exec bits, links, empty folders", async () => {
    const src = writeTree(path.join(work, "src"), {
      "python/greeting/__init__.py": "def hello():\n    return 'hi'\n",
      "bin/run": { exec: "#!/bin/sh\nexec python3 -m greeting\n" },
      "bin/run-again": { link: "run" },
      "lib/libfake.so": randomBytes(50_000),
      "lib/libfake.so.1": { link: "libfake.so" },
      "lib/big.txt": "x".repeat(5 * 1024 * 1024 + 17),
      "share/empty": { dir: true },
      "share/\u65e5\u672c.txt": "nihon\n",
      "share/python": { link: "../python" },
    });
    fs.chmodSync(path.join(src, "share"), 0o700); // folders come back 0755 whatever they were
    const zip = path.join(work, "layer.zip");
    await pack({ dir: src, output: zip });
    unzip(zip, path.join(work, "out"));
    const expected = snapshot(src);
    expected.share = "dir 755";
    expect(snapshot(path.join(work, "out"))).toEqual(expected);
  });

  it("materialises link targets with --symlinks follow", async () => {
    const src = writeTree(path.join(work, "follow"), {
      "real/a.txt": "a\n",
      "real/tool": { exec: "#!/bin/sh\n" },
      alias: { link: "real" },
      "b.txt": { link: "real/a.txt" },
    });
    const zip = path.join(work, "follow.zip");
    const result = await pack({ dir: src, output: zip, symlinks: "follow" });
    unzip(zip, path.join(work, "follow-out"));
    const got = snapshot(path.join(work, "follow-out"));
    expect(got["alias"]).toBe("dir 755");
    expect(got["alias/a.txt"]).toBe(got["real/a.txt"]);
    expect(got["alias/tool"]).toMatch(/^exec /);
    expect(got["b.txt"]).toBe(got["real/a.txt"]);
    expect(Object.values(got).some((v) => v.startsWith("link"))).toBe(false);
    expect(result.archive.fileCount).toBe(5);
  });
});
