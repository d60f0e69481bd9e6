import { statSync } from "node:fs";
import path from "node:path";
import { pack } from "../archive/index.js";
import type { ArchiveSummary } from "../archive/types.js";
import { UsageError } from "../errors.js";
import { parseSymlinkMode } from "./shared/options.js";

export interface PackCommandOptions {
  dir: string;
  out?: string;
  exclude?: string[];
  prefix?: string;
  symlinks?: string;
}

/**
 * Where the zip goes: -o as given; -o naming a folder (existing, or written with a trailing /)
 * gets <dir name>.zip inside it; no -o: ./<dir name>.zip, or beside <dir> when the current
 * directory is inside it (`layerctl pack .`), since a layer never contains its own zip.
 */
export function outputPath(dir: string, out: string | undefined): string {
  const file = `${path.basename(dir) || "layer"}.zip`;
  if (out !== undefined) {
    const isFolder = /[\\/]$/.test(out) || statSync(out, { throwIfNoEntry: false })?.isDirectory();
    return path.resolve(isFolder ? path.join(out, file) : out);
  }
  const here = path.resolve(file);
  return here.startsWith(dir + path.sep) ? path.join(path.dirname(dir), file) : here;
}

export async function packCommand(opts: PackCommandOptions): Promise<ArchiveSummary> {
  const dir = path.resolve(opts.dir);
  const output = outputPath(dir, opts.out);
  const result = await pack({
    dir,
    output,
    exclude: opts.exclude ?? [],
    prefix: opts.prefix,
    symlinks: parseSymlinkMode(opts.symlinks),
  });
  return result.archive;
}
