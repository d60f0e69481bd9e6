// What adapters need of a LayerArchive: the size of an inline upload's body, and the zip's CRC-64
// (Aliyun's checksum), computed once per zip from memory or streamed from its file.
import { createReadStream } from "node:fs";
import { Crc64 } from "../archive/crc64.js";
import type { LayerArchive } from "./types.js";

/**
 * Bytes a publish call sends: the zip as base64 in a JSON body when it goes inline (a third more
 * than the zip), nearly none when the cloud reads it from object storage. Scales the call's
 * attempt timeout and counts against the run's upload budget.
 */
export function publishBodyBytes(archive: LayerArchive, staged: boolean): number {
  return staged ? 0 : Math.ceil((archive.size * 4) / 3);
}

/**
 * CRC-64s already known, by the SHA-256 of the zip they belong to (one SHA-256, one zip, one
 * CRC-64): every Aliyun target of a run, and a copy's publish after its download computed it,
 * ask for it again. A few dozen bytes per zip, for the life of the process.
 */
const knownCrc64 = new Map<string, Promise<string>>();

/** A CRC-64 computed elsewhere (a download's single pass) for the zip whose SHA-256 is `sha256`. */
export function rememberCrc64(sha256: string, crc64: string): void {
  knownCrc64.set(sha256.toLowerCase(), Promise.resolve(crc64));
}

/** CRC-64/XZ (decimal) of the archive, from memory or streamed from its file; once per zip. */
export function archiveCrc64(archive: LayerArchive): Promise<string> {
  // Without a SHA-256 (a test's archive) there is nothing to know the zip by: compute it.
  if (!archive.sha256) return computeCrc64(archive);
  const key = archive.sha256.toLowerCase();
  let crc = knownCrc64.get(key);
  if (!crc) {
    crc = computeCrc64(archive);
    knownCrc64.set(key, crc);
    crc.catch(() => knownCrc64.get(key) === crc && knownCrc64.delete(key));
  }
  return crc;
}

async function computeCrc64(archive: LayerArchive): Promise<string> {
  const crc = new Crc64();
  if (archive.bytes) return crc.update(archive.bytes).decimal();
  if (!archive.path) throw new Error("internal: an archive with neither bytes nor a path");
  for await (const chunk of createReadStream(archive.path, { highWaterMark: 1 << 20 })) crc.update(chunk as Buffer);
  return crc.decimal();
}
