// ELF headers, read the way the dynamic loader would judge a file: the machine (e_machine), the C
// library it is linked against (PT_INTERP, DT_NEEDED) and the highest symbol versions it needs
// from glibc and libstdc++ (.gnu.version_r). Only the tables are read (header, program and
// section headers, the version-needs section and the strings it names), never the code.
// Layouts: the System V ABI and its gABI update ("ELF header", "Program header", "Sections",
// "Dynamic section"); the GNU symbol versioning extension (Verneed/Vernaux, LSB Core spec).
import type { ByteSource } from "./byte-source.js";
import { nodeAddonNeeds } from "./node-api.js";
import type { ElfFacts, Machine } from "./types.js";

const EM: Readonly<Record<number, Machine>> = { 62: "x86_64", 183: "arm64", 3: "x86", 40: "arm" };

const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const SHT_DYNSYM = 11;
const SHT_DYNAMIC = 6;
const SHT_GNU_VERNEED = 0x6ffffffe;
const DT_NEEDED = 1;
/** Tables larger than this are not read (no real loader table comes near it). */
const MAX_TABLE = 16 * 1024 * 1024;
const MAX_STRING = 512;

export function isElf(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
}

/** Reads numbers of the file's class and byte order. */
class View {
  constructor(
    private readonly src: ByteSource,
    readonly is64: boolean,
    private readonly le: boolean,
  ) {}

  bytes(offset: number, length: number): Uint8Array {
    if (length > MAX_TABLE) throw new Malformed();
    const b = this.src.read(offset, length);
    if (b.length < length) throw new Malformed();
    return b;
  }

