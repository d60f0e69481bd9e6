// Input checks done before anything is walked or written.
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";

export interface CheckedPaths {
  /** The folder to pack, symlinks in its own path resolved. */
  root: string;
  /** Absolute output path, as the caller named it. */
  output: string;
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

export function checkPaths(dir: string, output: string): CheckedPaths {
  const absDir = path.resolve(dir);
  let root: string;
  try {
    root = fs.realpathSync.native(absDir);
  } catch {
    throw new UsageError(`${absDir} does not exist`, { hint: "pass the folder that holds the layer contents" });
  }
  if (!fs.statSync(root).isDirectory()) {
    throw new UsageError(`${absDir} is not a directory`, {
      hint: "pack takes a folder; an existing .zip can be published as it is",
    });
  }

  const absOut = path.resolve(output);
  const outDir = path.dirname(absOut);
  let realOutDir: string;
  try {
    realOutDir = fs.realpathSync.native(outDir);
  } catch {
    throw new UsageError(`cannot write ${absOut}: folder ${outDir} does not exist`, { hint: "create it first" });
  }
  // Compare real paths so a symlinked output folder cannot smuggle the zip into its own input.
  if (isInside(path.join(realOutDir, path.basename(absOut)), root)) {
    throw new UsageError(`output ${absOut} is inside ${absDir}, the folder being packed`, {
      hint: `write it elsewhere, e.g. -o ${path.join(path.dirname(absDir), path.basename(absDir) + ".zip")}`,
    });
  }
  if (fs.statSync(absOut, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`output ${absOut} is a directory`, { hint: "give a file name, e.g. layer.zip" });
  }
  return { root, output: absOut };
}

/** "/nodejs//node_modules/" -> "nodejs/node_modules/"; "" when there is no prefix. */
export function normalisePrefix(prefix: string | undefined): string {
  if (prefix === undefined) return "";
  if (prefix.includes("\\") || /^[A-Za-z]:/.test(prefix)) {
    throw new UsageError(`prefix "${prefix}" must be a relative folder with / separators, e.g. python or nodejs/node_modules`);
  }
  const parts = prefix.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) {
    throw new UsageError(`prefix "${prefix}" must not contain "..": it names a folder inside the zip`);
  }
  return parts.length ? parts.join("/") + "/" : "";
}
