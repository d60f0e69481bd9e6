// What every target command returns: one record per target, a failed target included as a
// record (../../targets/failed-records.ts), and how such a document is printed and failed.
import type { FailureParts } from "../../errors.js";
import { errorObjectOf } from "../../output/debug-detail.js";
import { RECORD_FORMATS, type RecordFormat } from "../../output/records.js";
import type { RecordError } from "../../providers/types.js";

export interface RecordsDocument<R> {
  results: R[];
}
/**
 * Nothing on stdout when every target failed (so `| jq` fails cleanly), nor for `version` output
 * when any did: its lines would no longer say which target they belong to.
 */
export function printable(results: Array<{ error?: unknown }>, format: string): boolean {
  if (results.length > 0 && results.every((r) => r.error)) return false;
  return !(format === "version" && results.some((r) => r.error));
}

interface TargetRecord {
  provider: string;
  region: string;
  error?: RecordError;
}

/** Failed targets, one stderr line each (the document still lists them, status "failed"). */
export function recordFailures(results: TargetRecord[]): FailureParts[] {
  return results.flatMap(({ provider, region, error }) => (error ? [{ where: `${provider} ${region}`, ...error, error: errorObjectOf(error) }] : []));
}

/** The output half of a command that returns one record per target. */
export function recordsOutput<D extends { results: TargetRecord[] }>(render: (doc: D, format: RecordFormat) => string) {
  return {
    formats: RECORD_FORMATS,
    render: (doc: D, format: string) => (printable(doc.results, format) ? render(doc, format as RecordFormat) : ""),
    failures: (doc: D) => recordFailures(doc.results),
  };
}
