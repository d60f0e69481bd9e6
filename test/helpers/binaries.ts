// Executables written by the tests: small but well-formed ELF files (header, program headers, a
// dynamic section, .dynsym, .dynstr and .gnu.version_r, as a linker lays them out), Mach-O and PE
// headers. Enough for a reader (ours, readelf, file) to say what each is built for and needs.
// Layouts: the System V gABI (ELF64 and ELF32), the LSB's symbol versioning, Apple's loader.h /
// fat.h, Microsoft's PE format page.

export type ElfMachine = "x86_64" | "arm64" | "x86" | "arm" | number;

export interface ElfSpec {
  machine: ElfMachine;
  /** Default 64 (32 for x86 and arm). */
  bits?: 32 | 64;
  /** PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2 or /lib/ld-musl-x86_64.so.1. */
  interp?: string;
  /** DT_NEEDED entries. */
  needed?: string[];
  /** Version needs per library: {"libc.so.6": ["GLIBC_2.17", "GLIBC_2.28"]}. */
  versions?: Record<string, string[]>;
  /** Defined dynamic symbols (e.g. napi_register_module_v1). */
  exports?: string[];
  /** Undefined dynamic symbols (e.g. napi_create_function). */
  imports?: string[];
  /** Bytes of padding between the tables and the section headers (a large library's code). */
  padding?: number;
  /** Put the tables after the padding instead of before it (a string table mid-file). */
  tablesLast?: boolean;
}

const MACHINE_CODES: Record<string, number> = { x86_64: 62, arm64: 183, x86: 3, arm: 40 };

/** A glibc-linked shared object needing the given GLIBC_ version at most. */
export function glibcElf(machine: ElfMachine, glibc = "2.17", extra: Partial<ElfSpec> = {}): Buffer {
  const versions = ["2.2.5", glibc].filter((v, i, a) => a.indexOf(v) === i).map((v) => `GLIBC_${v}`);
  return elf({ machine, needed: ["libc.so.6"], versions: { "libc.so.6": versions }, ...extra });
}