  dv(offset: number, length: number): DataView {
    const b = this.bytes(offset, length);
    return new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  u16(d: DataView, at: number): number {
    return d.getUint16(at, this.le);
  }
  u32(d: DataView, at: number): number {
    return d.getUint32(at, this.le);
  }
  /** An address-sized field (8 bytes in ELF64); offsets past 2^53 are malformed for our purposes. */
  addr(d: DataView, at: number): number {
    if (!this.is64) return d.getUint32(at, this.le);
    const v = d.getBigUint64(at, this.le);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Malformed();
    return Number(v);
  }

  cstring(offset: number): string {
    const b = this.src.read(offset, MAX_STRING);
    const end = b.indexOf(0);
    return Buffer.from(b.buffer, b.byteOffset, end < 0 ? b.length : end).toString("latin1");
  }
}

class Malformed extends Error {}

interface Section {
  type: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
}

/** `name` decides whether symbols are read (Node addons only: `.node`). */
export function readElf(src: ByteSource, name: string): ElfFacts | null {
  const ident = src.read(0, 16);
  if (!isElf(ident) || (ident[4] !== 1 && ident[4] !== 2) || (ident[5] !== 1 && ident[5] !== 2)) return null;
  const v = new View(src, ident[4] === 2, ident[5] === 1);
  const hdr = v.dv(0, v.is64 ? 64 : 52);
  const machineCode = v.u16(hdr, 18);
  const facts: ElfFacts = { format: "elf", machine: EM[machineCode] ?? "other", machineCode, bits: v.is64 ? 64 : 32, libc: "unknown" };
  try {
    readTables(v, hdr, facts, name.endsWith(".node"));
  } catch (err) {
    // Only a table we could not read is tolerated: the header's facts stand, marked partial.
    if (!(err instanceof Malformed)) throw err;
    facts.partial = true;
  }
  return facts;
}

function readTables(v: View, hdr: DataView, facts: ElfFacts, symbols: boolean): void {
  const phoff = v.addr(hdr, v.is64 ? 32 : 28);
  const shoff = v.addr(hdr, v.is64 ? 40 : 32);
  const phentsize = v.u16(hdr, v.is64 ? 54 : 42);
  const phnum = v.u16(hdr, v.is64 ? 56 : 44);
  const shentsize = v.u16(hdr, v.is64 ? 58 : 46);
  let shnum = v.u16(hdr, v.is64 ? 60 : 48);

  let interp: string | undefined;
  let dynamicSegment = false;
  if (phoff && phnum && phentsize >= (v.is64 ? 56 : 32)) {
    const ph = v.dv(phoff, phnum * phentsize);
    for (let i = 0; i < phnum; i++) {
      const at = i * phentsize;
      const type = v.u32(ph, at);
      if (type === PT_DYNAMIC) dynamicSegment = true;
      if (type === PT_INTERP) interp = v.cstring(v.addr(ph, at + (v.is64 ? 8 : 4)));
    }
  }

  const sections: Section[] = [];
  if (shoff && shentsize >= (v.is64 ? 64 : 40)) {
    // More than 0xff00 sections: the count is in the first section header's sh_size.
    if (shnum === 0) shnum = v.addr(v.dv(shoff, shentsize), v.is64 ? 32 : 20);
    const sh = v.dv(shoff, shnum * shentsize);
    for (let i = 0; i < shnum; i++) {
      const at = i * shentsize;
      sections.push({
        type: v.u32(sh, at + 4),
        offset: v.addr(sh, at + (v.is64 ? 24 : 16)),
        size: v.addr(sh, at + (v.is64 ? 32 : 20)),
        link: v.u32(sh, at + (v.is64 ? 40 : 24)),
        info: v.u32(sh, at + (v.is64 ? 44 : 28)),
        entsize: v.addr(sh, at + (v.is64 ? 56 : 36)),
      });
    }
  }
  const strtabOf = (s: Section) => sections[s.link];

  const needed: string[] = [];
  const dynamic = sections.find((s) => s.type === SHT_DYNAMIC);
  const dynstr = dynamic && strtabOf(dynamic);
  if (dynamic && dynstr) {
    const step = v.is64 ? 16 : 8;
    const d = v.dv(dynamic.offset, dynamic.size - (dynamic.size % step));
    for (let at = 0; at + step <= d.byteLength; at += step) {
      const tag = v.addr(d, at);
      if (tag === 0) break;
      if (tag === DT_NEEDED) needed.push(v.cstring(dynstr.offset + v.addr(d, at + step / 2)));
    }
  }

  const verneed = sections.find((s) => s.type === SHT_GNU_VERNEED);
  const verstr = verneed && strtabOf(verneed);
  if (verneed && verstr) {
    let at = verneed.offset;
    for (let i = 0; i < Math.max(verneed.info, 1) && i < 4096; i++) {
      const vn = v.dv(at, 16);
      const count = v.u16(vn, 2);
      let aux = at + v.u32(vn, 8);
      for (let j = 0; j < count && j < 4096; j++) {
        const va = v.dv(aux, 16);
        noteVersion(facts, v.cstring(verstr.offset + v.u32(va, 8)));
        const next = v.u32(va, 12);
        if (next === 0) break;
        aux += next;
      }
      const next = v.u32(vn, 12);
      if (next === 0) break;
      at += next;
    }
  }

  const musl = interp?.includes("ld-musl") === true || needed.some((n) => n.startsWith("libc.musl-"));
  const glibc = (interp !== undefined && /ld-linux|ld64\.so/.test(interp)) || needed.includes("libc.so.6") || facts.glibc !== undefined;
  if (musl) facts.libc = "musl";
  else if (glibc) facts.libc = "glibc";
  else if (!dynamicSegment && interp === undefined) facts.libc = "none";

  if (symbols) {
    const dynsym = sections.find((s) => s.type === SHT_DYNSYM);
    const symstr = dynsym && strtabOf(dynsym);
    if (dynsym && symstr) Object.assign(facts, readAddonSymbols(v, dynsym, symstr));
  }
}

function readAddonSymbols(v: View, dynsym: Section, strtab: Section): { nodeModuleVersion?: number; napi?: number } {
  const entsize = dynsym.entsize || (v.is64 ? 24 : 16);
  const table = v.dv(dynsym.offset, dynsym.size - (dynsym.size % entsize));
  const strings = v.bytes(strtab.offset, strtab.size);
  const nameAt = (off: number) => {
    const end = strings.indexOf(0, off);
    return Buffer.from(strings.buffer, strings.byteOffset + off, (end < 0 ? strings.length : end) - off).toString("latin1");
  };
  const defined: string[] = [];
  const imported: string[] = [];
  for (let at = 0; at + entsize <= table.byteLength; at += entsize) {
    const nameOff = v.u32(table, at);
    if (nameOff === 0 || nameOff >= strings.length) continue;
    const shndx = v.u16(table, at + (v.is64 ? 6 : 14));
    const name = nameAt(nameOff);
    // Only the names that matter are kept: a big addon has thousands of symbols.
    if (!/^(napi_|node_api_|node_register_module_v)/.test(name)) continue;
    (shndx === 0 ? imported : defined).push(name);
  }
  return nodeAddonNeeds(defined, imported);
}

/** Keeps the highest GLIBC_, GLIBCXX_ and CXXABI_ version seen. */
function noteVersion(facts: ElfFacts, name: string): void {
  const m = /^(GLIBC|GLIBCXX|CXXABI)_(\d+(?:\.\d+)*)$/.exec(name);
  if (!m) return;
  const key = m[1] === "GLIBC" ? "glibc" : m[1] === "GLIBCXX" ? "glibcxx" : "cxxabi";
  const current = facts[key];
  if (current === undefined || compareVersions(m[2]!, current) > 0) facts[key] = m[2]!;
}

/** Dotted version order: "2.28" > "2.3"; "3.4.29" > "3.4.9". */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
