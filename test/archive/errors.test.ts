import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pack } from "../../src/archive/index.js";
import type { PackOptions } from "../../src/archive/types.js";
import { UsageError } from "../../src/errors.js";
import { strayFiles, tempDir, writeTree, type TreeSpec } from "./helpers.js";

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let n = 0;
function setup(spec: TreeSpec) {
  const root = path.join(work, `case${++n}`);
  const src = writeTree(path.join(root, "src"), spec);
  const out = path.join(root, "out");
  fs.mkdirSync(out);
  return { src, out, output: path.join(out, "layer.zip") };
}

/** Fails with a one-line UsageError matching `message`; the output's folder keeps only `keep` (no zip, no temp file). */
async function expectRefused(opts: PackOptions, message: RegExp, keep: string[] = []) {
  const err = await pack(opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  expect((err as Error).message).toMatch(message);
  expect((err as Error).message).not.toContain("\n");
  expect(strayFiles(path.dirname(opts.output), keep)).toEqual([]);
}

describe("bad input is refused before or without writing a zip", () => {
  it("missing folder", async () => {
    const { output } = setup({});
    await expectRefused({ dir: path.join(work, "nope"), output }, /nope does not exist/);
  });

  it("a file instead of a folder", async () => {
    const { src, output } = setup({ "a.zip": "PK" });
    await expectRefused({ dir: path.join(src, "a.zip"), output }, /a\.zip is not a directory/);
  });

  it("a folder with nothing left after the ignore rules", async () => {
    const { src, output } = setup({ ".layerignore": "*.pyc\n", "a.pyc": "x", "sub/b.pyc": "x", empty: { dir: true } });
    await expectRefused({ dir: src, output }, /has no files to pack/);
    const other = setup({ "a.txt": "a" });
    await expectRefused({ dir: other.src, output: other.output, exclude: ["*"] }, /has no files to pack/);
  });

  it("a FIFO or a socket", async () => {
    const fifo = setup({ "a.txt": "a" });
    expect(spawnSync("mkfifo", [path.join(fifo.src, "pipe")]).status).toBe(0);
    await expectRefused({ dir: fifo.src, output: fifo.output }, /src\/pipe is not a regular file \(a FIFO\)/);
    // Left out by an ignore rule, it is no longer a problem.
    await expect(pack({ dir: fifo.src, output: fifo.output, exclude: ["pipe"] })).resolves.toBeDefined();

    const sock = setup({ "a.txt": "a" });
    const server = net.createServer().listen(path.join(sock.src, "sock"));
    await new Promise((r) => server.once("listening", r));
    try {
      await expectRefused({ dir: sock.src, output: sock.output }, /src\/sock is not a regular file \(a socket\)/);
    } finally {
      server.close();
    }
  });

  it("an output path inside the folder being packed, even through a symlinked folder", async () => {
    const { src } = setup({ "a.txt": "a" });
    await expectRefused({ dir: src, output: path.join(src, "layer.zip") }, /is inside .*src, the folder being packed/, ["a.txt"]);
    const alias = path.join(work, `alias${n}`);
    fs.symlinkSync(src, alias);
    await expectRefused({ dir: src, output: path.join(alias, "layer.zip") }, /is inside/, ["a.txt"]);
  });

  it("an output folder that does not exist, or an output that is a folder", async () => {
    const { src, out } = setup({ "a.txt": "a" });
    await expectRefused({ dir: src, output: path.join(out, "missing/layer.zip") }, /folder .*missing does not exist/);
    expect(fs.existsSync(path.join(out, "missing"))).toBe(false);
    await expectRefused({ dir: src, output: out }, /is a directory/, ["out", "src"]);
  });

  it("leaves an existing zip untouched when packing fails", async () => {
    const { src, output } = setup({ "a.txt": "a" });
    fs.writeFileSync(output, "previous zip");
    fs.symlinkSync("/etc/hostname", path.join(src, "abs"));
    await expectRefused({ dir: src, output }, /is absolute/, ["layer.zip"]);
    expect(fs.readFileSync(output, "utf8")).toBe("previous zip");
  });

  it("removes the temp file when a read fails halfway through writing", async () => {
    // /proc files report size 0 but are not empty: the reader sees them change under it.
    const { src, output } = setup({ "a.txt": "a".repeat(1000) });
    fs.symlinkSync("/proc/self/status", path.join(src, "status"));
    await expectRefused({ dir: src, output, symlinks: "follow" }, /src\/status changed while packing/);
  });
});

describe("symlinks", () => {
  it("keep: a link that escapes the folder", async () => {
    const { src, output } = setup({ "a.txt": "a", "sub/out": { link: "../../../x" } });
    fs.writeFileSync(path.join(work, "x"), "outside");
    await expectRefused({ dir: src, output }, /symlink .*src\/sub\/out -> \.\.\/\.\.\/\.\.\/x points outside/);
  });

  it("keep: an absolute link, even to a path inside", async () => {
    const { src, output } = setup({ "a.txt": "a" });
    fs.symlinkSync(path.join(src, "a.txt"), path.join(src, "abs"));
    await expectRefused({ dir: src, output }, /symlink .*src\/abs -> .* is absolute/);
  });

  it("keep and follow: a dangling link", async () => {
    const { src, output } = setup({ "a.txt": "a", gone: { link: "missing.txt" } });
    await expectRefused({ dir: src, output }, /symlink .*src\/gone -> missing\.txt is dangling/);
    await expectRefused({ dir: src, output, symlinks: "follow" }, /symlink .*src\/gone -> missing\.txt is dangling/);
  });

  it("keep: links that point at each other", async () => {
    const { src, output } = setup({ "a.txt": "a", x: { link: "y" }, y: { link: "x" } });
    await expectRefused({ dir: src, output }, /symlink .*src\/x -> y is part of a symlink loop/);
  });

  it("follow: a link back to a containing folder", async () => {
    const { src, output } = setup({ "a/b/c.txt": "c", "a/b/up": { link: ".." } });
    await expectRefused({ dir: src, output, symlinks: "follow" }, /symlink .*src\/a\/b\/up -> \.\. loops back/);
    // Kept as a link it is fine: it resolves inside the folder.
    await expect(pack({ dir: src, output })).resolves.toBeDefined();
  });

  it("keep: a link whose target the ignore rules leave out", async () => {
    const { src, output } = setup({ "a.txt": "a", "secret.env": "x", env: { link: "secret.env" } });
    await expectRefused({ dir: src, output, exclude: ["*.env"] }, /symlink .*src\/env -> secret\.env points to secret\.env, which the ignore rules leave out/);
    const nested = setup({ "a.txt": "a", "conf/db.ini": "x", "db.ini": { link: "conf/db.ini" } });
    await expectRefused({ dir: nested.src, output: nested.output, exclude: ["conf/"] }, /points to conf\/db\.ini, which the ignore rules leave out/);
  });
});

describe("SOURCE_DATE_EPOCH", () => {
  it("must be a whole number of seconds", async () => {
    const { src, output } = setup({ "a.txt": "a" });
    process.env.SOURCE_DATE_EPOCH = "yesterday";
    try {
      await expectRefused({ dir: src, output }, /SOURCE_DATE_EPOCH must be a whole number/);
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
  });
});