export function elf(spec: ElfSpec): Buffer {
  const machine = typeof spec.machine === "number" ? spec.machine : MACHINE_CODES[spec.machine]!;
  const is64 = (spec.bits ?? (spec.machine === "x86" || spec.machine === "arm" ? 32 : 64)) === 64;
  const W = is64 ? 8 : 4;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const shentsize = is64 ? 64 : 40;
  const symsize = is64 ? 24 : 16;

  // String table.
  let strtab = Buffer.from([0]);
  const str = (s: string) => {
    const at = strtab.indexOf(Buffer.from(`${s}\0`));
    if (at > 0 && strtab[at - 1] === 0) return at;
    const off = strtab.length;
    strtab = Buffer.concat([strtab, Buffer.from(`${s}\0`)]);
    return off;
  };
  const needed = (spec.needed ?? []).map(str);
  const versionLibs = Object.entries(spec.versions ?? {}).map(([lib, names]) => ({ lib: str(lib), names: names.map((n) => ({ n, off: str(n) })) }));
  const syms = [...(spec.exports ?? []).map((n) => ({ name: str(n), defined: true })), ...(spec.imports ?? []).map((n) => ({ name: str(n), defined: false }))];

  // .dynsym
  const dynsym = Buffer.alloc(symsize * (syms.length + 1));
  syms.forEach((s, i) => {
    const at = symsize * (i + 1);
    dynsym.writeUInt32LE(s.name, at);
    if (is64) {
      dynsym[at + 4] = 0x12; // STB_GLOBAL, STT_FUNC
      dynsym.writeUInt16LE(s.defined ? 0xfff1 : 0, at + 6);
    } else {
      dynsym[at + 12] = 0x12;
      dynsym.writeUInt16LE(s.defined ? 0xfff1 : 0, at + 14);
    }
  });

  // .gnu.version_r: a Verneed per library, its Vernaux entries right after it.
  const verneed = Buffer.alloc(versionLibs.reduce((n, l) => n + 16 + 16 * l.names.length, 0));
  let vp = 0;
  let other = 2;
  versionLibs.forEach((l, i) => {
    const size = 16 + 16 * l.names.length;
    verneed.writeUInt16LE(1, vp);
    verneed.writeUInt16LE(l.names.length, vp + 2);
    verneed.writeUInt32LE(l.lib, vp + 4);
    verneed.writeUInt32LE(16, vp + 8);
    verneed.writeUInt32LE(i === versionLibs.length - 1 ? 0 : size, vp + 12);
    l.names.forEach((v, j) => {
      const a = vp + 16 + 16 * j;
      verneed.writeUInt32LE(elfHash(v.n), a);
      verneed.writeUInt16LE(other++, a + 6);
      verneed.writeUInt32LE(v.off, a + 8);
      verneed.writeUInt32LE(j === l.names.length - 1 ? 0 : 16, a + 12);
    });
    vp += size;
  });

  // .dynamic: DT_NEEDED..., then the tables' addresses (addresses equal file offsets here), DT_NULL.
  // Filled in once the tables are placed.
  const dynEntries = needed.length + 7;
  const dynamic = Buffer.alloc(2 * W * dynEntries);
  const interp = spec.interp === undefined ? undefined : Buffer.from(`${spec.interp}\0`);
  const shstrtab = Buffer.from("\0.interp\0.dynstr\0.dynsym\0.gnu.version_r\0.dynamic\0.shstrtab\0");
  const shname = (n: string) => shstrtab.indexOf(Buffer.from(`${n}\0`));

  const phnum = (interp ? 1 : 0) + 1;
  const padding = Buffer.alloc(spec.padding ?? 0, 0x90);
  let at = ehsize + phnum * phentsize;
  const place = (b: Buffer) => {
    const off = at;
    at += b.length;
    return off;
  };
  const parts: Buffer[] = [];
  const tables = [interp, strtab, dynsym, verneed, dynamic, shstrtab];
  if (spec.tablesLast) {
    parts.push(padding);
    place(padding);
  }
  const offsets = tables.map((t) => (t ? place(t) : 0));
  for (const t of tables) if (t) parts.push(t);
  if (!spec.tablesLast) {
    parts.push(padding);
    place(padding);
  }
  const [interpAt, strAt, symAt, verAt, dynAt, shstrAt] = offsets as [number, number, number, number, number, number];
  const shoff = at;
  const dyn: Array<[number, number]> = [
    ...needed.map((off): [number, number] => [1, off]), // DT_NEEDED
    [5, strAt], // DT_STRTAB
    [10, strtab.length], // DT_STRSZ
    [6, symAt], // DT_SYMTAB
    [11, symsize], // DT_SYMENT
    [0x6ffffffe, verAt], // DT_VERNEED
    [0x6fffffff, versionLibs.length], // DT_VERNEEDNUM
  ];
  dyn.forEach(([tag, value], i) => {
    writeWord(dynamic, 2 * W * i, tag, is64);
    writeWord(dynamic, 2 * W * i + W, value, is64);
  });

  const header = Buffer.alloc(ehsize);
  header.write("\x7fELF", 0, "latin1");
  header[4] = is64 ? 2 : 1;
  header[5] = 1; // little-endian
  header[6] = 1;
  header.writeUInt16LE(3, 16); // ET_DYN
  header.writeUInt16LE(machine, 18);
  header.writeUInt32LE(1, 20);
  writeWord(header, is64 ? 32 : 28, ehsize, is64); // e_phoff
  writeWord(header, is64 ? 40 : 32, shoff, is64); // e_shoff
  header.writeUInt16LE(ehsize, is64 ? 52 : 40);
  header.writeUInt16LE(phentsize, is64 ? 54 : 42);
  header.writeUInt16LE(phnum, is64 ? 56 : 44);
  header.writeUInt16LE(shentsize, is64 ? 58 : 46);
  const sections = [
    { name: 0, type: 0, off: 0, size: 0, link: 0, info: 0, entsize: 0 },
    ...(interp ? [{ name: shname(".interp"), type: 1, off: interpAt, size: interp.length, link: 0, info: 0, entsize: 0 }] : []),
    { name: shname(".dynstr"), type: 3, off: strAt, size: strtab.length, link: 0, info: 0, entsize: 0 },
  ];
  const strIndex = sections.length - 1;
  sections.push({ name: shname(".dynsym"), type: 11, off: symAt, size: dynsym.length, link: strIndex, info: 1, entsize: symsize });
  sections.push({ name: shname(".gnu.version_r"), type: 0x6ffffffe, off: verAt, size: verneed.length, link: strIndex, info: versionLibs.length, entsize: 0 });
  sections.push({ name: shname(".dynamic"), type: 6, off: dynAt, size: dynamic.length, link: strIndex, info: 0, entsize: 2 * W });
  sections.push({ name: shname(".shstrtab"), type: 3, off: shstrAt, size: shstrtab.length, link: 0, info: 0, entsize: 0 });
  header.writeUInt16LE(sections.length, is64 ? 60 : 48);
  header.writeUInt16LE(sections.length - 1, is64 ? 62 : 50);

  const ph = Buffer.alloc(phnum * phentsize);
  let p = 0;
  const phdr = (type: number, off: number, size: number) => {
    ph.writeUInt32LE(type, p);
    if (is64) {
      ph.writeUInt32LE(4, p + 4);
      writeWord(ph, p + 8, off, true);
      writeWord(ph, p + 16, off, true);
      writeWord(ph, p + 24, off, true);
      writeWord(ph, p + 32, size, true);
      writeWord(ph, p + 40, size, true);
    } else {
      ph.writeUInt32LE(off, p + 4);
      ph.writeUInt32LE(off, p + 8);
      ph.writeUInt32LE(off, p + 12);
      ph.writeUInt32LE(size, p + 16);
      ph.writeUInt32LE(size, p + 20);
      ph.writeUInt32LE(4, p + 24);
    }
    p += phentsize;
  };
  if (interp) phdr(3, interpAt, interp.length);
  phdr(2, dynAt, dynamic.length);

  const sh = Buffer.alloc(sections.length * shentsize);
  sections.forEach((s, i) => {
    const q = i * shentsize;
    sh.writeUInt32LE(s.name, q);
    sh.writeUInt32LE(s.type, q + 4);
    // SHF_ALLOC for what the loader maps (everything but the section names).
    const flags = i > 0 && i < sections.length - 1 ? 2 : 0;
    if (is64) {
      writeWord(sh, q + 8, flags, true);
      writeWord(sh, q + 16, s.off, true);
      writeWord(sh, q + 24, s.off, true);
      writeWord(sh, q + 32, s.size, true);
      sh.writeUInt32LE(s.link, q + 40);
      sh.writeUInt32LE(s.info, q + 44);
      writeWord(sh, q + 56, s.entsize, true);
    } else {
      sh.writeUInt32LE(flags, q + 8);
      sh.writeUInt32LE(s.off, q + 12);
      sh.writeUInt32LE(s.off, q + 16);
      sh.writeUInt32LE(s.size, q + 20);
      sh.writeUInt32LE(s.link, q + 24);
      sh.writeUInt32LE(s.info, q + 28);
      sh.writeUInt32LE(s.entsize, q + 36);
    }
  });
  return Buffer.concat([header, ph, ...parts, sh]);
}

