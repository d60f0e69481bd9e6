// Writing and merging record files. A write is atomic (a temporary file in the same folder, then a
// rename), and merges with what the file holds: entries of this run replace those of the same
// layer/provider/region, the rest stay. Failed targets are not recorded (they would erase the
// version that is still in place); dry runs write nothing. An entry that says what the file
// already says (same version, ARN and zip) is kept as it is, time included: a run that changed
// nothing leaves the file byte for byte as it was (no churn in a committed lock file).
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { CloudError, UsageError } from "../errors.js";
import { describeIssue, jsonErrorAt } from "../config/load.js";
import type { LayerVersionRecord } from "../providers/types.js";
import { withRecordLock } from "./lock.js";
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

/**
 * --record FILE: merge this run's published versions into the file, under its lock (./lock.ts):
 * what the file holds is read at the moment of writing, so concurrent writers lose nothing.
 */
export async function writeRecordFile(file: string, results: LayerVersionRecord[], now = new Date()): Promise<RecordFile> {
  return withRecordLock(file, async () => {
    const merged = overlay(await readRecordFile(file, { missingOk: true }), entriesOf(results, now));
    // Unchanged: the file is left as it is (no churn in a repository that commits it).
    const text = await readFile(file, "utf8").catch(() => null);
    if (text !== serialize(merged)) await writeAtomic(file, merged);
    return merged;
  });
}

/**
 * Everything that would make writing the record fail after publishing, checked before anything is
 * published: an existing record must be a readable, writable, valid record file, and its folder
 * must exist and be writable (the file is replaced through a temporary file and a lock beside it).
 */
export async function checkRecordFile(file: string): Promise<void> {
  const st = await stat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null;
    throw new UsageError(`cannot read record file ${file}: ${err.message}`, { code: "InvalidRecord" });
  });
  if (st) {
    if (!st.isFile()) throw new UsageError(`record file ${file} is not a file`, { code: "InvalidRecord", hint: 'give --record (or "record") the path of a JSON file' });
    await readRecordFile(file);
    await access(file, constants.W_OK).catch(() => {
      throw new UsageError(`record file ${file} is not writable`, { code: "RecordNotWritable", hint: "make it writable, or record into another file" });
    });
  }
  const dir = path.dirname(file);
  const dirStat = await stat(dir).catch(() => null);
  if (!dirStat?.isDirectory()) throw new UsageError(`the folder of record file ${file} does not exist`, { code: "RecordNotWritable", hint: `create ${dir} first` });
  await access(dir, constants.W_OK).catch(() => {
    throw new UsageError(`cannot write in ${dir}, where record file ${path.basename(file)} is replaced through a temporary file and a lock`, {
      code: "RecordNotWritable",
      hint: "record into a writable folder",
    });
  });
}

function serialize(record: RecordFile): string {
  return JSON.stringify(record, null, 2) + "\n";
}
