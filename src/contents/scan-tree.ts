// `layerctl check <dir>`: the same notes the pack's pass takes, without writing a zip: the tree is
// walked as pack walks it (.layerignore, --exclude, --prefix, --symlinks), and each file's first
// bytes decide whether it is read further.
import fs from "node:fs";
import path from "node:path";
import { loadIgnore } from "../archive/ignore.js";
import { normalisePrefix } from "../archive/paths.js";
import type { SymlinkMode } from "../archive/types.js";
import { walk } from "../archive/walk.js";
import { UsageError } from "../errors.js";
import { fileSource } from "./byte-source.js";
import { HEAD_BYTES, noteFor, worthALook } from "./sniff.js";
import type { NamedNote } from "./types.js";

export interface ScanOptions {
  dir: string;
  exclude?: string[];
  prefix?: string;
  symlinks?: SymlinkMode;
}

export function scanTree(opts: ScanOptions): { notes: NamedNote[]; fileCount: number } {
  const shownRoot = path.resolve(opts.dir);
  let root: string;
  try {
    root = fs.realpathSync.native(shownRoot);
  } catch {
    throw new UsageError(`${shownRoot} does not exist`, { hint: "pass the folder that holds the layer contents, or a .zip" });
  }
  const notes: NamedNote[] = [];
  let fileCount = 0;
  const head = Buffer.allocUnsafe(HEAD_BYTES);
  for (const e of walk({ root, shownRoot, prefix: normalisePrefix(opts.prefix), symlinks: opts.symlinks ?? "keep", ignored: loadIgnore(root, opts.exclude ?? []) })) {
    if (e.kind !== "file") continue;
    fileCount++;
    const fd = fs.openSync(e.source, "r");
    try {
      const n = fs.readSync(fd, head, 0, HEAD_BYTES, 0);
      if (!worthALook(e.name, head.subarray(0, n))) continue;
      const note = noteFor(e.name, fileSource(fd, e.size));
      if (note) notes.push({ name: e.name, note });
    } finally {
      fs.closeSync(fd);
    }
  }
  return { notes, fileCount };
}
