// Mach-O (macOS, iOS) files: thin 32/64-bit images in either byte order, and universal ("fat")
// files holding several. Apple's <mach-o/loader.h> and <mach-o/fat.h> give the magic numbers and
// the cputype field that follows them.
import type { ByteSource } from "./byte-source.js";
import type { Machine } from "./types.js";

const THIN = new Set([0xfeedface, 0xfeedfacf]);
const THIN_SWAPPED = new Set([0xcefaedfe, 0xcffaedfe]);
const FAT = new Set([0xcafebabe, 0xcafebabf]);
const CPU_ARCH_ABI64 = 0x01000000;

function machineOf(cputype: number): Machine {
  const base = cputype & ~CPU_ARCH_ABI64;
  if (base === 7) return cputype & CPU_ARCH_ABI64 ? "x86_64" : "x86";
  if (base === 12) return cputype & CPU_ARCH_ABI64 ? "arm64" : "arm";
  return "other";
}

/**
 * Whether the head is a Mach-O image. 0xcafebabe is also a Java class file's magic: there the next
 * word is the class version (45 and up), where a universal binary has its count of images (a
 * handful), the test `file(1)` uses.
 */
export function isMachO(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  const d = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = d.getUint32(0, false);
  if (THIN.has(magic) || THIN_SWAPPED.has(magic)) return true;
  return FAT.has(magic) && d.getUint32(4, false) > 0 && d.getUint32(4, false) < 20;
}

export function readMachO(src: ByteSource): Machine[] {
  const head = src.read(0, 8);
  const d = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = d.getUint32(0, false);
  if (THIN.has(magic)) return [machineOf(d.getUint32(4, false))];
  if (THIN_SWAPPED.has(magic)) return [machineOf(d.getUint32(4, true))];
  // Universal: fat_arch entries of 20 bytes (32-bit) or 32 bytes (fat_arch_64), big-endian.
  const count = d.getUint32(4, false);
  const size = magic === 0xcafebabf ? 32 : 20;
  const table = src.read(8, count * size);
  const t = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const out: Machine[] = [];
  for (let i = 0; i + 1 <= count && (i + 1) * size <= table.length; i++) out.push(machineOf(t.getUint32(i * size, false)));
  return [...new Set(out)];
}
