// A zip's base64, written slice by slice from its file (or its bytes, for an archive that lives only
// in memory), without holding the zip: into an inline upload's body (./inline-body.ts), or as the
// one string the Tencent SDK takes for ZipFile, encoded once per zip and shared by every target
// (twelve targets used to build twelve 53 MB strings for one 40 MB zip).
import { open } from "node:fs/promises";
import type { LayerArchive } from "./types.js";

/**
 * Bytes of base64 encoded per slice (a multiple of 3 keeps slices exact). Small, so each slice's
 * text is an ordinary young string that the next scavenge frees: Node makes texts of ~1 MB and
 * more external strings, which linger until a full collection (at 768 KiB slices a 40 MB zip left
 * 56 MB of them behind).
 */
const SLICE = 3 * 16 * 1024;
/** Bytes of the zip's file read at a time (a whole number of slices). */
const READ = 16 * SLICE;

/** Writes the zip's base64 into `out` from `at`; returns where it ends. */
export async function writeBase64(archive: LayerArchive, out: Buffer, at: number): Promise<number> {
  if (archive.bytes) {
    const bytes = archive.bytes;
    for (let i = 0; i < bytes.length; i += SLICE) at += out.write(bytes.subarray(i, i + SLICE).toString("base64"), at, "latin1");
    return at;
  }
  if (!archive.path) throw new Error("internal: an archive with neither bytes nor a path");
  const file = await open(archive.path, "r");
  try {
    const chunk = Buffer.allocUnsafe(READ);
    // The file is the zip that was checked and hashed: one of another size was changed meanwhile.
    const changed = (size: number) => new Error(`${archive.path} changed while it was being published (${size} bytes, ${archive.size} expected)`);
    for (let done = 0; done < archive.size; ) {
      // Whole chunks (multiples of 3) until the last: base64 padding only at the very end.
      const want = Math.min(READ, archive.size - done);
      for (let got = 0; got < want; ) {
        const { bytesRead } = await file.read(chunk, got, want - got, done + got);
        if (bytesRead === 0) throw changed(done + got);
        got += bytesRead;
      }
      for (let i = 0; i < want; i += SLICE) at += out.write(chunk.subarray(i, Math.min(i + SLICE, want)).toString("base64"), at, "latin1");
      done += want;
    }
    const { size } = await file.stat();
    if (size !== archive.size) throw changed(size);
    return at;
  } finally {
    await file.close();
  }
}

/**
 * Where some body already holds the zip's base64 (an inline body of another cloud), weakly: a
 * second body copies it from there instead of encoding the zip again (no slices of text for the
 * collector, a tenth of the CPU), and nothing is kept alive for it.
 */
const written = new WeakMap<LayerArchive, { ref: WeakRef<Buffer>; at: number }>();

/** `out` holds the zip's base64 from `at` on (a body just built). */
export function rememberBase64(archive: LayerArchive, out: Buffer, at: number): void {
  written.set(archive, { ref: new WeakRef(out), at });
}

/** The zip's base64 as some body already holds it, if one is still alive. */
function heldBase64(archive: LayerArchive): Buffer | undefined {
  const held = written.get(archive);
  const buf = held?.ref.deref();
  return held && buf ? buf.subarray(held.at, held.at + base64Length(archive)) : undefined;
}

/** Writes the zip's base64 into `out` from `at`, from a body that holds it already, or by encoding the zip; returns where it ends. */
export async function fillBase64(archive: LayerArchive, out: Buffer, at: number): Promise<number> {
  const text = peekBase64(archive);
  if (text !== undefined) return at + out.write(text, at, "latin1");
  const held = heldBase64(archive);
  if (held) return at + held.copy(out, at);
  return writeBase64(archive, out, at);
}

/** Characters of the zip's base64. */
export function base64Length(archive: LayerArchive): number {
  return Math.ceil(archive.size / 3) * 4;
}

const encoded = new WeakMap<LayerArchive, { text?: string; building: Promise<string> }>();

/** The zip's base64 as a string, encoded on first use and kept as long as the archive is. */
export function base64Text(archive: LayerArchive): Promise<string> {
  let entry = encoded.get(archive);
  if (!entry) {
    const made: { text?: string; building: Promise<string> } = { building: encode(archive) };
    made.building.then(
      (text) => (made.text = text),
      () => encoded.get(archive) === made && encoded.delete(archive),
    );
    encoded.set(archive, (entry = made));
  }
  return entry.building;
}

async function encode(archive: LayerArchive): Promise<string> {
  const held = heldBase64(archive);
  if (held) return held.toString("latin1");
  if (archive.bytes) return archive.bytes.toString("base64");
  const out = Buffer.allocUnsafeSlow(base64Length(archive));
  await writeBase64(archive, out, 0);
  return out.toString("latin1");
}

/** The zip's base64 if some target has built it already; never builds it. */
export function peekBase64(archive: LayerArchive): string | undefined {
  return encoded.get(archive)?.text;
}
