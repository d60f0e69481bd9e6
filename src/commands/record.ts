// layerctl record merge a.json b.json ... [-o all.json]: one record file from several CI jobs'.
import path from "node:path";
import { UsageError } from "../errors.js";
import type { RecordFile } from "../record/schema.js";
import { withRecordLock } from "../record/lock.js";
import { mergeRecords, readRecordFile, writeAtomic } from "../record/write.js";
import { renderRecordEnv } from "../output/record-file.js";
import { defineCommand } from "./shared/define.js";

export interface RecordMergeInput {
  /** Only "merge" (the table's choices). */
  action?: string;
  files: string[];
  /** --output as given (with -o, stdout stays empty unless it is). */
  output?: string;
  /** Write here (atomically) instead of returning it for stdout. */
  out?: string;
}

export interface RecordMergeResult {
  record: RecordFile;
  written: string | null;
  /** Print even though the file was written (--output given). */
  print: boolean;
}

export async function recordMergeCommand(input: RecordMergeInput): Promise<RecordMergeResult> {
  if (input.files.length === 0) throw new UsageError("no record files given", { code: "MissingRecord", hint: "layerctl record merge a.json b.json -o all.json" });
  const files = await Promise.all(input.files.map(async (name) => ({ name, record: await readRecordFile(name) })));
  const record = mergeRecords(files);
  if (input.out === undefined) return { record, written: null, print: true };
  const out = path.resolve(input.out);
  // Under the file's lock, like every writer of a record file (src/record/lock.ts).
  await withRecordLock(out, () => writeAtomic(out, record));
  return { record, written: out, print: input.output !== undefined };
}

export default defineCommand({
  arguments: [
    { name: "action", description: "merge", choices: ["merge"] },
    { name: "files", description: "record files (--record) of several jobs", variadic: true },
  ],
  options: [{ flags: "-o, --out <file>", description: "write the merged file here (atomically)" }],
  formats: ["json", "env"],
  examples: [
    "layerctl record merge records/*.json -o layers.lock.json",
    'layerctl record merge records/*.json -o layers.lock.json --output env >> "$GITHUB_OUTPUT"',
    "layerctl record merge a.json b.json | jq '.layers.deps.aws'",
  ],
  notes: `A conflict (the same layer, provider and region with different versions) exits 1, naming it.
stdout: the merged file (json; nothing with -o unless --output is given), or env lines
LAYERCTL_<LAYER>_<PROVIDER>_<REGION>_VERSION=3 and _ARN=... (upper case, other characters as _).`,
  run: recordMergeCommand,
  render: (r: RecordMergeResult, format: string) => (!r.print ? "" : format === "env" ? renderRecordEnv(r.record) : `${JSON.stringify(r.record, null, 2)}\n`),
});
