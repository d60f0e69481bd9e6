import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pack } from "../../src/archive/index.js";
import { UsageError } from "../../src/errors.js";
import { readZip, tempDir, writeTree } from "./helpers.js";

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let n = 0;
async function names(spec: Parameters<typeof writeTree>[1], opts: { exclude?: string[]; prefix?: string } = {}) {
  const dir = writeTree(path.join(work, `t${++n}`), spec);
  const output = path.join(work, `t${n}.zip`);
  const result = await pack({ dir, output, ...opts });
  return { names: (await readZip(output)).map((e) => e.name), result };
}

describe(".layerignore and exclude", () => {
  it("applies gitignore rules: globs, negation, folder-only and anchored patterns", async () => {
    const { names: got } = await names({
      ".layerignore": "# build junk\n*.pyc\n!keep.pyc\n__pycache__/\n/build\ntests/\n",
      "pkg/mod.py": "x",
      "pkg/mod.pyc": "x",
      "pkg/keep.pyc": "x",
      "pkg/__pycache__/mod.cpython-312.pyc": "x",
      "build/out.o": "x",
      "pkg/build/kept.txt": "anchored pattern only matches at the root",
      "pkg/tests/test_mod.py": "x",
      "pkg/tests.py": "a file is not matched by a folder-only pattern",
    });
    expect(got).toEqual(["pkg/", "pkg/build/", "pkg/build/kept.txt", "pkg/keep.pyc", "pkg/mod.py", "pkg/tests.py"]);
  });

  it("never packs the root .layerignore itself", async () => {
    const { names: got } = await names({ ".layerignore": "", "a.txt": "a" });
    expect(got).toEqual(["a.txt"]);
  });

  it("adds exclude patterns after .layerignore, so they can also re-include", async () => {
    const { names: got } = await names(
      { ".layerignore": "*.md\n", "README.md": "r", "CHANGELOG.md": "c", "node_modules/x/index.js": "x", "node_modules/x/test/t.js": "t", "a.js": "a" },
      { exclude: ["test/", "!README.md"] },
    );
    expect(got).toEqual(["README.md", "a.js", "node_modules/", "node_modules/x/", "node_modules/x/index.js"]);
  });

  it("matches case-sensitively, as git does on Linux", async () => {
    const { names: got } = await names({ "Notes.TXT": "n", "notes.txt": "n" }, { exclude: ["*.txt"] });
    expect(got).toEqual(["Notes.TXT"]);
  });
});

describe("prefix", () => {
  it("puts the contents under a folder, with entries for the prefix folders", async () => {
    const { names: got, result } = await names({ "left-pad/index.js": "x", "b.js": "b" }, { prefix: "/nodejs//node_modules/" });
    expect(got).toEqual(["nodejs/", "nodejs/node_modules/", "nodejs/node_modules/b.js", "nodejs/node_modules/left-pad/", "nodejs/node_modules/left-pad/index.js"]);
    expect(result.topLevel).toEqual(["nodejs"]);
    expect(result.archive.fileCount).toBe(2);
  });

  it("reports the sorted top-level names without a prefix", async () => {
    const { result } = await names({ "python/a.py": "a", "bin/x": "x", README: "r" });
    expect(result.topLevel).toEqual(["README", "bin", "python"]);
  });

  it.each(["../up", "a/../../b", "C:\\layer", "a\\b"])("rejects %j", async (prefix) => {
    const dir = writeTree(path.join(work, `bad${++n}`), { "a.txt": "a" });
    const output = path.join(work, `bad${n}.zip`);
    await expect(pack({ dir, output, prefix })).rejects.toThrow(UsageError);
    await expect(pack({ dir, output, prefix })).rejects.toThrow(/prefix/);
    expect(fs.existsSync(output)).toBe(false);
  });
});
