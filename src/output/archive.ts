import type { ArchiveSummary } from "../archive/types.js";
import { humanBytes, keyValueTable } from "./table.js";

export type ArchiveFormat = "table" | "json";

export function renderArchive(summary: ArchiveSummary, format: ArchiveFormat): string {
  if (format === "json") return JSON.stringify(summary, null, 2) + "\n";
  return keyValueTable([
    ["zip", summary.path ?? "(temporary; keep it with --out <file>)"],
    ["files", String(summary.fileCount)],
    ["uncompressed", `${summary.uncompressedBytes} bytes (${humanBytes(summary.uncompressedBytes)})`],
    ["zip size", `${summary.zipBytes} bytes (${humanBytes(summary.zipBytes)})`],
    ["sha256", summary.sha256],
  ]);
}
