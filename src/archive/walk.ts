// Lists what goes into the zip, in zip order, one entry at a time: a tree of 100k files is never
// held in memory, only the folders on the current path. Every bad-input case is a UsageError (the
// caller drops the half-written zip). Synchronous on purpose: a tree walk is thousands of tiny
// syscalls, and the promise API adds a thread-pool round-trip to each.
//
// Order: bytewise on the UTF-8 path, folders named with their trailing "/". Walking depth-first
// with each folder's children sorted by that same key (name, plus "/" for a folder) gives exactly
// that order: a name never contains "/", so a child's key is never a prefix of a sibling's key
// that sorts after it, and everything under a folder sorts right after the folder itself.
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import type { SymlinkMode } from "./types.js";
import { IGNORE_FILE, type IgnoreTest } from "./ignore.js";
import { compareUtf8 } from "./utf8-order.js";
import { LEAVE_OUT_HINT, guardFs } from "./fs-errors.js";
import { MODE_EXEC, MODE_FILE } from "./zip-format.js";

export type Entry = { kind: "dir"; name: string } | { kind: "file"; name: string; source: string; size: number; mode: number } | { kind: "link"; name: string; target: string };

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

/** A directory entry with the key it sorts by. */
interface Child {
  name: string;
  key: string;
  kind: "dir" | "file" | "link";
}

class Walker {
  private readonly keptLinks: Array<{ rel: string; target: string; resolved: string; isDir: boolean }> = [];
  private sawFile = false;

  constructor(private readonly o: WalkOptions) {}

  *run(): Generator<Entry> {
    yield* prefixDirs(this.o.prefix);
    yield* this.walkDir("", this.o.root, new Set([this.o.root]));
    if (!this.sawFile) {
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
  }

  private emit(e: Entry): Entry {
    if (e.kind !== "dir") this.sawFile = true;
    return e;
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

  /** The folder's children in zip order; a followed link to a folder sorts as a folder. */
  private children(rel: string, abs: string): Child[] {
    const dirents = guardFs(this.shown(rel), () => fs.readdirSync(abs, { withFileTypes: true }));
    const out: Child[] = [];
    for (const d of dirents) {
      if (!rel && d.name === IGNORE_FILE) continue;
      const kind = d.isDirectory() ? "dir" : d.isSymbolicLink() ? "link" : "file";
      const asDir = kind === "dir" || (kind === "link" && this.o.symlinks === "follow" && pointsToDir(path.join(abs, d.name)));
      out.push({ name: d.name, key: asDir ? d.name + "/" : d.name, kind });
    }
    return out.sort((a, b) => compareUtf8(a.key, b.key));
  }

  // `ancestors` holds the real paths of the folders being walked, to catch followed links that loop.
  private *walkDir(rel: string, real: string, ancestors: Set<string>): Generator<Entry> {
    const abs = rel ? path.join(this.o.root, rel) : this.o.root;
    for (const child of this.children(rel, abs)) {
      const childRel = rel ? `${rel}/${child.name}` : child.name;
      // Not path.join: `abs` is normalized and a name holds no separator, and join's
      // normalization was a third of what packing 100k tiny files allocated.
      const childAbs = abs + path.sep + child.name;
      // Node decodes names as UTF-8; a name that is not valid UTF-8 comes back altered and unusable.
      if (child.name.includes("\uFFFD") && !fs.existsSync(childAbs)) {
        throw new UsageError(`${this.shown(childRel)} has a name that is not valid UTF-8`, { hint: "rename it" });
      }
      if (child.kind === "dir") {
        if (!this.o.ignored(childRel, true)) yield* this.enterDir(childRel, path.join(real, child.name), ancestors);
      } else if (child.kind === "file") {
        if (!this.o.ignored(childRel, false))
          yield this.emit(
            this.fileEntry(
              childRel,
              childAbs,
              guardFs(
                () => this.shown(childRel),
                () => fs.lstatSync(childAbs),
              ),
            ),
          );
      } else if (this.o.symlinks === "keep") {
        if (!this.o.ignored(childRel, false)) yield this.emit(this.keepLink(childRel, childAbs));
      } else {
        yield* this.followLink(childRel, childAbs, ancestors);
      }
    }
  }

  private *enterDir(rel: string, real: string, ancestors: Set<string>): Generator<Entry> {
    yield { kind: "dir", name: `${this.o.prefix}${rel}/` };
    ancestors.add(real);
    yield* this.walkDir(rel, real, ancestors);
    ancestors.delete(real);
  }

  private fileEntry(rel: string, source: string, st: fs.Stats): Entry {
    if (!st.isFile()) {
      const what = st.isFIFO() ? "a FIFO" : st.isSocket() ? "a socket" : st.isCharacterDevice() || st.isBlockDevice() ? "a device" : "a special file";
      throw new UsageError(`${this.shown(rel)} is not a regular file (${what})`, { hint: `remove it or ${LEAVE_OUT_HINT}` });
    }
    // Only "executable or not" survives: umask and group/other bits differ between machines.
    const mode = st.mode & 0o111 ? MODE_EXEC : MODE_FILE;
    return { kind: "file", name: this.o.prefix + rel, source, size: st.size, mode };
  }

  private keepLink(rel: string, abs: string): Entry {
    const target = fs.readlinkSync(abs);
    if (path.isAbsolute(target)) {
      throw this.linkError(
        rel,
        target,
        "is absolute and will not resolve where the layer is extracted",
        "make it relative, or use --symlinks follow to store the target's content",
      );
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
    this.keptLinks.push({ rel, target, resolved: resolved.split(path.sep).join("/"), isDir: fs.statSync(real).isDirectory() });
    return { kind: "link", name: this.o.prefix + rel, target };
  }

  /** Follow mode stores what the link points to, wherever that is; only loops and dangling links fail. */
  private *followLink(rel: string, abs: string, ancestors: Set<string>): Generator<Entry> {
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (err) {
      if (this.o.ignored(rel, false)) return;
      throw this.unresolvable(rel, abs, err);
    }
    if (!st.isDirectory()) {
      if (!this.o.ignored(rel, false)) yield this.emit(this.fileEntry(rel, abs, st));
      return;
    }
    if (this.o.ignored(rel, true)) return;
    const real = fs.realpathSync.native(abs);
    if (ancestors.has(real)) {
      throw this.linkError(rel, fs.readlinkSync(abs), "loops back to a folder that contains it", "leave the link out, or use --symlinks keep");
    }
    yield* this.enterDir(rel, real, ancestors);
  }
}

/** The entries in zip order, produced as the walk goes. */
export function walk(opts: WalkOptions): Generator<Entry> {
  return new Walker(opts).run();
}

/** Whether a link leads to a folder; a broken or looping link is reported when it is walked. */
function pointsToDir(link: string): boolean {
  try {
    return fs.statSync(link).isDirectory();
  } catch {
    return false;
  }
}

/** Explicit entries for the prefix folders, so they extract with mode 0755 like every other folder. */
function prefixDirs(prefix: string): Entry[] {
  const parts = prefix.split("/").filter(Boolean);
  return parts.map((_, i) => ({ kind: "dir", name: parts.slice(0, i + 1).join("/") + "/" }));
}
