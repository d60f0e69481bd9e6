// The CPU-heavy part of packing, run inside the deflate workers (or inline for tiny trees): read
// files, CRC them, deflate them, and lay out complete local records so the main thread only writes.
import fs from "node:fs";
import zlib from "node:zlib";
import { fileSource, memorySource } from "../contents/byte-source.js";
import { noteFor, worthALook } from "../contents/sniff.js";
import type { ContentNote } from "../contents/types.js";
import { crc32 } from "./crc32.js";
import type { Entry } from "./walk.js";
import { LOCAL_HEADER_SIZE, METHOD_DEFLATE, METHOD_STORE, writeLocalHeader } from "./zip-format.js";

/** Same level as Info-ZIP's default, so sizes stay comparable. */
const LEVEL = 6;
/**
 * zlib's output buffer per call (default 16 KiB). A tree of 100k tiny files makes 100k calls, and
 * 100k garbage 16 KiB buffers grow the process by tens of MB before a GC: size it to the input
 * (the output bytes are the same whatever its size).
 */
const outputBufferFor = (size: number) => Math.min(64 * 1024, Math.max(64, size + 64));
/** Deflate's window: each chunk of a large file is primed with the 32 KiB before it. */
const WINDOW = 32 * 1024;

/** Small entries, written as one block of consecutive local records. */
export interface BatchTask {
  type: "batch";
  dosDateTime: number;
  items: Entry[];
  /** Note executables and wheel metadata for the contents check (from the bytes read anyway). */
  inspect?: boolean;
}

/** One slice of a large file; slices are deflated independently and concatenated in order. */
export interface ChunkTask {
  type: "chunk";
  source: string;
  offset: number;
  length: number;
  final: boolean;
  /** On a file's first chunk, for the contents check: its name in the zip and whole size. */
  inspect?: { name: string; size: number };
}

export type DeflateTask = BatchTask | ChunkTask;

export interface BatchDone {
  type: "batch";
  records: Uint8Array;
  /** Per item: crc, compressed size, method. */
  meta: number[];
  /** What the contents check should know, by item index; absent when nothing was noted. */
  notes?: Array<[number, ContentNote]>;
}

export interface ChunkDone {
  type: "chunk";
  data: Uint8Array;
  crc: number;
  note?: ContentNote;
}

/** An errno code, or "CHANGED" when the file's size no longer matches the walk. */
export interface ReadFailed {
  type: "failed";
  source: string;
  code: string;
}

export type TaskOutcome = BatchDone | ChunkDone | ReadFailed;

class ReadFailure extends Error {
  constructor(
    readonly code: string,
    readonly source: string,
  ) {
    super(`${code}: ${source}`);
  }
}

/** A descriptor of `source`; failing to open it is a ReadFailure with the system's code. */
function openForReading(source: string): number {
  try {
    return fs.openSync(source, "r");
  } catch (err) {
    throw new ReadFailure((err as NodeJS.ErrnoException).code ?? "EIO", source);
  }
}

/** Reads exactly `length` bytes at `position`; `probe` asks for one more to detect a file that grew. */
function readExactly(source: string, out: Uint8Array, at: number, length: number, position: number, probe: boolean): void {
  const fd = openForReading(source);
  try {
    const want = length + (probe ? 1 : 0);
    let got = 0;
    for (;;) {
      const n = fs.readSync(fd, out, at + got, want - got, position + got);
      got += n;
      if (n === 0 || got === want) break;
    }
    if (got !== length) throw new ReadFailure("CHANGED", source);
  } catch (err) {
    if (err instanceof ReadFailure) throw err;
    throw new ReadFailure((err as NodeJS.ErrnoException).code ?? "EIO", source);
  } finally {
    fs.closeSync(fd);
  }
}

