// PE/COFF files (Windows executables and DLLs, and .NET assemblies). Layout: Microsoft's "PE
// Format" page: the MZ stub's e_lfanew at 0x3c points at "PE\0\0", then the COFF header (Machine
// first), then the optional header whose 15th data directory is the CLR runtime header, present
// only in .NET assemblies.
import type { ByteSource } from "./byte-source.js";
import type { Machine } from "./types.js";

/** IMAGE_FILE_MACHINE_AMD64 (0x8664), _ARM64 (0xaa64), _I386 (0x14c), _ARMNT (0x1c4), _ARM (0x1c0). */
const MACHINES: ReadonlyMap<number, Machine> = new Map([
  [0x8664, "x86_64"],
  [0xaa64, "arm64"],
  [0x14c, "x86"],
  [0x1c4, "arm"],
  [0x1c0, "arm"],
]);
const CLR_DIRECTORY = 14;

export function isMzStub(head: Uint8Array): boolean {
  return head.length >= 64 && head[0] === 0x4d && head[1] === 0x5a;
}

/** null: an MZ start without a PE header behind it (a DOS program, or a text file that starts with "MZ"). */
export function readPe(src: ByteSource): { machine: Machine; managed: boolean } | null {
  const stub = src.read(0, 64);
  if (stub.length < 64) return null;
  const lfanew = new DataView(stub.buffer, stub.byteOffset, 64).getUint32(0x3c, true);
  if (lfanew < 64 || lfanew > src.size - 24) return null;
  const hdr = src.read(lfanew, 24 + 240);
  if (hdr.length < 24 || hdr[0] !== 0x50 || hdr[1] !== 0x45 || hdr[2] !== 0 || hdr[3] !== 0) return null;
  const d = new DataView(hdr.buffer, hdr.byteOffset, hdr.byteLength);
  const machine = MACHINES.get(d.getUint16(4, true)) ?? "other";
  const optionalSize = d.getUint16(20, true);
  let managed = false;
  const opt = 24;
  if (optionalSize >= 2 && hdr.length >= opt + 2) {
    const pe32plus = d.getUint16(opt, true) === 0x20b;
    const countAt = opt + (pe32plus ? 108 : 92);
    const dirsAt = opt + (pe32plus ? 112 : 96);
    const dirAt = dirsAt + CLR_DIRECTORY * 8;
    if (hdr.length >= dirAt + 8 && countAt + 4 <= hdr.length && d.getUint32(countAt, true) > CLR_DIRECTORY) managed = d.getUint32(dirAt + 4, true) > 0;
  }
  return { machine, managed };
}
