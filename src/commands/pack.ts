// layerctl pack: zip a directory into a deterministic layer archive.
import { statSync } from "node:fs";
import path from "node:path";
import { pack } from "../archive/index.js";
import type { ArchiveSummary } from "../archive/types.js";
import { renderArchive } from "../output/archive.js";
import { silentLogger } from "../output/log.js";
import { providerOption } from "./shared/target-options.js";
import { contentsCheck, targetsFromOptions } from "../contents/contents-check.js";
import type { CommandContext } from "../targets/context.js";
import { defineCommand } from "./shared/define.js";
import { parseSymlinkMode } from "../archive/options.js";

export interface PackCommandOptions {
  dir: string;
  out?: string;
  exclude?: string[];
  prefix?: string;
  symlinks?: string;
  /** The contents check's targets: providers, their runtimes (`aws:python3.12` entries allowed), architectures. */
  provider?: string[];
  runtime?: string[];
  arch?: string[];
  /** false: --no-check. */
  check?: boolean;
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

export async function packCommand(opts: PackCommandOptions, ctx?: CommandContext): Promise<ArchiveSummary> {
  const dir = path.resolve(opts.dir);
  const output = outputPath(dir, opts.out);
  const symlinks = parseSymlinkMode(opts.symlinks);
  const check = opts.check === false ? undefined : contentsCheck(targetsFromOptions(opts), ctx?.log ?? silentLogger, "written");
  const result = await pack({ dir, output, exclude: opts.exclude ?? [], prefix: opts.prefix, symlinks, check });
  return result.archive;
}

export default defineCommand({
  arguments: [{ name: "dir", description: "directory to pack" }],
  options: [
    { flags: "-o, --out <file>", description: "zip to write (default: ./<dir name>.zip)" },
    { flags: "--exclude <glob>", description: "leave out paths matching this gitignore-style pattern (repeatable)", repeatable: true },
    { flags: "--prefix <path>", description: "put the contents under this folder in the zip (e.g. python, nodejs)" },
    { flags: "--symlinks <mode>", description: "keep links (inside <dir> only) or store their targets", choices: ["keep", "follow"], default: "keep" },
    providerOption("check the binaries for these providers (default: for what fails on any cloud)"),
    { flags: "--runtime <ids>", description: "with --provider: the runtimes to check for, e.g. python3.12 or aws:python3.12", repeatable: true },
    { flags: "--arch <arch>", description: "x86_64 or arm64: the architecture to check for (repeatable)", repeatable: true },
    { flags: "--no-check", description: "skip the compatibility check of the binaries inside" },
  ],
  formats: ["table", "json"],
  examples: [
    "layerctl pack ./my-layer -o deps.zip",
    "layerctl pack ./site-packages --prefix python --exclude '__pycache__/' --output json",
    "SOURCE_DATE_EPOCH=1700000000 layerctl pack ./layer -o layer.zip",
    "layerctl pack ./layer -p aws --runtime python3.12 --arch arm64",
  ],
  notes: `Ignore rules come from <dir>/.layerignore (gitignore syntax) plus every --exclude.
The same tree always gives the same bytes: entries sorted, fixed timestamps
(1980-01-01 or SOURCE_DATE_EPOCH), modes normalised to 0755/0644.
The binaries inside are checked as they are packed (see \`layerctl check --help\`): with
--provider and --runtime for those targets, else for what fails on any cloud (macOS or
Windows builds, musl, other CPUs). A file that will not load is an error (exit 2, no zip).`,
  run: (input: PackCommandOptions, ctx: CommandContext) => packCommand(input, ctx),
  render: (summary, format) => renderArchive(summary, format as "table" | "json"),
});
