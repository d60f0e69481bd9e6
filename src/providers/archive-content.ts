// What adapters need of a LayerArchive: the bytes for an inline upload, and checksums computed
// from the file when the zip is not held in memory (a staged publish streams it from disk).
import { createReadStream } from "node:fs";
import { Crc64 } from "../archive/crc64.js";
import type { LayerArchive } from "./types.js";

/** The zip for an inline upload. publish reads it whenever some target goes inline. */
export function inlineBytes(archive: LayerArchive): Buffer {
  if (!archive.bytes) throw new Error("internal: an inline upload was asked for an archive that was not read into memory");
  return archive.bytes;
}

/**
 * Bytes a publish call sends: the zip as base64 in a JSON body when it goes inline (a third more
 * than the zip), nearly none when the cloud reads it from object storage. Scales the call's
 * attempt timeout and counts against the run's upload budget.
 */
export function publishBodyBytes(archive: LayerArchive, staged: boolean): number {
  return staged ? 0 : Math.ceil((archive.size * 4) / 3);
}

/** CRC-64/XZ (decimal) of the archive, from memory or streamed from its file. */
export async function archiveCrc64(archive: LayerArchive): Promise<string> {
  const crc = new Crc64();
  if (archive.bytes) return crc.update(archive.bytes).decimal();
  if (!archive.path) throw new Error("internal: an archive with neither bytes nor a path");
  for await (const chunk of createReadStream(archive.path, { highWaterMark: 1 << 20 })) crc.update(chunk as Buffer);
  return crc.decimal();
}
