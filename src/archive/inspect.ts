// Summarises an existing zip (to publish it as it is) in the same shape `pack` returns.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { NamedNote } from "../contents/types.js";
import { UsageError } from "../errors.js";
import type { PackResult } from "./types.js";
import { compareUtf8 } from "./utf8-order.js";
import { type CentralEntry, verifyEntries } from "./verify-entries.js";
import { MAX_16, MAX_32 } from "./zip-format.js";

const END_SIZE = 22;
const MAX_COMMENT = 0xffff;

interface Directory {
  count: number;
  offset: number;
  size: number;
}

function notZip(shown: string): UsageError {
  return new UsageError(`${shown} is not a zip file`, { hint: "pass a .zip archive, or a folder to pack" });
}

async function readAt(fh: fs.promises.FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

/** Finds the central directory from the end record (and the zip64 one when fields overflow). */
async function findDirectory(fh: fs.promises.FileHandle, fileSize: number, shown: string): Promise<Directory> {
  const tailStart = Math.max(0, fileSize - END_SIZE - MAX_COMMENT);
  const tail = await readAt(fh, tailStart, fileSize - tailStart);
  for (let i = tail.length - END_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== 0x06054b50 || i + END_SIZE + tail.readUInt16LE(i + 20) > tail.length) continue;
    const endAt = tailStart + i;
    const dir = { count: tail.readUInt16LE(i + 10), size: tail.readUInt32LE(i + 12), offset: tail.readUInt32LE(i + 16) };
    let dirEnd = endAt;
    if ((dir.count === MAX_16 || dir.size === MAX_32 || dir.offset === MAX_32) && endAt >= 20) {
      const locator = await readAt(fh, endAt - 20, 20);
      if (locator.readUInt32LE(0) === 0x07064b50) {
        dirEnd = Number(locator.readBigUInt64LE(8));
        const end64 = await readAt(fh, dirEnd, 56);
        if (end64.length < 56 || end64.readUInt32LE(0) !== 0x06064b50) throw notZip(shown);
        dir.count = Number(end64.readBigUInt64LE(32));
        dir.size = Number(end64.readBigUInt64LE(40));
        dir.offset = Number(end64.readBigUInt64LE(48));
      }
    }
    if (dir.offset + dir.size > dirEnd) throw notZip(shown);
    return dir;
  }
  throw notZip(shown);
}

/** `check`: the contents check, given what the entries hold (see PackOptions.check). */
export async function inspectZip(file: string, opts: { check?: (notes: NamedNote[]) => void } = {}): Promise<PackResult> {
  const abs = path.resolve(file);
  const st = fs.statSync(abs, { throwIfNoEntry: false });
  if (!st) throw new UsageError(`${abs} does not exist`, { hint: "check the path to the .zip" });
  if (!st.isFile() || st.size < END_SIZE) throw notZip(abs);

  const fh = await fs.promises.open(abs, "r");
  let fileCount = 0;
  let uncompressedBytes = 0;
  const top = new Set<string>();
  const second = new Set<string>();
  let sha256: string;
  try {
    const dir = await findDirectory(fh, st.size, abs);
    const cd = await readAt(fh, dir.offset, dir.size);
    const entries: CentralEntry[] = [];
    let p = 0;
    for (let i = 0; i < dir.count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw notZip(abs);
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const rawName = cd.subarray(p + 46, p + 46 + nameLength);
      const name = rawName.toString("utf8");
      // Layers are extracted into /opt: a path that climbs out of it (zip slip) or is absolute
      // would write elsewhere, or fail to extract, on the cloud's side.
      if (name.startsWith("/") || name.includes("\\") || /^[A-Za-z]:/.test(name) || name.split("/").includes("..")) {
        throw new UsageError(`${abs} holds an unsafe path "${name}"`, { code: "UnsafeZipPath", hint: "rebuild the zip with relative paths inside it (layerctl pack does)" });
      }
      const extra = cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
      const sizes = zip64Fields(extra, { size: cd.readUInt32LE(p + 24), compressedSize: cd.readUInt32LE(p + 20), localOffset: cd.readUInt32LE(p + 42) });
      entries.push({ rawName, name, extra, flags: cd.readUInt16LE(p + 8), method: cd.readUInt16LE(p + 10), crc: cd.readUInt32LE(p + 16), ...sizes });
      if (!name.endsWith("/")) {
        fileCount++;
        uncompressedBytes += sizes.size;
      }
      const segments = name.split("/").filter((s) => s !== "");
      if (segments[0]) top.add(segments[0]);
      if (segments.length > 1) second.add(`${segments[0]}/${segments[1]}`);
      p += 46 + nameLength + extraLength + cd.readUInt16LE(p + 32);
    }
    const notes: NamedNote[] = [];
    await verifyEntries(fh, st.size, entries, abs, opts.check ? (name, note) => notes.push({ name, note }) : undefined);
    // Entries were read in file order; the check reads them in name order, as pack gives them.
    opts.check?.(notes.sort((a, b) => compareUtf8(a.name, b.name)));
    sha256 = await hashFile(fh);
  } finally {
    await fh.close();
  }

  return {
    archive: { path: abs, fileCount, uncompressedBytes, zipBytes: st.size, sha256 },
    topLevel: [...top].sort(compareUtf8),
    secondLevel: [...second].sort(compareUtf8),
  };
}

/**
 * SHA-256 of the whole file, read through one buffer: a 40 MB zip read in fresh 1 MiB chunks left
 * them for the collector, and the memory they took stayed with the process under the upload
 * bodies built next.
 */
async function hashFile(fh: fs.promises.FileHandle): Promise<string> {
  const hash = createHash("sha256");
  const buf = Buffer.allocUnsafe(1024 * 1024);
  for (let at = 0; ; ) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, at);
    if (bytesRead === 0) return hash.digest("hex");
    hash.update(buf.subarray(0, bytesRead));
    at += bytesRead;
  }
}

type EntrySizes = { size: number; compressedSize: number; localOffset: number };

/** Fields saturated at 0xffffffff are in the zip64 extra field, in this order (APPNOTE 4.5.3). */
function zip64Fields(extra: Buffer, fields: EntrySizes): EntrySizes {
  const out = { ...fields };
  for (let q = 0; q + 4 <= extra.length; q += 4 + extra.readUInt16LE(q + 2)) {
    if (extra.readUInt16LE(q) !== 0x0001) continue;
    let at = q + 4;
    const end = at + extra.readUInt16LE(q + 2);
    for (const key of ["size", "compressedSize", "localOffset"] as const) {
      if (out[key] !== MAX_32 || at + 8 > end || at + 8 > extra.length) continue;
      out[key] = Number(extra.readBigUInt64LE(at));
      at += 8;
    }
  }
  return out;
}
