// layerctl status: each layer x target, newest version, in sync with the local build, aligned,
// versions toward a cap; exit 3 when something is behind or missing (../release/status.ts).
import { columnTable, versionCell } from "../output/table.js";
import { statusCommand, statusExitCode, type StatusDocument } from "../release/status.js";
import { defineCommand } from "./shared/define.js";
import { recordFailures } from "./shared/records.js";
import { configOption } from "./shared/target-options.js";

function render(doc: StatusDocument, format: string): string {
  if (format === "json") return JSON.stringify(doc, null, 2) + "\n";
  const rows = doc.layers.flatMap((l) =>
    l.targets.map((t) => [
      l.layerName,
      t.provider,
      t.region,
      versionCell(t.version),
      t.state,
      l.aligned ? "yes" : t.version !== null && t.version === l.highestVersion ? "yes" : "no",
      t.versionLimit === null ? "-" : `${t.versionCount ?? "?"}/${t.versionLimit}`,
      t.error ? `${t.error.code}: ${t.error.message}` : t.codeSha256 ? t.codeSha256.slice(0, 12) : "-",
    ]),
  );
  const summary = doc.layers.map((l) => {
    const counts = new Map<string, number>();
    for (const t of l.targets) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
    const parts = [...counts].map(([s, n]) => `${n} ${s}`).join(", ");
    return `${l.layerName}: ${parts}; ${l.aligned ? `aligned at version ${l.highestVersion}` : `not aligned (highest version ${versionCell(l.highestVersion)})`}`;
  });
  return columnTable(["LAYER", "PROVIDER", "REGION", "VERSION", "STATE", "ALIGNED", "VERSIONS", "SHA256 / ERROR"], rows) + summary.join("\n") + "\n";
}

export default defineCommand({
  arguments: [{ name: "source", description: "a layer of the config, or (with --name) the layer directory or .zip to compare with", optional: true }],
  options: [
    { flags: "-n, --name <layer>", description: "the layer to look at (instead of the config's layers)" },
    configOption,
    { flags: "--prefix <path>", description: "with --name and a directory: pack it under this folder, as publish would" },
    { flags: "--exclude <glob>", description: "with --name and a directory: leave out paths matching this pattern (repeatable)", repeatable: true },
    { flags: "--symlinks <mode>", description: "with --name and a directory: keep links or store their targets", choices: ["keep", "follow"] },
  ],
  targets: true,
  progress: true,
  formats: ["table", "json"],
  examples: [
    "layerctl status                                  # every layer of layerctl.config.json",
    "layerctl status ./layer -n deps -p aws,tencent -r aws:all,tencent:all",
    "layerctl status --output json | jq -r '.layers[].targets[] | select(.state != \"in-sync\") | .region'",
  ],
  notes: `Reads only: each target's newest version (and its checksum) against the local build, packed as
publish packs it. STATE: in-sync (the newest version holds the local zip), behind (it does not, but
another target does: publish --resume or --align-version catches it up), differs (no target holds
it), missing (no version), error. ALIGNED: every target's newest version is the same number.
VERSIONS: count toward a cloud's cap (Tencent: 200). Without a directory (--name only), a target is
in-sync when its newest version is the fleet's highest.
Exit codes: 0 everything in sync, 3 something behind, missing or different, 1 a target could not be read.`,
  run: statusCommand,
  render,
  failures: (doc: StatusDocument) => recordFailures(doc.layers.flatMap((l) => l.targets)),
  // A target that could not be read (exit 1) outranks one that is behind (exit 3).
  exitCode: (doc: StatusDocument, failures) => (failures.length > 0 ? 1 : statusExitCode(doc)),
});
