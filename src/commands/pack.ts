import path from "node:path";
import { pack } from "../archive/index.js";
import type { ArchiveSummary, SymlinkMode } from "../archive/types.js";
import { UsageError } from "../errors.js";

export interface PackCommandOptions {
  dir: string;
  out?: string;
  exclude?: string[];
  prefix?: string;
  symlinks?: string;
}

export function parseSymlinkMode(value: string | undefined): SymlinkMode {
  if (value === undefined || value === "keep" || value === "follow") return value ?? "keep";
  throw new UsageError(`--symlinks must be "keep" or "follow", not "${value}"`);
}

export async function packCommand(opts: PackCommandOptions): Promise<ArchiveSummary> {
  const dir = path.resolve(opts.dir);
  // Default: <dir name>.zip in the current directory, never inside the layer itself.
  const output = path.resolve(opts.out ?? `${path.basename(dir) || "layer"}.zip`);
  const result = await pack({
    dir,
    output,
    exclude: opts.exclude ?? [],
    prefix: opts.prefix,
    symlinks: parseSymlinkMode(opts.symlinks),
  });
  return result.archive;
}
