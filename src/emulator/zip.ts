// What the three emulated clouds need of inline code: strict base64, and just enough of the zip
// format to reject what they reject (not a zip, empty archives, too much unzipped data) and to
// build the tiny code zip of seeded functions. Each cloud turns a failed check into its own error.
// src/archive/crc32.ts: node:zlib has crc32 only from Node 20.15, and engines says >=20.
import { crc32 } from "../archive/crc32.js";

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const EOCD_SIZE = 22;

/**
 * Decoded bytes, or null when the text is not padded, canonical base64 (what the clouds' decoders
 * refuse): only A-Z a-z 0-9 + /, at most two "=" at the end, a length that is a multiple of 4.
 * Node's decoder reads a character above U+00FF as its low byte ("QUJ\u0144" decodes as "ABC"),
 * so text that is not all ASCII (a JSON escape such as \u0144 can put such a character into a
 * member) is refused first, in one native pass.
 */
export function decodeBase64Strict(text: string): Buffer | null {
  if (Buffer.byteLength(text, "utf8") !== text.length) return null;
  return decodeLatin1Base64Strict(text);
}

/**
 * decodeBase64Strict for text that holds no character above U+00FF (bytes read as latin1).
 * Checked without a regular expression over the whole text (4 s of a 53 MB upload went there),
 * and in three passes over it: Node's decoder skips characters outside the alphabet (U+0080 to
 * U+00FF too) and stops at an "=" (Node 20 and later; test/emulator/zip.test.ts pins both), so a
 * decoded length short of what the text's length and padding promise means there was one of
 * those; it also takes the URL-safe "-" and "_" as "+" and "/", which are looked for on their own.
 */
export function decodeLatin1Base64Strict(text: string): Buffer | null {
  if (text.length % 4 !== 0) return null;
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const bytes = Buffer.from(text, "base64");
  if (bytes.length !== (text.length / 4) * 3 - pad || text.includes("-") || text.includes("_")) return null;
  return bytes;
}

export type ZipCheck = { ok: true; entries: number; uncompressedSize: number } | { ok: false; reason: "not-zip" | "empty" };

export function checkZip(buf: Buffer): ZipCheck {
  if (buf.length < EOCD_SIZE) return { ok: false, reason: "not-zip" };
  const magic = buf.readUInt32LE(0);
  if (magic !== LOCAL_SIG && magic !== EOCD_SIG) return { ok: false, reason: "not-zip" };
  const eocd = findEocd(buf);
  if (eocd < 0) return { ok: false, reason: "not-zip" };
  const entries = buf.readUInt16LE(eocd + 10);
  if (entries === 0) return { ok: false, reason: "empty" };
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  // Zip64 archives keep the real numbers elsewhere; accept them without summing sizes.
  if (cdOffset === 0xffffffff || entries === 0xffff) return { ok: true, entries, uncompressedSize: 0 };
  if (cdOffset + cdSize > eocd) return { ok: false, reason: "not-zip" };
  let p = cdOffset;
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== CENTRAL_SIG) return { ok: false, reason: "not-zip" };
    total += buf.readUInt32LE(p + 24);
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return { ok: true, entries, uncompressedSize: total };
}

/** A well-formed zip, empty or not. */
export function isZip(buf: Buffer): boolean {
  const check = checkZip(buf);
  return check.ok || check.reason === "empty";
}

// The end-of-central-directory record sits at the end, followed only by its comment.
function findEocd(buf: Buffer): number {
  const last = buf.length - EOCD_SIZE;
  const first = Math.max(0, last - 0xffff);
  for (let i = last; i >= first; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG && i + EOCD_SIZE + buf.readUInt16LE(i + 20) === buf.length) return i;
  }
  return -1;
}

const DOS_TIME = 0;
const DOS_DATE = 0x21; // 1980-01-01, the earliest DOS date

/**
 * The run of fields a local header (from offset 4) and its central directory entry (from offset 6)
 * have in common, in the same order: version needed, flags (UTF-8 names), method (stored), DOS
 * time and date, CRC-32, compressed and uncompressed size, name length.
 */
function writeCommonFields(header: Buffer, at: number, crc: number, size: number, nameLength: number): void {
  header.writeUInt16LE(20, at);
  header.writeUInt16LE(0x0800, at + 2);
  header.writeUInt16LE(0, at + 4);
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(crc, at + 10);
  header.writeUInt32LE(size, at + 14);
  header.writeUInt32LE(size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
}

/** A stored (uncompressed) zip with fixed timestamps: same input, same bytes. */
export function buildZip(files: Array<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, "utf8");
    const crc = crc32(f.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIG, 0);
    writeCommonFields(local, 4, crc, f.data.length, name.length);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_SIG, 0);
    central.writeUInt16LE(0x031e, 4);
    writeCommonFields(central, 6, crc, f.data.length, name.length);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, f.data);
    centrals.push(central, name);
    offset += local.length + name.length + f.data.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(EOCD_SIZE);
  eocd.writeUInt32LE(EOCD_SIG, 0);
  eocd.writeUInt16LE(files.length, 8);
  eocd.writeUInt16LE(files.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}
