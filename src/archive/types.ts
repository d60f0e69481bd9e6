// The pack summary. Its JSON field names are public: it is printed by `pack --output json` and
// appears as `archive` inside `publish --output json`.
import type { NamedNote } from "../contents/types.js";

export interface ArchiveSummary {
  /** Where the zip was written (absolute); null when it only lived in memory / a temp file. */
  path: string | null;
  fileCount: number;
  uncompressedBytes: number;
  zipBytes: number;
  /** hex */
  sha256: string;
}

export type SymlinkMode = "keep" | "follow";

export interface PackOptions {
  dir: string;
  /** Output path; required (callers that only need bytes pass a temp path). */
  output: string;
  /** gitignore-syntax patterns, on top of <dir>/.layerignore. */
  exclude?: string[];
  /** Folder inside the zip, e.g. "python" or "nodejs/". */
  prefix?: string;
  symlinks?: SymlinkMode;
  /** Seconds since epoch for every entry's timestamp; default: env SOURCE_DATE_EPOCH, else 1980-01-01. */
  sourceDateEpoch?: number;
  /**
   * The contents check: executables and wheel metadata are noted from the bytes the pass reads
   * anyway, and handed over once every entry is written, before the zip is put in place (a throw
   * leaves no zip).
   */
  check?: (notes: NamedNote[]) => void;
}

export interface PackResult {
  archive: ArchiveSummary;
  /** Top-level names inside the zip (after prefix), sorted: for layout hints. */
  topLevel: string[];
  /** `top/child` names one level further down, sorted: layout hints look one level deeper. */
  secondLevel: string[];
}
