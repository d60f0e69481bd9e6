// The one entry point the packer calls per file: a few byte compares decide whether a file is
// worth a look (an executable format's magic, or a wheel's metadata), and only those are read
// further. Runs inside the deflate workers on bytes they have already read.
import type { ByteSource } from "./byte-source.js";
import { isElf, readElf } from "./elf.js";
import { isMachO, readMachO } from "./macho.js";
import { isMzStub, readPe } from "./pe.js";
import type { ContentNote } from "./types.js";

/** How much of a file's start the cheap test needs (the PE stub is the longest). */
export const HEAD_BYTES = 64;

const WHEEL = /\.dist-info\/WHEEL$/;
const MAX_WHEEL = 16 * 1024;

/** Cheap: first bytes and the name only. */
export function worthALook(name: string, head: Uint8Array): boolean {
  const b = head[0];
  if (b === 0x7f || b === 0xfe || b === 0xce || b === 0xcf || b === 0xca || b === 0x4d) return isElf(head) || isMachO(head) || isMzStub(head);
  return name.endsWith("/WHEEL") && WHEEL.test(name);
}

/** What the file is, read from `src` (its whole content, or a way to read at offsets); null: nothing of interest. */
export function noteFor(name: string, src: ByteSource): ContentNote | null {
  const head = src.read(0, HEAD_BYTES);
  if (isElf(head)) {
    const facts = readElf(src, name);
    return facts && { kind: "binary", facts };
  }
  if (isMachO(head)) return { kind: "binary", facts: { format: "macho", machines: readMachO(src) } };
  if (isMzStub(head)) {
    const pe = readPe(src);
    return pe && { kind: "binary", facts: { format: "pe", ...pe } };
  }
  if (WHEEL.test(name)) {
    const text = Buffer.from(src.read(0, MAX_WHEEL)).toString("utf8");
    const tags = [...text.matchAll(/^Tag:\s*(\S+)\s*$/gm)].map((m) => m[1]!);
    return tags.length > 0 ? { kind: "wheel", tags } : null;
  }
  return null;
}
