// Reads every entry of a zip given to publish as it is, the way the cloud will when it extracts
// it: a zip that would fail there (bad CRC, sizes that lie, two entries with one name, names
// that are not UTF-8) is refused here, before anything is uploaded. Entries are streamed from
// the file, one chunk at a time: the zip is never held in memory by this check.
import type fs from "node:fs";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { Unavailable, capturedSource, memorySource } from "../contents/byte-source.js";
import { noteFor, worthALook } from "../contents/sniff.js";
import type { ContentNote } from "../contents/types.js";
import { UsageError } from "../errors.js";
import { crc32 } from "./crc32.js";
import { METHOD_DEFLATE, METHOD_STORE } from "./zip-format.js";

const SIG_LOCAL = 0x04034b50;
const FLAG_ENCRYPTED = 1 << 0;
const FLAG_UTF8 = 1 << 11;
/** Info-ZIP's "Unicode Path" extra field: a UTF-8 copy of a name stored in a legacy encoding. */
const UNICODE_PATH_EXTRA = 0x7075;
const CHUNK = 1024 * 1024;
/** Entries up to this size (both ways) are checked in one synchronous inflate; bigger ones stream. */
const SMALL = 4 * 1024 * 1024;
const WINDOW = 8 * 1024 * 1024;
/** A large entry's first and last bytes are kept as it streams past: an executable's tables are nearly always there. */
const KEEP_HEAD = 1024 * 1024;
const KEEP_TAIL = 256 * 1024;
/** Rounds of re-reading a large entry for tables outside what was kept (each inflates up to the bytes asked for). */
const MAX_REREADS = 4;

/** What the contents check hears about, entry by entry. */
export type EntryNoteSink = (name: string, note: ContentNote) => void;

/**
 * Reads the file forward through one window: entries are visited in file order, so tens of
 * thousands of small entries cost a few reads, not two each.
 */
class Window {
  private start = 0;
  private buf = Buffer.alloc(0);
  /** Reused from read to read (what get() returns is valid until the next call): a big zip does not leave a trail of 8 MiB buffers for the collector. */
  private store = Buffer.alloc(0);
  constructor(private readonly fh: fs.promises.FileHandle) {}

  /** Up to `length` bytes at `position` (fewer at the end of the file); valid until the next call. */
  async get(position: number, length: number): Promise<Buffer> {
    if (position < this.start || position + length > this.start + this.buf.length) {
      const size = Math.max(length, WINDOW);
      if (this.store.length < size) this.store = Buffer.allocUnsafe(size);
      const buf = this.store.subarray(0, size);
      const { bytesRead } = await this.fh.read(buf, 0, buf.length, position);
      this.start = position;
      this.buf = buf.subarray(0, bytesRead);
    }
    return this.buf.subarray(position - this.start, position - this.start + length);
  }
}

export interface CentralEntry {
  /** The name's bytes as stored. */
  rawName: Buffer;
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  extra: Buffer;
}

const REBUILD = "rebuild the zip (layerctl pack builds a clean one from the folder)";
const utf8 = new TextDecoder("utf-8", { fatal: true });

function hasExtra(extra: Buffer, id: number): boolean {
  for (let q = 0; q + 4 <= extra.length; q += 4 + extra.readUInt16LE(q + 2)) if (extra.readUInt16LE(q) === id) return true;
  return false;
}

/**
 * Names every extractor reads the same way: UTF-8 (flagged, or plain ASCII, or with Info-ZIP's
 * UTF-8 copy), and each name once (a file and a folder of one name count as the same).
 */
export function checkNames(entries: CentralEntry[], shown: string): void {
  const seen = new Set<string>();
  for (const e of entries) {
    const ascii = e.rawName.every((b) => b < 0x80);
    if (!ascii) {
      let valid = true;
      try {
        utf8.decode(e.rawName);
      } catch {
        valid = false;
      }
      if (!valid || (!(e.flags & FLAG_UTF8) && !hasExtra(e.extra, UNICODE_PATH_EXTRA))) {
        throw new UsageError(`${shown} holds an entry name that is not marked UTF-8 ("${e.rawName.toString("latin1")}"); the cloud may extract it under another name`, {
          code: "NonUtf8ZipName",
          hint: `${REBUILD}, or zip with a tool that writes UTF-8 names`,
        });
      }
    }
    const key = e.name.replace(/\/+$/, "");
    if (seen.has(key)) {
      throw new UsageError(`${shown} holds "${key}" twice; which copy the cloud extracts is undefined`, { code: "DuplicateZipEntry", hint: REBUILD });
    }
    seen.add(key);
  }
}

