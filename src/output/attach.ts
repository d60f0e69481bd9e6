// Attach records for people (table) and scripts (json: {"results": [...]}, env: KEY=value).
import type { AttachRecord } from "../providers/types.js";
import type { PlannedAttachment } from "../release/publish-attach.js";
import { columnTable, versionCell } from "./table.js";
import { envKey, envLines, holdsManyLayers } from "./env.js";

export type AttachFormat = "table" | "json" | "env";

export function renderAttachDocument(doc: { results: AttachRecord[] }, format: AttachFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(doc, null, 2) + "\n";
    case "env":
      return attachEnvLines(doc);
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

/**
 * LAYERCTL_<PROVIDER>_<REGION>_<FUNCTION>_STATUS, _LAYER_VERSION, _PREVIOUS_VERSION and
 * _FUNCTION_VERSION for each function (with the layer first when the document can hold several).
 */
function attachEnvLines(doc: { results: AttachRecord[] }): string {
  const many = holdsManyLayers(doc);
  const pairs: Array<[string, string | number]> = [];
  for (const r of doc.results) {
    const key = [...(many ? [r.layerName] : []), r.provider, r.region, r.functionName];
    pairs.push([envKey(...key, "STATUS"), r.status]);
    if (r.version !== null) pairs.push([envKey(...key, "LAYER_VERSION"), r.version]);
    if (r.previousVersion !== null) pairs.push([envKey(...key, "PREVIOUS_VERSION"), r.previousVersion]);
    if (r.functionVersion) pairs.push([envKey(...key, "FUNCTION_VERSION"), r.functionVersion]);
  }
  return envLines(pairs);
}