function writeWord(b: Buffer, at: number, v: number, is64: boolean): void {
  if (is64) b.writeBigUInt64LE(BigInt(v), at);
  else b.writeUInt32LE(v, at);
}

/** The SysV ELF hash (vna_hash). */
function elfHash(name: string): number {
  let h = 0;
  for (const c of Buffer.from(name)) {
    h = ((h << 4) + c) >>> 0;
    const g = h & 0xf0000000;
    if (g) h ^= g >>> 24;
    h &= ~g >>> 0;
  }
  return h >>> 0;
}

const MACHO_CPU: Record<string, number> = { x86_64: 0x01000007, arm64: 0x0100000c };

/** A Mach-O image: thin for one CPU, universal (fat) for several. */
export function machO(...machines: Array<"x86_64" | "arm64">): Buffer {
  if (machines.length === 1) {
    const b = Buffer.alloc(64);
    b.writeUInt32LE(0xfeedfacf, 0); // MH_MAGIC_64, as a little-endian Mac writes it
    b.writeUInt32LE(MACHO_CPU[machines[0]!]!, 4);
    b.writeUInt32LE(6, 12); // MH_DYLIB
    return b;
  }
  const b = Buffer.alloc(8 + 20 * machines.length + 64);
  b.writeUInt32BE(0xcafebabe, 0);
  b.writeUInt32BE(machines.length, 4);
  machines.forEach((m, i) => {
    b.writeUInt32BE(MACHO_CPU[m]!, 8 + 20 * i);
  });
  return b;
}

/** A Java class file: the same first four bytes as a universal Mach-O, then its version (Java 17 = 61). */
export function javaClass(): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32BE(0xcafebabe, 0);
  b.writeUInt16BE(0, 4);
  b.writeUInt16BE(61, 6);
  return b;
}

const PE_MACHINE: Record<string, number> = { x86_64: 0x8664, arm64: 0xaa64, x86: 0x14c };

/** A PE32+ image; `managed` gives it a CLR header (a .NET assembly). */
export function pe(machine: "x86_64" | "arm64" | "x86", opts: { managed?: boolean } = {}): Buffer {
  const lfanew = 128;
  const b = Buffer.alloc(lfanew + 24 + 240 + 64);
  b.write("MZ", 0, "latin1");
  b.writeUInt32LE(lfanew, 0x3c);
  b.write("PE\0\0", lfanew, "latin1");
  b.writeUInt16LE(PE_MACHINE[machine]!, lfanew + 4);
  b.writeUInt16LE(240, lfanew + 20); // SizeOfOptionalHeader
  const opt = lfanew + 24;
  b.writeUInt16LE(0x20b, opt); // PE32+
  b.writeUInt32LE(16, opt + 108); // NumberOfRvaAndSizes
  if (opts.managed) {
    b.writeUInt32LE(0x2008, opt + 112 + 14 * 8);
    b.writeUInt32LE(72, opt + 112 + 14 * 8 + 4);
  }
  return b;
}
