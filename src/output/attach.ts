// Attach records for people (table) and scripts (json: {"results": [...]}, env: KEY=value).
import type { AttachRecord } from "../providers/types.js";
import type { PlannedAttachment } from "../release/publish-attach.js";
import { columnTable, versionCell } from "./table.js";

export type AttachFormat = "table" | "json" | "env";

export function renderAttachDocument(doc: { results: AttachRecord[] }, format: AttachFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(doc, null, 2) + "\n";
    case "env":
      return attachEnvLines(doc.results);
    case "table":
      return renderAttachTable(doc.results);
  }
}

export function renderAttachTable(results: AttachRecord[]): string {
  return columnTable(
    ["PROVIDER", "REGION", "FUNCTION", "LAYER", "FROM", "TO", "STATUS", "FN VERSION", "ALIAS / ERROR"],
    results.map((r) => [
      r.provider,
      r.region,
      r.namespace && r.namespace !== "default" ? `${r.namespace}/${r.functionName}` : r.functionName,
      r.layerName,
      versionCell(r.previousVersion),
      versionCell(r.version),
      r.status,
      r.functionVersion ?? "-",
      r.error ? `${r.error.code}: ${r.error.message}` : (r.alias ?? "-"),
    ]),
  );
}

/** `publish --dry-run --attach`: which functions would move to the new version, and what would follow. */
export function renderPlannedAttachTable(planned: PlannedAttachment[]): string {
  return columnTable(
    ["PROVIDER", "REGION", "FUNCTION", "LAYER", "STATUS", "FN VERSION", "ALIAS"],
    planned.map((p) => [
      p.provider,
      p.region,
      p.namespace && p.namespace !== "default" ? `${p.namespace}/${p.functionName}` : p.functionName,
      p.layerName,
      "planned",
      p.publishVersion ? "new" : "-",
      p.alias ?? "-",
    ]),
  );
}

/** LAYERCTL_<PROVIDER>_<REGION>_<FUNCTION>_FUNCTION_VERSION=... for each function that got a version. */
function attachEnvLines(results: AttachRecord[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const key = `${r.provider}_${r.region}_${r.functionName}`.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
    lines.push(`LAYERCTL_${key}_STATUS=${r.status}`);
    if (r.version !== null) lines.push(`LAYERCTL_${key}_LAYER_VERSION=${r.version}`);
    if (r.functionVersion) lines.push(`LAYERCTL_${key}_FUNCTION_VERSION=${r.functionVersion.replace(/[^A-Za-z0-9._:/+@,-]/g, "_")}`);
  }
  return lines.join("\n") + (lines.length ? "\n" : "");
}
