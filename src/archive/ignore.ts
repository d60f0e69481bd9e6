// <dir>/.layerignore plus --exclude patterns, with gitignore semantics.
import fs from "node:fs";
import path from "node:path";
import ignore from "ignore";

export const IGNORE_FILE = ".layerignore";

/** Tests a path relative to the packed folder, `/`-separated; directories are tested with a trailing `/`. */
export type IgnoreTest = (relPath: string, isDir: boolean) => boolean;

export function loadIgnore(root: string, exclude: readonly string[]): IgnoreTest {
  // Case-sensitive like git on Linux (the package defaults to case-insensitive).
  const ig = ignore({ ignorecase: false });
  const file = path.join(root, IGNORE_FILE);
  if (fs.statSync(file, { throwIfNoEntry: false })?.isFile()) ig.add(fs.readFileSync(file, "utf8"));
  // Added last, so an --exclude can also re-include with "!pattern".
  ig.add([...exclude]);
  return (relPath, isDir) => ig.ignores(isDir ? relPath + "/" : relPath);
}
