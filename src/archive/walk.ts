// Lists what goes into the zip, sorted, with every bad-input case turned into a UsageError before
// anything is written. Synchronous on purpose: a tree walk is thousands of tiny syscalls, and the
// promise API adds a thread-pool round-trip to each.
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import type { SymlinkMode } from "./types.js";
import { IGNORE_FILE, type IgnoreTest } from "./ignore.js";
import { compareUtf8 } from "./utf8-order.js";
import { LEAVE_OUT_HINT, guardFs } from "./fs-errors.js";
import { MODE_EXEC, MODE_FILE } from "./zip-format.js";

export type Entry =
  | { kind: "dir"; name: string }
  | { kind: "file"; name: string; source: string; size: number; mode: number }
  | { kind: "link"; name: string; target: string };

export interface WalkOptions {
  /** Real path of the folder to pack. */
  root: string;
  /** The folder as the caller named it, for messages. */
  shownRoot: string;
  /** "" or a folder ending in "/". */
  prefix: string;
  symlinks: SymlinkMode;
  ignored: IgnoreTest;
}

const FIX_LINK = `fix or remove it, or ${LEAVE_OUT_HINT}`;

class Walker {
  private readonly entries: Entry[] = [];
  private readonly keptLinks: Array<{ rel: string; target: string; resolved: string; isDir: boolean }> = [];

  constructor(private readonly o: WalkOptions) {}

  run(): Entry[] {
    this.walkDir("", this.o.root, new Set([this.o.root]));
    if (!this.entries.some((e) => e.kind !== "dir")) {
      throw new UsageError(`${this.o.shownRoot} has no files to pack after .layerignore and --exclude`, {
        hint: "check the folder and the ignore rules",
      });
    }
    // A kept link whose target was left out would dangle once the layer is extracted. (`ignored`
    // also reports paths inside an ignored folder.)
    for (const link of this.keptLinks) {
      if (link.resolved !== "" && (link.resolved === IGNORE_FILE || this.o.ignored(link.resolved, link.isDir))) {
        throw this.linkError(link.rel, link.target, `points to ${link.resolved}, which the ignore rules leave out`, "include the target, or leave the link out too");
      }
    }
    return sortByZipPath([...prefixDirs(this.o.prefix), ...this.entries]);
  }

  private shown(rel: string): string {
    return path.join(this.o.shownRoot, rel);
  }

  private linkError(rel: string, target: string, problem: string, hint: string): UsageError {
    return new UsageError(`symlink ${this.shown(rel)} -> ${target} ${problem}`, { hint });
  }

  private unresolvable(rel: string, abs: string, err: unknown): UsageError {
    const target = fs.readlinkSync(abs);
    if ((err as NodeJS.ErrnoException).code === "ELOOP") return this.linkError(rel, target, "is part of a symlink loop", FIX_LINK);
    return this.linkError(rel, target, "is dangling (its target does not exist)", FIX_LINK);
  }

  // `ancestors` holds the real paths of the folders being walked, to catch followed links that loop.
  private walkDir(rel: string, real: string, ancestors: Set<string>): void {
    const abs = rel ? path.join(this.o.root, rel) : this.o.root;
    const dirents = guardFs(this.shown(rel), () => fs.readdirSync(abs, { withFileTypes: true }));
    for (const dirent of dirents) {
      if (!rel && dirent.name === IGNORE_FILE) continue;
      const childRel = rel ? `${rel}/${dirent.name}` : dirent.name;
      const childAbs = path.join(abs, dirent.name);
      // Node decodes names as UTF-8; a name that is not valid UTF-8 comes back altered and unusable.
      if (dirent.name.includes("\uFFFD") && !fs.existsSync(childAbs)) {
        throw new UsageError(`${this.shown(childRel)} has a name that is not valid UTF-8`, { hint: "rename it" });
      }
      if (dirent.isDirectory()) {
        if (!this.o.ignored(childRel, true)) this.enterDir(childRel, path.join(real, dirent.name), ancestors);
      } else if (!dirent.isSymbolicLink()) {
        if (!this.o.ignored(childRel, false)) this.addFile(childRel, childAbs, guardFs(this.shown(childRel), () => fs.lstatSync(childAbs)));
      } else if (this.o.symlinks === "keep") {
        if (!this.o.ignored(childRel, false)) this.keepLink(childRel, childAbs);
      } else {
        this.followLink(childRel, childAbs, ancestors);
      }
    }
  }

