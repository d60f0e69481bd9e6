// Small real layer zips for tests, built with our own packer (so they are valid and deterministic).
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { pack } from "../../src/archive/index.js";
import { buildZip } from "../../src/emulator/zip.js";
import type { LayerArchive } from "../../src/providers/types.js";
import { useResource } from "./hooks.js";

/** Under the run's own folder (made and removed by test/helpers/global-setup.ts), so nothing is left behind. */
export async function tempDir(prefix = "layerctl-test-"): Promise<string> {
  return mkdtemp(path.join(process.env.LAYERCTL_TEST_TMP ?? tmpdir(), prefix));
}

/** A fresh temporary folder (see tempDir) for each test of the enclosing block, handed to `made`, removed after the test. */
export function tempDirEach(prefix: string, made: (dir: string) => void): void {
  useResource(
    "each",
    () => tempDir(prefix),
    made,
    (dir) => rm(dir, { recursive: true, force: true }),
  );
}

/** Writes `files` (path -> content) under `dir`, making the folders on the way. */
export async function writeTree(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
}

/** A new temporary folder (see tempDir) holding `files`. */
export async function tempTree(prefix: string, files: Record<string, string | Buffer>): Promise<string> {
  const dir = await tempDir(prefix);
  await writeTree(dir, files);
  return dir;
}

/** A stored zip of `files` (path -> content) from the emulator's own deterministic writer: no packing, no disk. */
export function zipOf(files: Record<string, string>): Buffer {
  return buildZip(Object.entries(files).map(([name, data]) => ({ name, data: Buffer.from(data) })));
}

/** A zip of `files` (path -> content) under `prefix`, as publish would upload it. */
export async function makeArchive(files: Record<string, string | Buffer> = { "python/hello.py": "print('hi')\n" }): Promise<LayerArchive & { bytes: Buffer }> {
  const dir = await tempDir();
  try {
    const src = path.join(dir, "src");
    await writeTree(src, files);
    const out = path.join(dir, "layer.zip");
    await pack({ dir: src, output: out });
    const bytes = await readFile(out);
    return { bytes, sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
