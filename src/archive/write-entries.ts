// Streams the sorted entries through the deflater and into the zip in their fixed order. Tasks are
// dispatched ahead while their input is bounded (backpressure), so memory does not grow with the
// tree: at most MAX_IN_FLIGHT bytes (each entry counted as at least ENTRY_COST, so 100k tiny
// files are not all in flight at once) and as many tasks as keep the deflater busy are being read,
// deflated or waiting.
import fs from "node:fs";
import type { ContentNote } from "../contents/types.js";
import { crc32, crc32Combine } from "./crc32.js";
import type { Deflater } from "./deflate-pool.js";
import type { BatchDone, BatchTask, ChunkDone, ChunkTask, TaskOutcome } from "./deflate-task.js";
import { readError, guardFs } from "./fs-errors.js";
import type { Entry } from "./walk.js";
import { LOCAL_HEADER_SIZE, MODE_DIR, MODE_LINK, METHOD_DEFLATE, METHOD_STORE, localHeader, localHeaderLength } from "./zip-format.js";
import type { ZipFileWriter } from "./zip-writer.js";

/**
 * Small entries travel in batches: one message per ~256 KiB instead of one per file. At most 64
 * entries each: entries waiting in flight outlive the main thread's young-generation collections,
 * which makes V8 grow it; with 128, 100k tiny files peaked ~20 MB higher (and were no faster).
 */
const BATCH_BYTES = 256 * 1024;
const BATCH_ITEMS = 64;
/** Files from this size are split into chunks deflated in parallel, so no file is held whole. */
const LARGE_FILE = 4 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const MAX_IN_FLIGHT = 32 * 1024 * 1024;
/** What an entry costs in flight besides its bytes: its path twice, its objects, its message. */
const ENTRY_COST = 1024;

type FileEntry = Extract<Entry, { kind: "file" }>;

type Planned = { kind: "batch"; bytes: number; task: BatchTask } | { kind: "chunk"; entry: FileEntry; bytes: number; task: ChunkTask };

function* plan(entries: Iterable<Entry>, dosDateTime: number, inspect: boolean): Generator<Planned> {
  let items: Entry[] = [];
  let bytes = 0;
  const batch = (): Planned => {
    const planned: Planned = { kind: "batch", bytes, task: inspect ? { type: "batch", dosDateTime, items, inspect } : { type: "batch", dosDateTime, items } };
    items = [];
    bytes = 0;
    return planned;
  };
  for (const e of entries) {
    if (e.kind === "file" && e.size >= LARGE_FILE) {
      if (items.length) yield batch();
      for (let offset = 0; offset < e.size; offset += CHUNK) {
        const length = Math.min(CHUNK, e.size - offset);
        const task: ChunkTask = { type: "chunk", source: e.source, offset, length, final: offset + length === e.size };
        if (inspect && offset === 0) task.inspect = { name: e.name, size: e.size };
        yield { kind: "chunk", entry: e, bytes: length, task };
      }
      continue;
    }
    items.push(e);
    bytes += (e.kind === "file" ? e.size : 0) + ENTRY_COST;
    if (bytes >= BATCH_BYTES || items.length >= BATCH_ITEMS) yield batch();
  }
  if (items.length) yield batch();
}

interface InFlight {
  planned: Planned;
  outcome: Promise<TaskOutcome>;
}

/** A large file in progress: its header is reserved and written once its CRC and size are known. */
interface OpenLarge {
  headerAt: number;
  crc: number;
  compressedSize: number;
}

/** What the contents check hears about, entry by entry in zip order. */
export type NoteSink = (name: string, note: ContentNote) => void;