function corrupt(shown: string, name: string, what: string): UsageError {
  return new UsageError(`${shown} is damaged: entry "${name}" ${what}`, { code: "CorruptZip", hint: REBUILD });
}

async function* readRange(fh: fs.promises.FileHandle, start: number, length: number): AsyncGenerator<Buffer> {
  let at = start;
  const end = start + length;
  while (at < end) {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, end - at));
    const { bytesRead } = await fh.read(buf, 0, buf.length, at);
    if (bytesRead === 0) return;
    at += bytesRead;
    yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
  }
}

/** Unpacks one entry as an extractor would, checking its CRC-32 and both sizes against the central directory. */
async function verifyEntry(fh: fs.promises.FileHandle, win: Window, fileSize: number, e: CentralEntry, shown: string, onNote?: EntryNoteSink): Promise<void> {
  if (e.flags & FLAG_ENCRYPTED) throw new UsageError(`${shown} holds an encrypted entry "${e.name}"; clouds cannot extract it`, { code: "EncryptedZip", hint: REBUILD });
  if (e.method !== METHOD_STORE && e.method !== METHOD_DEFLATE) {
    throw new UsageError(`${shown}: entry "${e.name}" uses compression method ${e.method}; layers must be stored or deflated`, { code: "UnsupportedZipMethod", hint: REBUILD });
  }
  const local = await win.get(e.localOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== SIG_LOCAL) throw corrupt(shown, e.name, "has no local header where the directory says");
  const dataStart = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (dataStart + e.compressedSize > fileSize) throw corrupt(shown, e.name, "claims more compressed bytes than the file holds");
  const inspect = onNote !== undefined && !e.name.endsWith("/");
  if (e.compressedSize <= SMALL && e.size <= SMALL) {
    const out = verifySmall(await win.get(dataStart, e.compressedSize), e, shown);
    if (inspect && worthALook(e.name, out)) {
      const note = noteFor(e.name, memorySource(out));
      if (note) onNote(e.name, note);
    }
    return;
  }

  let crc = 0;
  let size = 0;
  const head: Buffer[] = [];
  let headBytes = 0;
  const tail = inspect ? Buffer.allocUnsafe(Math.min(KEEP_TAIL, e.size)) : undefined;
  const sink = (chunk: Buffer): boolean => {
    const at = size;
    size += chunk.length;
    if (size > e.size) throw corrupt(shown, e.name, `unpacks to more than the ${e.size} bytes it declares`);
    crc = crc32(chunk, crc);
    if (inspect) {
      if (headBytes < KEEP_HEAD) {
        const part = Buffer.from(chunk.subarray(0, KEEP_HEAD - headBytes));
        head.push(part);
        headBytes += part.length;
      }
      copyOverlap(chunk, at, tail!, e.size - tail!.length);
    }
    return true;
  };
  await inflateEntry(fh, e, dataStart, sink, shown);
  if (size !== e.size) throw corrupt(shown, e.name, `unpacks to ${size} bytes, not the ${e.size} it declares`);
  if (crc >>> 0 !== e.crc >>> 0) throw corrupt(shown, e.name, "fails its CRC-32 check");
  const first = Buffer.concat(head);
  if (inspect && worthALook(e.name, first)) {
    const note = await noteOfLargeEntry(fh, e, dataStart, shown, [
      { offset: 0, bytes: first },
      { offset: e.size - tail!.length, bytes: tail! },
    ]);
    if (note) onNote(e.name, note);
  }
}

/**
 * Takes an entry's uncompressed bytes chunk by chunk, in order; a chunk is valid only during the
 * call (copy what is kept). Returns false when it has what it wanted: reading stops there.
 */
type EntrySink = (chunk: Buffer) => boolean;

