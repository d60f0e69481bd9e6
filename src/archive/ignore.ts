// <dir>/.layerignore plus --exclude patterns, with gitignore semantics.
import fs from "node:fs";
import path from "node:path";
import ignore, { type Ignore } from "ignore";

export const IGNORE_FILE = ".layerignore";

/** Tests a path relative to the packed folder, `/`-separated; directories are tested with a trailing `/`. */
export type IgnoreTest = (relPath: string, isDir: boolean) => boolean;

/**
 * The `ignore` package caches the answer for every path it is asked about, so a walk of 100k files
 * would keep 100k answers: start a fresh matcher every so often. Answers for the folders above are
 * recomputed on demand (the walk is depth-first, so that is a handful of paths).
 */
const FRESH_EVERY = 4096;

export function loadIgnore(root: string, exclude: readonly string[]): IgnoreTest {
  const file = path.join(root, IGNORE_FILE);
  const text = fs.statSync(file, { throwIfNoEntry: false })?.isFile() ? fs.readFileSync(file, "utf8") : "";
  if (text.trim() === "" && exclude.length === 0) return () => false;
  // Case-sensitive like git on Linux (the package defaults to case-insensitive). The --exclude
  // patterns come last, so one can also re-include with "!pattern".
  const fresh = (): Ignore =>
    ignore({ ignorecase: false })
      .add(text)
      .add([...exclude]);
  let ig = fresh();
  let asked = 0;
  return (relPath, isDir) => {
    if (++asked % FRESH_EVERY === 0) ig = fresh();
    return ig.ignores(isDir ? relPath + "/" : relPath);
  };
}