  private enterDir(rel: string, real: string, ancestors: Set<string>): void {
    this.entries.push({ kind: "dir", name: `${this.o.prefix}${rel}/` });
    ancestors.add(real);
    this.walkDir(rel, real, ancestors);
    ancestors.delete(real);
  }

  private addFile(rel: string, source: string, st: fs.Stats): void {
    if (!st.isFile()) {
      const what = st.isFIFO() ? "a FIFO" : st.isSocket() ? "a socket" : st.isCharacterDevice() || st.isBlockDevice() ? "a device" : "a special file";
      throw new UsageError(`${this.shown(rel)} is not a regular file (${what})`, { hint: `remove it or ${LEAVE_OUT_HINT}` });
    }
    // Only "executable or not" survives: umask and group/other bits differ between machines.
    const mode = st.mode & 0o111 ? MODE_EXEC : MODE_FILE;
    this.entries.push({ kind: "file", name: this.o.prefix + rel, source, size: st.size, mode });
  }

  private keepLink(rel: string, abs: string): void {
    const target = fs.readlinkSync(abs);
    if (path.isAbsolute(target)) {
      throw this.linkError(rel, target, "is absolute and will not resolve where the layer is extracted", "make it relative, or use --symlinks follow to store the target's content");
    }
    let real: string;
    try {
      real = fs.realpathSync.native(abs);
    } catch (err) {
      throw this.unresolvable(rel, abs, err);
    }
    const resolved = path.relative(this.o.root, real);
    if (resolved === ".." || resolved.startsWith(".." + path.sep) || path.isAbsolute(resolved)) {
      throw this.linkError(rel, target, `points outside ${this.o.shownRoot}`, "use --symlinks follow to store the target's content, or leave the link out");
    }
    this.entries.push({ kind: "link", name: this.o.prefix + rel, target });
    this.keptLinks.push({ rel, target, resolved: resolved.split(path.sep).join("/"), isDir: fs.statSync(real).isDirectory() });
  }

  /** Follow mode stores what the link points to, wherever that is; only loops and dangling links fail. */
  private followLink(rel: string, abs: string, ancestors: Set<string>): void {
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (err) {
      if (this.o.ignored(rel, false)) return;
      throw this.unresolvable(rel, abs, err);
    }
    if (!st.isDirectory()) {
      if (!this.o.ignored(rel, false)) this.addFile(rel, abs, st);
      return;
    }
    if (this.o.ignored(rel, true)) return;
    const real = fs.realpathSync.native(abs);
    if (ancestors.has(real)) {
      throw this.linkError(rel, fs.readlinkSync(abs), "loops back to a folder that contains it", "leave the link out, or use --symlinks keep");
    }
    this.enterDir(rel, real, ancestors);
  }
}

export function walk(opts: WalkOptions): Entry[] {
  return new Walker(opts).run();
}

/** Explicit entries for the prefix folders, so they extract with mode 0755 like every other folder. */
function prefixDirs(prefix: string): Entry[] {
  const parts = prefix.split("/").filter(Boolean);
  return parts.map((_, i) => ({ kind: "dir", name: parts.slice(0, i + 1).join("/") + "/" }));
}

function sortByZipPath(entries: Entry[]): Entry[] {
  return entries.sort((a, b) => compareUtf8(a.name, b.name));
}