export async function writeEntries(
  entries: Iterable<Entry>,
  zip: ZipFileWriter,
  deflater: Deflater,
  dosDateTime: number,
  shown: (source: string) => string,
  onNote?: NoteSink,
): Promise<void> {
  let large: OpenLarge | undefined;

  const writeBatch = (items: Entry[], done: BatchDone) => {
    if (onNote && done.notes) for (const [i, note] of done.notes) onNote(items[i]!.name, note);
    let offset = zip.position;
    zip.append(done.records);
    items.forEach((e, i) => {
      const crc = done.meta[3 * i]!;
      const compressedSize = done.meta[3 * i + 1]!;
      const method = done.meta[3 * i + 2]!;
      const name = Buffer.from(e.name);
      const size = e.kind === "file" ? e.size : compressedSize;
      const mode = e.kind === "file" ? e.mode : e.kind === "dir" ? MODE_DIR : MODE_LINK;
      zip.addCentral({ name, method, crc, compressedSize, size, dosDateTime, mode, offset });
      offset += LOCAL_HEADER_SIZE + name.length + compressedSize;
    });
  };

  const writeChunk = (p: Extract<Planned, { kind: "chunk" }>, done: ChunkDone) => {
    if (onNote && done.note) onNote(p.entry.name, done.note);
    large ??= { headerAt: zip.reserve(localHeaderLength(Buffer.byteLength(p.entry.name), p.entry.size)), crc: 0, compressedSize: 0 };
    zip.append(done.data);
    large.crc = crc32Combine(large.crc, done.crc, p.task.length);
    large.compressedSize += done.data.length;
    if (p.task.final) {
      finishLarge(p.entry, large);
      large = undefined;
    }
  };

  const finishLarge = (e: FileEntry, l: OpenLarge) => {
    const name = Buffer.from(e.name);
    let method = METHOD_DEFLATE;
    if (l.compressedSize >= e.size) {
      zip.rewind(l.headerAt + localHeaderLength(name.length, e.size));
      copyStored(e, l.crc, zip, shown);
      method = METHOD_STORE;
      l.compressedSize = e.size;
    }
    const fields = { name, method, crc: l.crc, compressedSize: l.compressedSize, size: e.size, dosDateTime };
    zip.writeAt(localHeader(fields), l.headerAt);
    zip.catchUpHash();
    zip.addCentral({ ...fields, mode: e.mode, offset: l.headerAt });
  };

  const settle = async ({ planned, outcome }: InFlight) => {
    const done = await outcome;
    if (done.type === "failed") throw readError(done.code, shown(done.source));
    if (planned.kind === "batch") writeBatch(planned.task.items, done as BatchDone);
    else writeChunk(planned, done as ChunkDone);
    return planned.bytes;
  };

  const inFlight: InFlight[] = [];
  let bytes = 0;
  for (const planned of plan(entries, dosDateTime, onNote !== undefined)) {
    while (inFlight.length > 0 && (bytes + planned.bytes > MAX_IN_FLIGHT || inFlight.length >= deflater.ahead)) bytes -= await settle(inFlight.shift()!);
    const outcome = deflater.run(planned.task);
    // Awaited in order later; this only stops a failure from counting as unhandled meanwhile.
    outcome.catch(() => {});
    inFlight.push({ planned, outcome });
    bytes += planned.bytes;
  }
  while (inFlight.length > 0) await settle(inFlight.shift()!);
}

/** Rewrites a large file uncompressed, checking it still has the CRC its deflated attempt had. */
function copyStored(e: FileEntry, expectedCrc: number, zip: ZipFileWriter, shown: (source: string) => string): void {
  const where = shown(e.source);
  const buf = Buffer.allocUnsafe(CHUNK);
  const fd = guardFs(where, () => fs.openSync(e.source, "r"));
  let crc = 0;
  try {
    for (let at = 0; at < e.size; ) {
      const n = guardFs(where, () => fs.readSync(fd, buf, 0, Math.min(CHUNK, e.size - at), at));
      if (n === 0) break;
      crc = crc32(buf.subarray(0, n), crc);
      zip.append(buf.subarray(0, n));
      at += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  if (crc !== expectedCrc) throw readError("CHANGED", where);
}
