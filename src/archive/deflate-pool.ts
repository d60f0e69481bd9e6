// Runs deflate tasks on worker threads so deflating uses every core while the main thread reads
// results and writes them in order. Tiny trees run inline: starting workers would cost more.
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { runTask, type DeflateTask, type TaskOutcome } from "./deflate-task.js";

export interface Deflater {
  run(task: DeflateTask): Promise<TaskOutcome>;
  /**
   * How many tasks are worth dispatching ahead of the one being written: enough to keep every
   * worker busy, and 1 when tasks run inline (queued results would only hold memory).
   */
  readonly ahead: number;
  close(): Promise<void>;
}

/** Below this many bytes of input, inline deflating finishes before workers would have started. */
const INLINE_BELOW = 2 * 1024 * 1024;
// One worker per core (on the 2-core bench machine two run ~1.8x faster than one); capped because
// the single main thread still has to write and hash everything they produce.
const MAX_WORKERS = 4;
/**
 * A worker's young generation. V8 grows it (up to 16 MB per semi-space) when objects survive its
 * collections, and a deflate worker churns through short-lived zlib objects for every small file:
 * left alone, 100k tiny files peaked ~10 MB higher. Measured: no slower.
 */
const YOUNG_MB = 2;
/** Tasks handed to a worker at once: one running, one waiting so it never idles on a round-trip. */
const PER_WORKER = 2;

// Compiled next to this file in dist/. Under a TS runner (vitest on src/) there is no .js worker,
// and the same tasks run inline.
const WORKER_SCRIPT = new URL("./deflate-worker.js", import.meta.url);

/**
 * Below this many bytes per entry on average, workers do not pay: the main thread's walk (a
 * readdir and an lstat per file) is the bottleneck, and each entry's trip to a worker costs more
 * than deflating it. Measured with 100k files of ~50 bytes: inline 3.06 s, workers 3.28 s, and
 * ~20 MB less memory; node_modules trees average 5-20 KiB per file.
 */
const WORKERS_FROM_AVERAGE = 1024;

/**
 * Runs tasks inline until INLINE_BELOW bytes have gone through at WORKERS_FROM_AVERAGE bytes per
 * entry or more, then starts the workers: the walk streams, so the tree is not known up front.
 * Results are the same bytes either way.
 */
export function createDeflater(): Deflater {
  let seen = 0;
  let entries = 0;
  let pool: WorkerPool | undefined;
  const canPool = fs.existsSync(fileURLToPath(WORKER_SCRIPT));
  return {
    get ahead() {
      return pool ? pool.ahead : 1;
    },
    run(task) {
      if (pool) return pool.run(task);
      seen += taskBytes(task);
      entries += task.type === "chunk" ? (task.offset === 0 ? 1 : 0) : task.items.length;
      if (canPool && seen >= INLINE_BELOW && seen >= entries * WORKERS_FROM_AVERAGE) pool = new WorkerPool(Math.max(1, Math.min(MAX_WORKERS, os.availableParallelism())));
      return inlineDeflater.run(task);
    },
    close: async () => pool?.close(),
  };
}

const inlineDeflater: Deflater = {
  ahead: 1,
  run: async (task) => runTask(task),
  close: async () => {},
};

function taskBytes(task: DeflateTask): number {
  if (task.type === "chunk") return task.length;
  let bytes = 0;
  for (const e of task.items) if (e.kind === "file") bytes += e.size;
  return bytes;
}

interface Job {
  task: DeflateTask;
  resolve(outcome: TaskOutcome): void;
  reject(err: unknown): void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
}

class WorkerPool implements Deflater {
  /** Tasks at the workers plus as many again waiting, so no worker idles on a round trip. */
  get ahead(): number {
    return 2 * PER_WORKER * this.slots.length;
  }

  private readonly queue: Job[] = [];
  private readonly slots: Slot[];
  private nextId = 0;
  private failure: unknown;
  private closing = false;

  constructor(count: number) {
    this.slots = Array.from({ length: count }, () => {
      const slot: Slot = { worker: new Worker(WORKER_SCRIPT, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } }), jobs: new Map() };
      slot.worker.on("message", ({ id, outcome }: { id: number; outcome: TaskOutcome }) => {
        const job = slot.jobs.get(id);
        slot.jobs.delete(id);
        job?.resolve(outcome);
        this.pump();
      });
      slot.worker.on("error", (err) => this.fail(err));
      slot.worker.on("exit", (code) => {
        if (!this.closing) this.fail(new Error(`deflate worker stopped with exit code ${code}`));
      });
      return slot;
    });
  }

  run(task: DeflateTask): Promise<TaskOutcome> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
      if (slot.jobs.size >= PER_WORKER) return;
      const job = this.queue.shift()!;
      const id = this.nextId++;
      slot.jobs.set(id, job);
      slot.worker.postMessage({ id, task: job.task });
    }
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    for (const job of [...this.queue, ...this.slots.flatMap((s) => [...s.jobs.values()])]) job.reject(this.failure);
    this.queue.length = 0;
    for (const s of this.slots) s.jobs.clear();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
