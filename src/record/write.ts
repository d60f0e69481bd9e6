// Writing and merging record files. A write is atomic (a temporary file in the same folder, then a
// rename), and merges with what the file holds: entries of this run replace those of the same
// layer/provider/region, the rest stay. Failed targets are not recorded (they would erase the
// version that is still in place); dry runs write nothing. An entry that says what the file
// already says (same version, ARN and zip) is kept as it is, time included: a run that changed
// nothing leaves the file byte for byte as it was (no churn in a committed lock file).
import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { CloudError, UsageError } from "../errors.js";
import { describeIssue, jsonErrorAt } from "../config/load.js";
import type { LayerVersionRecord } from "../providers/types.js";
import { RECORD_FORMAT, recordFileSchema, type RecordEntry, type RecordFile } from "./schema.js";

export function emptyRecord(): RecordFile {
  return { format: RECORD_FORMAT, layers: {} };
}

/** The entries a run's results make: published and unchanged versions only. */
export function entriesOf(results: LayerVersionRecord[], now = new Date()): RecordFile {
  const file = emptyRecord();
  for (const r of results) {
    if ((r.status !== "published" && r.status !== "unchanged") || r.error || r.version === null) continue;
    const entry: RecordEntry = {
      version: r.version,
      arn: r.arn,
      codeSha256: r.codeSha256,
      status: r.status,
      time: now.toISOString(),
      ...(r.padding?.length ? { padding: r.padding } : {}),
    };
    ((file.layers[r.layerName] ??= {})[r.provider] ??= {})[r.region] = entry;
  }
  return file;
}

/** `over` replaces `base` entry by entry; an entry naming the same version as before keeps the old one (its time). */
export function overlay(base: RecordFile, over: RecordFile): RecordFile {
  const out: RecordFile = structuredClone(base);
  for (const [layer, byProvider] of Object.entries(over.layers)) {
    for (const [provider, byRegion] of Object.entries(byProvider)) {
      for (const [region, entry] of Object.entries(byRegion)) {
        const regions = ((out.layers[layer] ??= {})[provider as keyof (typeof out.layers)[string]] ??= {});
        const before = regions[region];
        if (sameVersion(before, entry)) continue;
        // What it replaces stays known: the version to go back to (attach --to-previous).
        if (before && before.version !== entry.version) regions[region] = { ...entry, previous: { version: before.version, arn: before.arn } };
        // The same version read differently (a field the first run did not know): the padding
        // created below it is still what it was.
        else regions[region] = before?.padding && !entry.padding ? { ...entry, padding: before.padding } : entry;
      }
    }
  }
  return out;
}

/** The same layer version: what a later step acts on (version, ARN, zip) is unchanged. */
function sameVersion(a: RecordEntry | undefined, b: RecordEntry): boolean {
  return a !== undefined && a.version === b.version && a.arn === b.arn && a.codeSha256 === b.codeSha256;
}

/**
 * Where an `--emulator` run records: beside the real file, never in it (`layers.lock.json` ->
 * `layers.lock.emulator.json`), so that a rehearsal cannot put the emulator's versions and ARNs
 * where a release reads the real ones.
 */
export function emulatorRecordPath(file: string): string {
  const ext = path.extname(file);
  return ext ? `${file.slice(0, -ext.length)}.emulator${ext}` : `${file}.emulator`;
}

/** Several CI jobs' files into one; the same target with a different version (or zip) is a conflict. */
export function mergeRecords(files: Array<{ name: string; record: RecordFile }>): RecordFile {
  const out = emptyRecord();
  const from = new Map<string, string>();
  for (const { name, record } of files) {
    for (const [layer, byProvider] of Object.entries(record.layers)) {
      for (const [provider, byRegion] of Object.entries(byProvider)) {
        for (const [region, entry] of Object.entries(byRegion)) {
          const key = `${layer} ${provider} ${region}`;
          const target = ((out.layers[layer] ??= {})[provider as keyof (typeof out.layers)[string]] ??= {});
          const seen = target[region];
          if (seen && (seen.version !== entry.version || (seen.codeSha256 && entry.codeSha256 && seen.codeSha256 !== entry.codeSha256))) {
            throw new CloudError(`records conflict on ${layer} ${provider} ${region}: version ${seen.version} in ${from.get(key)}, version ${entry.version} in ${name}`, {
              code: "RecordConflict",
              hint: "two jobs published the same layer to the same region; keep one of the files, or publish again with --skip-unchanged",
            });
          }
          if (!seen || entry.time > seen.time) target[region] = entry;
          if (!seen) from.set(key, name);
        }
      }
    }
  }
  return out;
}

export async function readRecordFile(file: string, opts: { missingOk?: boolean } = {}): Promise<RecordFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" && opts.missingOk) return emptyRecord();
    throw new UsageError(`cannot read record file ${file}: ${(err as Error).message}`, { code: "MissingRecord" });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON: ${jsonErrorAt(text, err)}`, { code: "InvalidRecord" });
  }
  const parsed = recordFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(`${file}: not a layerctl record file: ${describeIssue(parsed.error.issues[0]!)}`, {
      code: "InvalidRecord",
      hint: "`layerctl schema output` prints its schema",
    });
  }
  return parsed.data;
}

/** Atomically replace `file` with `record` (temporary file + rename in the same folder). */
export async function writeAtomic(file: string, record: RecordFile): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, serialize(record));
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new UsageError(`cannot write record file ${file}: ${(err as Error).message}`, { code: "RecordWriteFailed" });
  }
}

/** --record FILE: merge this run's published versions into the file (not written when that changes nothing). */
export async function writeRecordFile(file: string, results: LayerVersionRecord[], now = new Date()): Promise<RecordFile> {
  const merged = overlay(await readRecordFile(file, { missingOk: true }), entriesOf(results, now));
  const text = await readFile(file, "utf8").catch(() => null);
  if (text !== serialize(merged)) await writeAtomic(file, merged);
  return merged;
}

function serialize(record: RecordFile): string {
  return JSON.stringify(record, null, 2) + "\n";
}
