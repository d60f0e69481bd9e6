// What the compatibility check knows about a layer's files, and what it reports. The facts are
// read from headers inside the pack's pass (often in a deflate worker), so they are plain data
// that crosses threads; the findings are public interface (`layerctl check --output json`).
import type { ProviderName } from "../providers/names.js";

/** CPU architectures as the clouds name them, plus what else a binary may be built for. */
export type Machine = "x86_64" | "arm64" | "x86" | "arm" | "other";

/** What one executable or library is, from its headers only. */
export type BinaryFacts = ElfFacts | MachOFacts | PeFacts;

export interface ElfFacts {
  format: "elf";
  machine: Machine;
  /** e_machine as read, for machines layerctl has no name for. */
  machineCode: number;
  bits: 32 | 64;
  /** glibc: needs libc.so.6 or ld-linux; musl: ld-musl / libc.musl; none: static; unknown: no dynamic section read. */
  libc: "glibc" | "musl" | "none" | "unknown";
  /** Highest GLIBC_x.y symbol version it needs (from .gnu.version_r), e.g. "2.28". */
  glibc?: string;
  /** Highest GLIBCXX_x.y.z (libstdc++) it needs. */
  glibcxx?: string;
  /** Highest CXXABI_x.y.z (libstdc++) it needs. */
  cxxabi?: string;
  /** Node.js addons: NODE_MODULE_VERSION from a `node_register_module_vN` export (a NAN/V8 addon is tied to one Node major). */
  nodeModuleVersion?: number;
  /** Node.js addons built on Node-API: the highest Node-API version its imports imply. */
  napi?: number;
  /** A file that starts like ELF but whose tables could not be read whole: only the header is trusted. */
  partial?: boolean;
}

export interface MachOFacts {
  format: "macho";
  machines: Machine[];
}

export interface PeFacts {
  format: "pe";
  machine: Machine;
  /** A .NET assembly (CLR header present): runs wherever .NET runs, Linux included. */
  managed: boolean;
}

/** One thing the pass noticed about one file. */
export type ContentNote = { kind: "binary"; facts: BinaryFacts } | { kind: "wheel"; tags: string[] };

/** A note with the file's name inside the zip. */
export interface NamedNote {
  name: string;
  note: ContentNote;
}

export type Severity = "error" | "warning";

export interface Finding {
  severity: Severity;
  /** Stable, for scripts: WrongArchitecture, MissingArchitecture, GlibcTooNew, LibstdcxxTooNew, MuslBinary, MacOSBinary, WindowsBinary, NotForLinux, PythonAbi, NodeAbi, NodeApiVersion, UnsupportedArchitecture, MixedArchitectures. */
  code: string;
  /** The file inside the zip. */
  file: string;
  /** "aws", "tencent"... null: a problem on any cloud (pack without --provider). */
  provider: ProviderName | null;
  /** Native runtime ids it concerns (empty: every runtime, or none declared). */
  runtimes: string[];
  /** Architectures it concerns (empty: any). */
  architectures: string[];
  /** What the file needs. */
  needs: string;
  /** What the target has. */
  has: string;
  /** How to fix it. */
  fix: string;
}
