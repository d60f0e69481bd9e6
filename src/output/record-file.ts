// A record file as KEY=value lines for $GITHUB_OUTPUT, `make` includes and `set -a; . file`:
// LAYERCTL_<LAYER>_<PROVIDER>_<REGION>_VERSION=3 (and _ARN when there is one). Names are upper
// case with every other character turned into `_`; values are single safe tokens (as in records.ts).
import type { RecordFile } from "../record/schema.js";
import { envKey, envLines } from "./env.js";

export function renderRecordEnv(record: RecordFile): string {
  const pairs: Array<[string, string | number]> = [];
  for (const [layer, byProvider] of Object.entries(record.layers)) {
    for (const [provider, byRegion] of Object.entries(byProvider)) {
      for (const [region, entry] of Object.entries(byRegion)) {
        pairs.push([envKey(layer, provider, region, "VERSION"), entry.version]);
        if (entry.arn) pairs.push([envKey(layer, provider, region, "ARN"), entry.arn]);
      }
    }
  }
  return envLines(pairs);
}
