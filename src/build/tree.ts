// Laying builds out as a provider's layer tree: each build's installed files under the provider's
// install path, hard-linked from the build's folder (copied across file systems), so trees for
// several providers cost no copy of a large node_modules. Two builds of one tree (a Node.js layer
// for both architectures) are merged: the same file in both must be the same bytes.
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";

/** Adds `src`'s files under `dst`; a file already there must have the same content. */
export function mergeInto(src: string, dst: string, shown: (rel: string) => string, rel = ""): void {
  fs.mkdirSync(dst, { recursive: true });
  for (const d of fs.readdirSync(src, { withFileTypes: true })) {
    const from = path.join(src, d.name);
    const to = path.join(dst, d.name);
    const r = rel ? `${rel}/${d.name}` : d.name;
    const there = fs.lstatSync(to, { throwIfNoEntry: false });
    if (d.isDirectory()) {
      if (there && !there.isDirectory()) throw conflict(shown(r));
      mergeInto(from, to, shown, r);
    } else if (d.isSymbolicLink()) {
      const target = fs.readlinkSync(from);
      if (there) {
        if (!there.isSymbolicLink() || fs.readlinkSync(to) !== target) throw conflict(shown(r));
      } else fs.symlinkSync(target, to);
    } else if (there) {
      if (!there.isFile() || !sameBytes(from, to)) throw conflict(shown(r));
    } else {
      link(from, to);
    }
  }
}

function link(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EXDEV" && code !== "EPERM" && code !== "EMLINK") throw err;
    fs.copyFileSync(from, to);
    fs.chmodSync(to, fs.statSync(from).mode & 0o777);
  }
}

function sameBytes(a: string, b: string): boolean {
  const sa = fs.statSync(a);
  const sb = fs.statSync(b);
  if (sa.ino === sb.ino && sa.dev === sb.dev) return true;
  return sa.size === sb.size && fs.readFileSync(a).equals(fs.readFileSync(b));
}

function conflict(file: string): UsageError {
  return new UsageError(`the builds for two architectures disagree on ${file}; one layer cannot hold both`, {
    code: "BuildConflict",
    hint: "publish one layer per architecture",
  });
}
