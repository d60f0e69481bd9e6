// Renderers of the lifecycle commands (layers, delete, prune, share): the same four modes as
// publish. These commands give many records per target, so `env` groups them per target into
// comma lists (LAYERCTL_AWS_US_EAST_1_DELETED=1,2,3), and `version` prints the versions acted on.
import type { LayerSummaryRecord, ShareRecord, VersionActionRecord, VersionStatus } from "../commands/shared/lifecycle-records.js";
import type { RecordFormat } from "./records.js";
import { columnTable, layerVersionCells, versionCell } from "./table.js";

function targetKey(r: { provider: string; region: string }): string {
  return `${r.provider}_${r.region}`.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

function keyPart(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

/** Values hold only characters no shell or make treats specially (as in records.ts). */
function value(v: string | number): string {
  return String(v).replace(/[^A-Za-z0-9._:/+@,-]/g, "_");
}

/** Lines per target; with one target the keys are also given plain (LAYERCTL_DELETED). */
function envGroups<R extends { provider: string; region: string }>(results: R[], fields: (rs: R[]) => Record<string, string | number>): string {
  const groups = new Map<string, R[]>();
  for (const r of results) groups.set(targetKey(r), [...(groups.get(targetKey(r)) ?? []), r]);
  const lines: string[] = [];
  for (const [target, rs] of groups) {
    for (const [k, v] of Object.entries(fields(rs))) {
      if (groups.size === 1) lines.push(`LAYERCTL_${k}=${value(v)}`);
      lines.push(`LAYERCTL_${target}_${k}=${value(v)}`);
    }
  }
  return lines.join("\n") + (lines.length ? "\n" : "");
}

const STATUSES: VersionStatus[] = ["deleted", "planned", "kept", "in-use", "not-found", "failed"];

export function renderVersionActions(doc: { results: VersionActionRecord[] }, format: RecordFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(doc, null, 2) + "\n";
    case "version":
      return doc.results
        .filter((r) => (r.status === "deleted" || r.status === "planned") && r.version !== null)
        .map((r) => `${r.version}\n`)
        .join("");
    case "env":
      return envGroups(doc.results, (rs) =>
        Object.fromEntries(
          STATUSES.map((s) => [
            keyPart(s),
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
      return ok.map((r) => `${r.version ?? ""}\n`).join("");
    case "env":
      return envGroups(ok, (rs) => ({
        LAYERS: rs.map((r) => r.layerName).join(","),
        ...Object.fromEntries(rs.map((r) => [`${keyPart(r.layerName)}_VERSION`, r.version ?? ""])),
      }));
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
      return doc.results
        .filter((r) => !r.error)
        .map((r) => `${r.version ?? ""}\n`)
        .join("");
    case "env":
      return envGroups(doc.results, (rs) => ({
        SHARED: rs
          .filter((r) => r.status === "shared")
          .map((r) => r.grantee.replace(" ", ":"))
          .join(","),
        REVOKED: rs
          .filter((r) => r.status === "revoked")
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
          r.error ? `${r.error.code}: ${r.error.message}` : r.changed === false ? "already so" : (r.statementId ?? "-"),
        ]),
      );
  }
}
