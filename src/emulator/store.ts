// Emulator persistence. In memory by default; with a state dir, every cloud's metadata is one
// JSON file and zips are content-addressed files, all written atomically (temp + rename) so a
// crash or Ctrl-C never leaves a half-written state behind.
import { mkdir, readFile, rename, writeFile, rm } from "node:fs/promises";
import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { alive } from "../record/lock.js";
import type { BlobStore } from "./types.js";

export function sha256Hex(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();
  async put(bytes: Buffer): Promise<string> {
    const key = sha256Hex(bytes);
    this.blobs.set(key, bytes);
    return key;
  }
  async get(sha256: string): Promise<Buffer | undefined> {
    return this.blobs.get(sha256);
  }
}

export class DirBlobStore implements BlobStore {
  constructor(private readonly dir: string) {}
  private file(key: string): string {
    return path.join(this.dir, `${key}.zip`);
  }
  async put(bytes: Buffer): Promise<string> {
    const key = sha256Hex(bytes);
    await writeFileAtomic(this.file(key), bytes);
    return key;
  }
  async get(sha256: string): Promise<Buffer | undefined> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined;
    try {
      return await readFile(this.file(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  }
}

/** One JSON state file per cloud; saves are serialised so the last state always wins. */
export class StateFiles {
  private chains = new Map<string, Promise<void>>();
  constructor(private readonly dir: string | undefined) {}

  /** Where a cloud's state lives (for messages); "(memory)" without a state dir. */
  file(cloud: string): string {
    return this.dir ? path.join(this.dir, "state", `${cloud}.json`) : "(memory)";
  }

  /** The saved JSON, its objects without prototypes (saved names are plain keys); undefined when there is none. */
  async load(cloud: string): Promise<unknown | undefined> {
    if (!this.dir) return undefined;
    let text: string;
    try {
      text = await readFile(this.file(cloud), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    try {
      return JSON.parse(text, (_key, value: unknown) => (value !== null && typeof value === "object" && !Array.isArray(value) ? Object.assign(Object.create(null), value) : value));
    } catch (err) {
      throw Object.assign(
        new Error(`the saved ${cloud} emulator state ${this.file(cloud)} is not JSON (${(err as Error).message}); move it away (or use another --state-dir) to start over`),
        {
          code: "EBADSTATE",
        },
      );
    }
  }

  save(cloud: string, state: () => unknown): Promise<void> {
    const dir = this.dir;
    if (!dir) return Promise.resolve();
    const prev = this.chains.get(cloud) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(() => writeFileAtomic(path.join(dir, "state", `${cloud}.json`), JSON.stringify(state(), null, 1)));
    this.chains.set(cloud, next);
    return next;
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.chains.values()]);
  }
}

/**
 * One emulator per state dir: two would each keep their own copy in memory and overwrite the
 * other's file on every save. The lock holds the owner's pid; a lock whose process is gone is
 * taken over. Returns the release function.
 */
export async function lockStateDir(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const lock = path.join(dir, "emulator.lock");
  for (;;) {
    try {
      await writeFile(lock, String(process.pid), { flag: "wx" });
      return () => rm(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const owner = Number((await readFile(lock, "utf8").catch(() => "")).trim());
    if (owner > 0 && alive(owner)) {
      throw Object.assign(new Error(`state dir ${dir} is in use by another emulator (pid ${owner})`), { code: "ELOCKED", pid: owner });
    }
    await rm(lock, { force: true });
  }
}
