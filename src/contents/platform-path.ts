// What a file's path says about the platform it is for. Packages that ship several platforms'
// builds put each in a folder or file named for it (npm platform packages `@esbuild/linux-arm64`,
// prebuildify's `prebuilds/linux-x64/node.napi.musl.node`, Python's
// `x.cpython-311-aarch64-linux-gnu.so`, Debian's `lib/x86_64-linux-gnu/`), and their loaders pick
// the one for the machine they run on: such a file is checked only where it would be picked.
import type { Machine } from "./types.js";

export interface PathMarker {
  /** "linux", or the other OS the path names (darwin, win32, android...): a file for another OS is never loaded on Linux. */
  os?: string;
  arch?: Machine;
  libc?: "glibc" | "musl";
  /** The path with its architecture words replaced: builds of one thing for several architectures share it. */
  slot?: string;
}

const STRONG_ARCH: Readonly<Record<string, Machine>> = { x64: "x86_64", amd64: "x86_64", arm64: "arm64", aarch64: "arm64" };
const WEAK_ARCH: Readonly<Record<string, Machine>> = {
  ia32: "x86",
  x86: "x86",
  i386: "x86",
  i686: "x86",
  arm: "arm",
  armv6: "arm",
  armv6l: "arm",
  armv7: "arm",
  armv7l: "arm",
  armhf: "arm",
  armel: "arm",
  ppc64: "other",
  ppc64le: "other",
  s390x: "other",
  riscv64: "other",
  loong64: "other",
  mips64el: "other",
};
/** OS words that are never anything else. */
const STRONG_OS: Readonly<Record<string, string>> = {
  linux: "linux",
  manylinux: "linux",
  manylinux1: "linux",
  manylinux2010: "linux",
  manylinux2014: "linux",
  musllinux: "linux",
  linuxmusl: "linux",
  darwin: "darwin",
  macos: "darwin",
  macosx: "darwin",
  osx: "darwin",
  win32: "win32",
  windows: "win32",
  android: "android",
  freebsd: "freebsd",
  openbsd: "openbsd",
  netbsd: "netbsd",
  sunos: "sunos",
  aix: "aix",
};
/** OS words that count only next to an architecture word ("win-x64", "ios-arm64"). */
const WEAK_OS: Readonly<Record<string, string>> = { win: "win32", win64: "win32", mac: "darwin", ios: "ios" };
const LIBC: Readonly<Record<string, "glibc" | "musl">> = { gnu: "glibc", glibc: "glibc", manylinux: "glibc", musl: "musl", musllinux: "musl", linuxmusl: "musl", alpine: "musl" };

interface SegmentWords {
  os?: string;
  arch?: Machine;
  libc?: "glibc" | "musl";
  marker: boolean;
  /** The segment with its architecture words replaced. */
  slot: string;
}

function words(segment: string): SegmentWords {
  // "x86_64" / "x86-64" are one word; everything else splits on anything not a letter or digit.
  const norm = segment.toLowerCase().replace(/x86[-_]64/g, "x64");
  const tokens = norm.split(/[^a-z0-9]+/).filter(Boolean);
  let os: string | undefined;
  let weakOs: string | undefined;
  let strongArch: Machine | undefined;
  let weakArch: Machine | undefined;
  let libc: "glibc" | "musl" | undefined;
  for (const t of tokens) {
    os ??= STRONG_OS[t];
    weakOs ??= WEAK_OS[t];
    strongArch ??= STRONG_ARCH[t];
    weakArch ??= WEAK_ARCH[t];
    libc ??= LIBC[t];
  }
  const arch = strongArch ?? (os || weakOs ? weakArch : undefined);
  const marker = Boolean(strongArch || os || (weakArch && weakOs));
  const archWords = new Set([...Object.keys(STRONG_ARCH), ...(os || weakOs ? Object.keys(WEAK_ARCH) : [])]);
  const slot = marker ? norm.replace(/[a-z0-9]+/g, (t) => (archWords.has(t) ? "{arch}" : t)) : norm;
  return { os: os ?? (arch ? weakOs : undefined), arch, libc, marker, slot };
}

/** The platform a path names, nearest segment first; undefined fields: the path does not say. */
export function platformOf(path: string): PathMarker {
  const segments = path.split("/").filter(Boolean);
  const parsed = segments.map(words);
  if (!parsed.some((p) => p.marker)) return {};
  const out: PathMarker = {};
  for (let i = parsed.length - 1; i >= 0; i--) {
    const p = parsed[i]!;
    // A libc word counts anywhere once the path has a platform folder (prebuildify: linux-x64/node.napi.musl.node).
    out.libc ??= p.libc;
    if (!p.marker) continue;
    out.os ??= p.os;
    out.arch ??= p.arch;
  }
  if (out.arch !== undefined) out.slot = parsed.map((p) => p.slot).join("/");
  return out;
}

/** Debian / CPython spelling of an architecture (x86_64, aarch64). */
export function gnuArch(arch: Machine): string {
  return arch === "arm64" ? "aarch64" : arch;
}

/** npm's `--cpu` spelling (x64, arm64). */
export function npmCpu(arch: Machine): string {
  return arch === "x86_64" ? "x64" : arch === "x86" ? "ia32" : arch;
}
