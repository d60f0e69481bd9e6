// layerctl check: the compatibility check of a layer's binaries on its own, for a folder (walked
// as pack walks it) or a zip (read entry by entry, as publish reads it), without writing or
// sending anything. The same rules run inside every pack and publish.
import { stat } from "node:fs/promises";
import path from "node:path";
import { inspectZip } from "../archive/index.js";
import { evaluate, type CheckTarget } from "../contents/rules.js";
import { findingLines, targetLabel } from "../contents/report.js";
import { scanTree } from "../contents/scan-tree.js";
import type { Finding, NamedNote } from "../contents/types.js";
import { UsageError } from "../errors.js";
import type { ProviderName } from "../providers/names.js";
import { providerOption } from "./shared/target-options.js";
import { type CheckOptions, targetsFromOptions } from "../contents/contents-check.js";
import { defineCommand } from "./shared/define.js";
import { parseSymlinkMode } from "../archive/options.js";

export interface CheckInput extends CheckOptions {
  source: string;
  exclude?: string[];
  prefix?: string;
  symlinks?: string;
}

/** `layerctl check --output json`: public interface (schema: `layerctl schema output`, $defs.checkDocument). */
export interface CheckDocument {
  /** The folder or zip checked (absolute). */
  source: string;
  /** What it was checked for: one entry per provider (provider null: any cloud). */
  targets: Array<{ provider: ProviderName | null; runtimes: string[]; architectures: string[] }>;
  /** Executables and libraries looked at. */
  binaries: number;
  errors: number;
  warnings: number;
  findings: Finding[];
}

export async function checkCommand(input: CheckInput): Promise<CheckDocument> {
  const targets = targetsFromOptions(input);
  const source = path.resolve(input.source);
  const st = await stat(source).catch(() => null);
  if (!st) throw new UsageError(`${input.source} does not exist`, { code: "MissingSource", hint: "give a layer directory or a .zip file" });
  let notes: NamedNote[] = [];
  if (st.isDirectory()) {
    notes = scanTree({ dir: source, exclude: input.exclude, prefix: input.prefix, symlinks: parseSymlinkMode(input.symlinks) }).notes;
  } else if (st.isFile() && source.toLowerCase().endsWith(".zip")) {
    if (input.prefix || input.exclude?.length) throw new UsageError("--prefix and --exclude apply to directories; a .zip is checked as it is", { code: "ConflictingOptions" });
    await inspectZip(source, { check: (n) => (notes = n) });
  } else {
    throw new UsageError(`${input.source} is neither a directory nor a .zip file`, { code: "InvalidSource", hint: "give a layer directory or a .zip file" });
  }
  const findings = evaluate(notes, targets);
  return {
    source,
    targets: targets.map(describe),
    binaries: notes.filter((n) => n.note.kind === "binary").length,
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
    findings,
  };
}

function describe(t: CheckTarget): CheckDocument["targets"][number] {
  return { provider: t.provider, runtimes: t.runtimes.map((r) => r.id), architectures: [...t.architectures] };
}

function renderTable(doc: CheckDocument): string {
  const lines = [
    ...findingLines(doc.findings.filter((f) => f.severity === "error")).map((l) => `error: ${l}`),
    ...findingLines(doc.findings.filter((f) => f.severity === "warning")).map((l) => `warning: ${l}`),
  ];
  const what = doc.targets.map((t) => targetLabel({ ...t, architectures: t.architectures })).join("; ");
  const summary = `${doc.binaries} binar${doc.binaries === 1 ? "y" : "ies"} checked for ${what}: ${doc.errors} error${doc.errors === 1 ? "" : "s"}, ${doc.warnings} warning${doc.warnings === 1 ? "" : "s"}`;
  return `${[...lines, summary].join("\n")}\n`;
}

export default defineCommand({
  arguments: [{ name: "source", description: "layer directory or .zip" }],
  options: [
    providerOption("check for these providers (default: for what fails on any cloud)"),
    { flags: "--runtime <ids>", description: "the runtimes the layer is for, e.g. python3.12,nodejs20 or aws:python3.12", repeatable: true },
    { flags: "--arch <arch>", description: "x86_64 or arm64 (repeat for both; default: the provider's, x86_64)", repeatable: true },
    { flags: "--exclude <glob>", description: "leave out paths matching this gitignore-style pattern, as pack would (repeatable)", repeatable: true },
    { flags: "--prefix <path>", description: "the folder the contents go under in the zip, as pack would (names in findings are the zip's)" },
    { flags: "--symlinks <mode>", description: "keep links or check their targets, as pack would", choices: ["keep", "follow"], default: "keep" },
  ],
  formats: ["table", "json"],
  examples: [
    "layerctl check ./layer -p aws --runtime python3.12 --arch arm64",
    "layerctl check deps.zip -p tencent,aliyun --runtime python3.10 --output json",
    "layerctl check ./node_modules --prefix nodejs/node_modules -p aws --runtime nodejs20 --arch x86_64 --arch arm64",
  ],
  notes: `What it looks at: files that start as an executable (ELF, Mach-O, PE) and Python wheels'
metadata; only their headers are read. For each target (provider, runtime, architecture):
  - the CPU (x86_64 / arm64) of each ELF file against --arch (Tencent and Aliyun run x86_64);
    builds in platform folders (linux-arm64/, x.cpython-311-aarch64-linux-gnu.so) count only on
    their platform, and one missing for an architecture the target runs is reported;
  - the newest GLIBC_ version a file needs against the runtime's OS (AWS Amazon Linux 2: 2.26,
    Amazon Linux 2023: 2.34; Tencent CentOS 7: 2.17, inferred; Aliyun Debian 9/10/11/12);
    musl builds on those glibc systems; libstdc++'s GLIBCXX_ (a warning);
  - macOS (Mach-O) and Windows (PE) files: errors where a loader would pick them, warnings
    (dead weight) elsewhere; .NET assemblies are fine;
  - CPython extensions for another version (cpython-311 in python3.10; abi3 from its minimum);
  - Node.js addons: NODE_MODULE_VERSION against the runtime's Node.js, Node-API version (warning).
Errors exit 2 (and one summary line on stderr); warnings alone exit 0. pack and publish run the same
check before writing or uploading anything (--no-check turns it off there).`,
  run: (input: CheckInput) => checkCommand(input),
  render: (doc: CheckDocument, format) => (format === "json" ? `${JSON.stringify(doc, null, 2)}\n` : renderTable(doc)),
  failures: (doc: CheckDocument) =>
    doc.errors > 0
      ? [{ code: "IncompatibleLayer", message: `${doc.errors} file${doc.errors === 1 ? "" : "s"} in ${doc.source} will not load on the target (see the findings)` }]
      : [],
  // Findings are the input's fault (the layer will not load there), not the cloud's: exit 2.
  exitCode: (doc: CheckDocument) => (doc.errors > 0 ? 2 : 0),
});
