// Renderers of the lifecycle commands (layers, delete, prune, share): the same four modes as
// publish. These commands give many records per target, so `env` groups them per target into
// comma lists (LAYERCTL_AWS_US_EAST_1_DELETED=1,2,3), and `version` prints the versions acted on.
import type { LayerSummaryRecord, ShareRecord, VersionActionRecord, VersionStatus } from "../release/lifecycle-records.js";
import type { RecordFormat } from "./records.js";
import { columnTable, layerVersionCells, versionCell } from "./table.js";
import { envGroups, envKey, envLines, holdsManyLayers, markManyLayers, versionLabel } from "./env.js";

/**
 * Lines per target (and per layer, when the document can hold several); with one target of one
 * layer the keys are also given plain (LAYERCTL_DELETED).
 */
function envByTarget<R extends { provider: string; region: string; layerName: string }>(doc: { results: R[] }, fields: (rs: R[]) => Record<string, string | number>): string {
  const groups = envGroups(doc.results, holdsManyLayers(doc));
  const pairs: Array<[string, string | number]> = [];
  for (const { key, records } of groups) {
    for (const [k, v] of Object.entries(fields(records))) {
      if (groups.length === 1 && !holdsManyLayers(doc)) pairs.push([envKey(k), v]);
      pairs.push([envKey(...key, k), v]);
    }
  }
  return envLines(pairs);
}

/** `--output version`: the versions acted on, labelled when there are several targets or layers. */
function actedOn<R extends { provider: string; region: string; layerName: string; version: number | null }>(doc: { results: R[] }, keep: (r: R) => boolean): string {
  const rs = doc.results.filter((r) => keep(r) && r.version !== null);
  const label = versionLabel(doc.results, holdsManyLayers(doc));
  return rs.map((r) => `${label(r)}${r.version}\n`).join("");
}

const STATUSES: VersionStatus[] = ["deleted", "planned", "kept", "in-use", "not-found", "failed"];

export function renderVersionActions(doc: { results: VersionActionRecord[] }, format: RecordFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(doc, null, 2) + "\n";
    case "version":
      return actedOn(doc, (r) => r.status === "deleted" || r.status === "planned");
    case "env":
      return envByTarget(doc, (rs) =>
        Object.fromEntries(
          STATUSES.map((s) => [
            s,
            rs
              .filter((r) => r.status === s && r.version !== null)
              .map((r) => r.version)
              .join(","),
          ]),
        ),
      );
    case "table":
      return columnTable(
        ["PROVIDER", "REGION", "LAYER", "VERSION", "STATUS", "STATE", "CREATED", "WHY"],
        doc.results.map((r) => [...layerVersionCells(r), r.status, r.state ?? "-", r.createdAt ?? "-", r.error ? `${r.error.code}: ${r.error.message}` : (r.reason ?? "-")]),
      );
  }
}

export function renderLayerSummaries(doc: { results: LayerSummaryRecord[] }, format: RecordFormat): string {
  const ok = doc.results.filter((r) => !r.error);
  switch (format) {
    case "json":
      return JSON.stringify(doc, null, 2) + "\n";
    case "version":
      // A layer list holds several layers by nature: every line names its layer and target.
      return actedOn(markManyLayers({ results: ok }), () => true);
    case "env": {
      // Per target: LAYERS=a,b and <LAYER>_VERSION=3 (the layer is in every key already).
      const pairs: Array<[string, string | number]> = [];
      const groups = envGroups(ok, false);
      for (const { key, records } of groups) {
        const fields: Array<[string, string | number]> = [
          ["LAYERS", records.map((r) => r.layerName).join(",")],
          ...records.map((r): [string, string | number] => [`${r.layerName}_VERSION`, r.version ?? ""]),
        ];
        for (const [k, v] of fields) {
          if (groups.length === 1) pairs.push([envKey(k), v]);
          pairs.push([envKey(...key, k), v]);
        }
      }
      return envLines(pairs);
    }
    case "table":
      return columnTable(
        ["PROVIDER", "REGION", "LAYER", "NEWEST", "VERSIONS", "CREATED", "RUNTIMES / NOTE"],
        doc.results.map((r) => [
          r.provider,
          r.region,
          r.layerName || "-",
          versionCell(r.version),
          r.versionCount === null ? "-" : `${r.versionCount}${r.versionLimit !== null ? `/${r.versionLimit}` : ""}`,
          r.createdAt ?? "-",
          r.error ? `${r.error.code}: ${r.error.message}` : r.warning ? `WARNING: ${r.warning}` : r.compatibleRuntimes.join(",") || "-",
        ]),
      );
  }
}

export function renderShares(doc: { results: ShareRecord[] }, format: RecordFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(doc, null, 2) + "\n";
    case "version":
      return actedOn(doc, (r) => r.status === "shared" || r.status === "revoked");
    case "env":
      return envByTarget(doc, (rs) => ({
        SHARED: rs
          .filter((r) => r.status === "shared")
          .map((r) => r.grantee.replace(" ", ":"))
          .join(","),
        REVOKED: rs
          .filter((r) => r.status === "revoked")
          .map((r) => r.grantee.replace(" ", ":"))
          .join(","),
        SKIPPED: rs
          .filter((r) => r.status === "skipped")
          .map((r) => r.grantee.replace(" ", ":"))
          .join(","),
        FAILED: rs
          .filter((r) => r.status === "failed")
          .map((r) => r.grantee.replace(" ", ":"))
          .join(","),
      }));
    case "table":
      return columnTable(
        ["PROVIDER", "REGION", "LAYER", "VERSION", "STATUS", "GRANTEE", "COVERS", "NOTE"],
        doc.results.map((r) => [
          ...layerVersionCells(r),
          r.status,
          r.grantee,
          r.scope === "layer" ? "whole layer" : "this version",
          r.error ? `${r.error.code}: ${r.error.message}` : r.reason ? r.reason : r.changed === false ? "already so" : (r.statementId ?? "-"),
        ]),
      );
  }
}
