// The unified renderers. JSON is the public, stable shape; `version` and `env` are for release
// scripts and Makefiles; `table` is for people.
import type { ArchiveSummary } from "../archive/types.js";
import type { FunctionVersionRecord, LayerVersionRecord } from "../providers/types.js";
import { renderArchive } from "./archive.js";
import { columnTable, humanBytes, layerVersionCells } from "./table.js";

export type RecordFormat = "table" | "json" | "version" | "env";
export const RECORD_FORMATS: RecordFormat[] = ["table", "json", "version", "env"];

export interface LayerDocument {
  archive?: ArchiveSummary;
  results: LayerVersionRecord[];
}

export function renderLayerDocument(doc: LayerDocument, format: RecordFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(doc, null, 2) + "\n";
    case "version":
      return versionLines(doc.results, (r) => (r.status === "planned" ? "planned" : String(r.version ?? "")));
    case "env":
      return envLines(doc.results, (r) => ({
        PROVIDER: r.provider,
        REGION: r.region,
        LAYER_NAME: r.layerName,
        VERSION: r.version ?? "",
        ARN: r.arn ?? "",
        STATUS: r.status,
        STATE: r.state ?? "",
        CODE_SHA256: r.codeSha256 ?? "",
        CODE_SIZE: r.codeSize ?? "",
      }));
    case "table": {
      const head = doc.archive ? renderArchive(doc.archive, "table") + "\n" : "";
      const rows = doc.results.map((r) => [
        ...layerVersionCells(r),
        r.status,
        r.state ?? "-",
        r.codeSize === null ? "-" : humanBytes(r.codeSize),
        r.createdAt ?? "-",
        r.error ? `${r.error.code}: ${r.error.message}` : (r.arn ?? r.compatibleRuntimes.join(",")),
      ]);
      return head + columnTable(["PROVIDER", "REGION", "LAYER", "VERSION", "STATUS", "STATE", "SIZE", "CREATED", "ARN / RUNTIMES"], rows);
    }
  }
}

export function renderFunctionDocument(doc: { results: FunctionVersionRecord[] }, format: RecordFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(doc, null, 2) + "\n";
    case "version":
      return versionLines(doc.results, (r) => r.version ?? "");
    case "env":
      return envLines(doc.results, (r) => ({ PROVIDER: r.provider, REGION: r.region, FUNCTION_NAME: r.functionName, VERSION: r.version ?? "", ARN: r.arn ?? "" }));
    case "table":
      return columnTable(
        ["PROVIDER", "REGION", "FUNCTION", "VERSION", "ARN"],
        doc.results.map((r) => [r.provider, r.region, r.functionName, r.version ?? "-", r.error ? `${r.error.code}: ${r.error.message}` : (r.arn ?? "-")]),
      );
  }
}

/**
 * One line per result. For one target (one publish, or `versions` of one layer) the bare version,
 * as `V=$(...)` wants it; with several targets, `provider region version`, since bare numbers
 * would not say which target they belong to. A dry run has no version: it prints `planned`.
 */
function versionLines<R extends { provider: string; region: string }>(results: R[], version: (r: R) => string): string {
  const labelled = new Set(results.map((r) => `${r.provider} ${r.region}`)).size > 1;
  return results.map((r) => `${labelled ? `${r.provider} ${r.region} ` : ""}${version(r)}\n`).join("");
}

/**
 * KEY=value lines for $GITHUB_OUTPUT, `make` includes and `set -a; . file`. Values are single
 * tokens made only of characters that no shell or make treats specially (letters, digits and
 * `._:/+@,-`; anything else becomes `_`), so no quoting is needed and sourcing runs nothing. With one result the keys are plain
 * (LAYERCTL_VERSION); every result also gets keys named after its target
 * (LAYERCTL_AWS_US_EAST_1_VERSION), so multi-target runs stay unambiguous.
 */
function envLines<R extends { provider: string; region: string }>(results: R[], fields: (r: R) => Record<string, string | number>): string {
  const lines: string[] = [];
  for (const r of results) {
    const target = `${r.provider}_${r.region}`.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
    for (const [k, v] of Object.entries(fields(r))) {
      const value = String(v).replace(/[^A-Za-z0-9._:/+@,-]/g, "_");
      if (results.length === 1) lines.push(`LAYERCTL_${k}=${value}`);
      lines.push(`LAYERCTL_${target}_${k}=${value}`);
    }
  }
  return lines.join("\n") + (lines.length ? "\n" : "");
}

export function renderProviders(
  doc: {
    providers: Array<{
      name: string;
      title: string;
      defaultRegion: string;
      runtimes: Array<{ id: string; aliases: string[] }>;
      limits: { layerName: string; maxZipBytes: number; maxZipNote: string | null; maxUnzippedBytes: number | null; maxRuntimes: number; architectures: string[] | null };
      credentialVariables: string[];
      credentialOrder: string[];
      asyncPublish: boolean;
    }>;
  },
  format: "table" | "json",
): string {
  if (format === "json") return JSON.stringify(doc, null, 2) + "\n";
  return (
    doc.providers
      .map((p) =>
        [
          `${p.name} — ${p.title}`,
          `  default region   ${p.defaultRegion}`,
          `  runtimes         ${p.runtimes.map((r) => (r.aliases.length ? `${r.id} (${r.aliases.join(", ")})` : r.id)).join(", ")}`,
          `  layer name       ${p.limits.layerName}`,
          `  inline zip max   ${p.limits.maxZipBytes} bytes (${humanBytes(p.limits.maxZipBytes)})${p.limits.maxZipNote ? `: ${p.limits.maxZipNote}` : ""}`,
          `  unzipped max     ${p.limits.maxUnzippedBytes === null ? "none documented" : `${p.limits.maxUnzippedBytes} bytes (${humanBytes(p.limits.maxUnzippedBytes)})`}`,
          `  runtimes/layer   at most ${p.limits.maxRuntimes}`,
          `  architectures    ${p.limits.architectures ? p.limits.architectures.join(", ") : "none (a valid --arch is ignored with a warning)"}`,
          `  publishing       ${p.asyncPublish ? "asynchronous (layerctl waits until Active)" : "synchronous"}`,
          `  credentials      ${p.credentialVariables.join(", ")}`,
          `  looked for in    ${p.credentialOrder.map((step, i) => `${i + 1}. ${step}`).join("\n                   ")}`,
        ].join("\n"),
      )
      .join("\n\n") + "\n"
  );
}