/** Streams an entry's uncompressed bytes into `sink` (a damaged deflate stream is a corrupt entry). */
async function inflateEntry(fh: fs.promises.FileHandle, e: CentralEntry, dataStart: number, sink: EntrySink, shown: string): Promise<void> {
  if (e.method === METHOD_STORE) {
    // Stored bytes are the entry's bytes: read through one buffer. Fresh 1 MiB chunks left a big
    // entry's worth of buffers for the collector, memory the process kept under the upload bodies
    // publish builds next.
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, e.compressedSize));
    for (let at = 0; at < e.compressedSize; ) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await fh.read(buf, 0, Math.min(buf.length, e.compressedSize - at), dataStart + at));
      } catch (err) {
        // As a failed read through the inflate pipeline below reports it.
        throw corrupt(shown, e.name, `does not inflate (${(err as Error).message})`);
      }
      if (bytesRead === 0) return;
      at += bytesRead;
      if (!sink(buf.subarray(0, bytesRead))) return;
    }
    return;
  }
  const writable = new Writable({
    write(chunk: Buffer, _enc, done) {
      let more: boolean;
      try {
        more = sink(chunk);
      } catch (err) {
        return done(err as Error);
      }
      done(more ? undefined : new StopReading());
    },
  });
  const source = Readable.from(readRange(fh, dataStart, e.compressedSize));
  try {
    await pipeline(source, zlib.createInflateRaw(), writable);
  } catch (err) {
    if (err instanceof UsageError || err instanceof StopReading) {
      if (err instanceof StopReading) return;
      throw err;
    }
    throw corrupt(shown, e.name, `does not inflate (${(err as Error).message})`);
  }
}

class StopReading extends Error {}

/** Copies the part of `chunk` (at `at` in the entry) that falls in `into` (at `start`). */
function copyOverlap(chunk: Buffer, at: number, into: Buffer, start: number): void {
  const from = Math.max(at, start);
  const to = Math.min(at + chunk.length, start + into.length);
  if (to > from) chunk.copy(into, from - start, from - at, to - at);
}

/**
 * An executable in a large entry, from the bytes kept while verifying it; tables elsewhere (a
 * library whose string table sits mid-file) are read in another pass over the entry, which stops
 * once it has them.
 */
async function noteOfLargeEntry(
  fh: fs.promises.FileHandle,
  e: CentralEntry,
  dataStart: number,
  shown: string,
  kept: Array<{ offset: number; bytes: Buffer }>,
): Promise<ContentNote | null> {
  for (let round = 0; ; round++) {
    try {
      return noteFor(e.name, capturedSource(e.size, kept));
    } catch (err) {
      if (!(err instanceof Unavailable) || round >= MAX_REREADS) throw err;
      const want = { offset: err.offset, bytes: Buffer.alloc(Math.max(0, Math.min(Math.max(err.length, 64 * 1024), e.size - err.offset))) };
      let at = 0;
      const end = want.offset + want.bytes.length;
      const sink = (chunk: Buffer): boolean => {
        copyOverlap(chunk, at, want.bytes, want.offset);
        at += chunk.length;
        return at < end;
      };
      await inflateEntry(fh, e, dataStart, sink, shown);
      kept.push(want);
    }
  }
}

/** A small entry in one go; inflating stops one byte past the declared size, so a lie costs nothing. Returns its bytes. */
function verifySmall(data: Buffer, e: CentralEntry, shown: string): Buffer {
  let out: Buffer;
  if (e.method === METHOD_STORE) out = data;
  else {
    try {
      out = zlib.inflateRawSync(data, { maxOutputLength: e.size + 1 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw corrupt(shown, e.name, `unpacks to more than the ${e.size} bytes it declares`);
      throw corrupt(shown, e.name, `does not inflate (${(err as Error).message})`);
    }
  }
  if (out.length > e.size) throw corrupt(shown, e.name, `unpacks to more than the ${e.size} bytes it declares`);
  if (out.length !== e.size) throw corrupt(shown, e.name, `unpacks to ${out.length} bytes, not the ${e.size} it declares`);
  if (crc32(out) >>> 0 !== e.crc >>> 0) throw corrupt(shown, e.name, "fails its CRC-32 check");
  return out;
}

/** `onNote`: executables and wheel metadata, for the contents check, read from the bytes verified anyway. */
export async function verifyEntries(fh: fs.promises.FileHandle, fileSize: number, entries: CentralEntry[], shown: string, onNote?: EntryNoteSink): Promise<void> {
  checkNames(entries, shown);
  const win = new Window(fh);
  for (const e of [...entries].sort((a, b) => a.localOffset - b.localOffset)) await verifyEntry(fh, win, fileSize, e, shown, onNote);
}
