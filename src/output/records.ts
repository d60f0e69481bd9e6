// The unified renderers. JSON is the public, stable shape; `version` and `env` are for release
// scripts and Makefiles; `table` is for people.
import type { ArchiveSummary } from "../archive/types.js";
import type { FunctionVersionRecord, LayerVersionRecord } from "../providers/types.js";
import { renderArchive } from "./archive.js";
import { envGroups, envKey, envLines, holdsManyLayers, versionLabel } from "./env.js";

export { markManyLayers } from "./env.js";
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
      return versionLines(doc, (r) => (r.status === "planned" ? "planned" : String(r.version ?? "")));
    case "env":
      return recordEnv(doc, (r) => ({
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

/** Function records name no layer: for the shared line and key rules, they are all of one. */
function withLayer(doc: { results: FunctionVersionRecord[] }): { results: Array<FunctionVersionRecord & { layerName: string }> } {
  return { results: doc.results.map((r) => ({ ...r, layerName: "" })) };
}

export function renderFunctionDocument(doc: { results: FunctionVersionRecord[] }, format: RecordFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(doc, null, 2) + "\n";
    case "version":
      return versionLines(withLayer(doc), (r) => r.version ?? "");
    case "env":
      return recordEnv(withLayer(doc), (r) => ({ PROVIDER: r.provider, REGION: r.region, FUNCTION_NAME: r.functionName, VERSION: r.version ?? "", ARN: r.arn ?? "" }));
    case "table":
      return columnTable(
        ["PROVIDER", "REGION", "FUNCTION", "VERSION", "ARN"],
        doc.results.map((r) => [r.provider, r.region, r.functionName, r.version ?? "-", r.error ? `${r.error.code}: ${r.error.message}` : (r.arn ?? "-")]),
      );
  }
}

/**
 * One line per result. For one target (one publish, or `versions` of one layer) the bare version,
 * as `V=$(...)` wants it; with several targets, `provider region version`, and with several layers
 * (or a document that can hold several) `layer provider region version`: bare numbers would not say
 * what they belong to. A dry run has no version: it prints `planned`.
 */
function versionLines<R extends { provider: string; region: string; layerName: string }>(doc: { results: R[] }, version: (r: R) => string): string {
  const label = versionLabel(doc.results, holdsManyLayers(doc));
  return doc.results.map((r) => `${label(r)}${version(r)}\n`).join("");
}

/**
 * Keys named after each target (LAYERCTL_AWS_US_EAST_1_VERSION), and after the layer too when the
 * document can hold several (LAYERCTL_DEPS_AWS_US_EAST_1_VERSION). With one target (and one layer)
 * the keys are also given plain (LAYERCTL_VERSION). A target listed with several versions (`versions`)
 * gives the newest's fields and VERSIONS=3,2,1.
 */
function recordEnv<R extends { provider: string; region: string; layerName: string; version: number | string | null }>(
  doc: { results: R[] },
  fields: (r: R) => Record<string, string | number>,
): string {
  const many = holdsManyLayers(doc);
  const groups = envGroups(doc.results, many);
  const plain = groups.length === 1 && !many;
  const pairs: Array<[string, string | number]> = [];
  for (const { key, records } of groups) {
    const all =
      records.length > 1
        ? {
            VERSIONS: records
              .map((r) => r.version ?? "")
              .filter((v) => v !== "")
              .join(","),
          }
        : {};
    for (const [k, v] of Object.entries({ ...fields(records[0]!), ...all })) {
      if (plain) pairs.push([envKey(k), v]);
      pairs.push([envKey(...key, k), v]);
    }
  }
  return envLines(pairs);
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
