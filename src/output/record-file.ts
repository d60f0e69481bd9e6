// A record file as KEY=value lines for $GITHUB_OUTPUT, `make` includes and `set -a; . file`:
// LAYERCTL_<LAYER>_<PROVIDER>_<REGION>_VERSION=3 (and _ARN when there is one). Names are upper
// case with every other character turned into `_`; values are single safe tokens (as in records.ts).
import type { RecordFile } from "../record/schema.js";

export function renderRecordEnv(record: RecordFile): string {
  const lines: string[] = [];
  const key = (...parts: string[]) =>
    `LAYERCTL_${parts
      .join("_")
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, "_")}`;
  const safe = (v: string) => v.replace(/[^A-Za-z0-9._:/+@,-]/g, "_");
  for (const [layer, byProvider] of Object.entries(record.layers)) {
    for (const [provider, byRegion] of Object.entries(byProvider)) {
      for (const [region, entry] of Object.entries(byRegion)) {
        lines.push(`${key(layer, provider, region, "VERSION")}=${entry.version}`);
        if (entry.arn) lines.push(`${key(layer, provider, region, "ARN")}=${safe(entry.arn)}`);
      }
    }
  }
  return lines.join("\n") + (lines.length ? "\n" : "");
}
