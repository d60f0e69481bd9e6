// Writers of one record file take turns, so concurrent runs (a CI matrix writing one file) lose
// nothing: each takes a lock file beside the record (`<file>.lock`, created exclusively, holding
// its pid, host, time and a token), reads what the file holds now, merges, writes atomically and
// lets go. A merge takes milliseconds, so a lock is stale when its writer is gone (same host, no
// such process) or it is older than STALE_MS; a stale lock is taken over by renaming it away (one
// taker wins) and checking it was the one judged stale.
import { randomBytes } from "node:crypto";
import { link, open, readFile, rename, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { UsageError } from "../errors.js";

/** A lock older than this is stale whoever holds it: no merge takes that long. */
export const STALE_MS = 30_000;
/** How long a writer waits for its turn before giving up. */
const WAIT_MS = 60_000;

interface Holder {
  pid: number;
  host: string;
  time: string;
  token: string;
}

export function lockPath(file: string): string {
  return `${file}.lock`;
}

/** Runs `fn` holding the record file's lock. */
export async function withRecordLock<T>(file: string, fn: () => Promise<T>, opts: { waitMs?: number; now?: () => number } = {}): Promise<T> {
  const release = await acquire(file, opts.waitMs ?? WAIT_MS, opts.now ?? Date.now);
  try {
    return await fn();
  } finally {
    await release();
  }
}

async function acquire(file: string, waitMs: number, now: () => number): Promise<() => Promise<void>> {
  const lock = lockPath(file);
  const me: Holder = { pid: process.pid, host: hostname(), time: new Date(now()).toISOString(), token: randomBytes(8).toString("hex") };
  const giveUpAt = now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(lock, "wx");
      try {
        await fh.writeFile(JSON.stringify(me));
      } finally {
        await fh.close();
      }
      return async () => {
        // Only our own lock is removed: a lock taken over as stale meanwhile is another writer's.
        const held = await readHolder(lock);
        if (held?.token === me.token) await rm(lock, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new UsageError(`cannot lock record file ${file}: ${(err as Error).message}`, {
          code: "RecordWriteFailed",
          hint: `layerctl writes ${lock} beside it: the folder must be writable`,
        });
      }
    }
    const holder = await readHolder(lock);
    if (await isStale(lock, holder, now)) {
      await takeOver(lock, holder);
      continue;
    }
    if (now() >= giveUpAt) {
      const who = holder ? `pid ${holder.pid} on ${holder.host} since ${holder.time}` : "another writer";
      throw new UsageError(`record file ${file} is locked by ${who}`, {
        code: "RecordLocked",
        hint: `if no layerctl is writing it, remove ${lock}`,
      });
    }
    // Short, jittered waits: a merge takes milliseconds.
    await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * Math.min(100, 5 * 2 ** Math.min(attempt, 5)))));
  }
}

async function readHolder(lock: string): Promise<Holder | null> {
  try {
    const h = JSON.parse(await readFile(lock, "utf8")) as Partial<Holder>;
    return typeof h.pid === "number" && typeof h.token === "string" ? (h as Holder) : null;
  } catch {
    return null;
  }
}

async function isStale(lock: string, holder: Holder | null, now: () => number): Promise<boolean> {
  const st = await stat(lock).catch(() => null);
  if (!st) return false; // gone already: try again
  const age = now() - st.mtimeMs;
  if (age > STALE_MS) return true;
  // A lock being written has no holder yet for a moment; one that never got one is a writer that died then.
  if (!holder) return age > 2_000;
  return holder.host === hostname() && !alive(holder.pid);
}

/** Whether process `pid` runs on this host (also the emulator's state-dir lock asks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, and is someone else's.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Renames the stale lock away (only one taker can); if what was moved is not the lock judged stale, puts it back. */
async function takeOver(lock: string, judged: Holder | null): Promise<void> {
  const moved = `${lock}.stale-${randomBytes(6).toString("hex")}`;
  try {
    await rename(lock, moved);
  } catch {
    return; // another taker won, or its writer finished: try again
  }
  const got = await readHolder(moved);
  if (judged && got?.token !== judged.token) {
    // A fresh lock was moved: give it back unless yet another has been taken since.
    await link(moved, lock).catch(() => {});
  }
  await rm(moved, { force: true });
}