function runBatch(task: BatchTask): BatchDone {
  const names = task.items.map((e) => Buffer.from(e.name));
  // A record is never larger than header + raw bytes (we store when deflate does not shrink), so
  // one exact-bound buffer is enough; +1 for the growth probe of the last file.
  let bound = 1;
  task.items.forEach((e, i) => {
    bound += LOCAL_HEADER_SIZE + names[i]!.length + (e.kind === "file" ? e.size : e.kind === "link" ? Buffer.byteLength(e.target) : 0);
  });
  // Not from the shared pool: the whole ArrayBuffer is transferred to the main thread.
  const out = Buffer.allocUnsafeSlow(bound);
  const meta: number[] = [];
  let notes: Array<[number, ContentNote]> | undefined;
  let p = 0;
  task.items.forEach((item, i) => {
    const name = names[i]!;
    const dataAt = p + LOCAL_HEADER_SIZE + name.length;
    let size = 0;
    let compressedSize = 0;
    let method = METHOD_STORE;
    let crc = 0;
    if (item.kind === "link") {
      size = compressedSize = out.write(item.target, dataAt, "utf8");
      crc = crc32(out.subarray(dataAt, dataAt + size));
    } else if (item.kind === "file") {
      readExactly(item.source, out, dataAt, item.size, 0, true);
      size = compressedSize = item.size;
      const raw = out.subarray(dataAt, dataAt + size);
      crc = crc32(raw);
      // Before deflate overwrites the raw bytes: a few byte compares per file, more only for executables.
      if (task.inspect && worthALook(item.name, raw)) {
        const note = noteFor(item.name, memorySource(raw));
        if (note) (notes ??= []).push([i, note]);
      }
      if (size > 0) {
        const deflated = zlib.deflateRawSync(raw, { level: LEVEL, chunkSize: outputBufferFor(size) });
        if (deflated.length < size) {
          deflated.copy(out, dataAt);
          compressedSize = deflated.length;
          method = METHOD_DEFLATE;
        }
      }
    }
    writeLocalHeader(out, p, { name, method, crc, compressedSize, size, dosDateTime: task.dosDateTime });
    p = dataAt + compressedSize;
    meta.push(crc, compressedSize, method);
  });
  return notes ? { type: "batch", records: out.subarray(0, p), meta, notes } : { type: "batch", records: out.subarray(0, p), meta };
}

function runChunk(task: ChunkTask): ChunkDone {
  const dictionary = Math.min(WINDOW, task.offset);
  const buf = Buffer.allocUnsafeSlow(dictionary + task.length + 1);
  readExactly(task.source, buf, 0, dictionary + task.length, task.offset - dictionary, task.final);
  const data = buf.subarray(dictionary, dictionary + task.length);
  const deflated = zlib.deflateRawSync(data, {
    level: LEVEL,
    ...(dictionary ? { dictionary: buf.subarray(0, dictionary) } : {}),
    // A sync flush ends a slice on a byte boundary without the final-block bit, so slices concatenate.
    finishFlush: task.final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
  });
  const own = new Uint8Array(deflated.length);
  own.set(deflated);
  const note = task.inspect && worthALook(task.inspect.name, data) ? noteOfLargeFile(task.source, task.inspect) : null;
  return note ? { type: "chunk", data: own, crc: crc32(data), note } : { type: "chunk", data: own, crc: crc32(data) };
}

/** A large executable's tables are read from the file at their offsets (a few small reads). */
function noteOfLargeFile(source: string, { name, size }: { name: string; size: number }): ContentNote | null {
  const fd = openForReading(source);
  try {
    return noteFor(name, fileSource(fd, size));
  } finally {
    fs.closeSync(fd);
  }
}

export function runTask(task: DeflateTask): TaskOutcome {
  try {
    return task.type === "batch" ? runBatch(task) : runChunk(task);
  } catch (err) {
    if (err instanceof ReadFailure) return { type: "failed", source: err.source, code: err.code };
    throw err;
  }
}

/** ArrayBuffers to move (not copy) to the other thread. */
export function transferables(outcome: TaskOutcome): ArrayBuffer[] {
  if (outcome.type === "batch") return [outcome.records.buffer as ArrayBuffer];
  if (outcome.type === "chunk") return [outcome.data.buffer as ArrayBuffer];
  return [];
}
