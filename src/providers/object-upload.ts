// Uploading a zip from disk to an object store, the same way for S3, COS and OSS: one streamed PUT
// for a small zip, otherwise a multipart upload whose parts are read from disk one at a time (at
// most `concurrency` + 1 parts in memory, whatever the zip's size). Every part is verified by the
// store adapter against the checksum the store returns, and the whole object once at the end,
// before the layer API is ever told about it. Retries happen inside the adapter's calls (each part
// is re-sent from its buffer; a single PUT re-opens the file).
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { crc32 } from "../archive/crc32.js";
import { Crc64 } from "../archive/crc64.js";
import { CloudError, LayerctlError } from "../errors.js";
import { onInterrupt } from "../interrupt.js";
import { startBudget, type Budget } from "./budget.js";
import type { ConnectOptions, ProviderStorage, RetryPolicy, StageHooks, StagedFile, StagedObject } from "./types.js";

/** What the driver computed over some bytes (a part or the whole file). */
export interface Digests {
  size: number;
  /** hex */
  md5: string;
  /** CRC-32 (IEEE), unsigned. */
  crc32: number;
  /** CRC-64/XZ, decimal; only when the store asked for it. */
  crc64?: string;
}

export interface UploadedPart {
  partNumber: number;
  /** As the store returned it (quoted or not); sent back on completion. */
  etag: string;
  digests: Digests;
}

/** One cloud's object store: each method is one SDK call (retried by the adapter) that verifies its answer. */
export interface ObjectWriter {
  /** Whether the store reports CRC-64 (COS, OSS): the driver then computes it for parts and the whole file. */
  readonly usesCrc64: boolean;
  putObject(key: string, body: () => Readable, whole: Digests): Promise<void>;
  createUpload(key: string): Promise<string>;
  /** `onAttempt` is called as each attempt starts: the driver reuses `bytes` only after a part that took one. */
  uploadPart(key: string, uploadId: string, partNumber: number, bytes: Buffer, digests: Digests, onAttempt: () => void): Promise<string>;
  completeUpload(key: string, uploadId: string, parts: UploadedPart[], whole: Digests): Promise<void>;
  /** Runs under its own small budget (abortPolicy), past the target's deadline if need be. */
  abortUpload(key: string, uploadId: string): Promise<void>;
  /** The store's CLI command that aborts this upload by hand, for when abortUpload could not. */
  abortCommand(key: string, uploadId: string): string;
  /** Read back size (and checksum where the store has one) and compare with ours. */
  verifyObject(key: string, whole: Digests, parts: UploadedPart[] | null): Promise<void>;
}

/**
 * What the three stores' clients share: the bucket in use, and the store's CLI commands that
 * remove an object or abort an upload by hand (at this client's endpoint) for what a failure left.
 */
export abstract class BucketClient {
  constructor(
    readonly bucket: string,
    protected readonly opts: ConnectOptions,
    private readonly commands: Pick<ProviderStorage, "removeCommand" | "abortCommand">,
    private readonly endpoint?: string,
  ) {}

  /** The key to stage under: ours, unless the bucket dictates one. */
  keyFor(preferred: string): string {
    return preferred;
  }

  removeCommand(obj: StagedObject): string {
    return this.commands.removeCommand(obj, this.endpoint);
  }

  abortCommand(key: string, uploadId: string): string {
    return this.commands.abortCommand({ bucket: this.bucket, key, region: this.opts.region }, uploadId, this.endpoint);
  }
}

export interface UploadSettings {
  /** Bytes per part; a zip of at most this size goes in one PUT. */
  partSize: number;
  /** Parts in flight at once. */
  concurrency: number;
  /**
   * Read the object back (size and checksum) once it is complete; default true. Off where the
   * keys may do nothing but upload (FC's temporary bucket): the PUT's own checksum must do.
   */
  readBack?: boolean;
}

/** 8 MiB parts: 15 for a 120 MB zip; every store takes parts of 5 MiB and more. */
export const DEFAULT_UPLOAD: UploadSettings = { partSize: 8 * 1024 * 1024, concurrency: 2 };

/**
 * Parts held in memory at once across every target of the run (read, uploading or retrying): what
 * bounds memory whatever the zip's size and the number of targets (4 x 8 MiB).
 */
const PART_SLOTS = 4;
let freeSlots = PART_SLOTS;
const waiting: Array<() => void> = [];
/**
 * Part buffers to read the next parts into, so a big upload does not leave a trail of 8 MiB
 * buffers for the collector (RSS would grow with the zip). A buffer comes back only from a part
 * that went up in one attempt: one given up at its timeout may still be read by a request the SDK
 * cannot cancel (COS, OSS), so its buffer is left to the collector instead.
 */
const pool: Buffer[] = [];

async function takeSlot(size: number): Promise<Buffer> {
  if (freeSlots > 0) freeSlots--;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  const i = pool.findIndex((b) => b.length === size);
  return i === -1 ? Buffer.allocUnsafe(size) : pool.splice(i, 1)[0]!;
}

function giveSlot(buffer: Buffer | null): void {
  if (buffer && pool.length < PART_SLOTS) pool.push(buffer);
  const next = waiting.shift();
  if (next) next();
  else freeSlots++;
}

export function digestsOf(bytes: Buffer, withCrc64: boolean): Digests {
  return {
    size: bytes.length,
    md5: createHash("md5").update(bytes).digest("hex"),
    crc32: crc32(bytes) >>> 0,
    ...(withCrc64 ? { crc64: new Crc64().update(bytes).decimal() } : {}),
  };
}

async function fileDigests(path: string, withCrc64: boolean): Promise<Digests> {
  const md5 = createHash("md5");
  let c32 = 0;
  const c64 = withCrc64 ? new Crc64() : null;
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer;
    md5.update(b);
    c32 = crc32(b, c32);
    c64?.update(b);
    size += b.length;
  }
  return { size, md5: md5.digest("hex"), crc32: c32 >>> 0, ...(c64 ? { crc64: c64.decimal() } : {}) };
}

/** Returns the whole file's digests (what the store now holds, verified). */
export async function uploadFile(writer: ObjectWriter, file: StagedFile, key: string, hooks: StageHooks = {}, settings = DEFAULT_UPLOAD): Promise<Digests> {
  if (file.size <= settings.partSize) {
    const whole = await fileDigests(file.path, writer.usesCrc64);
    if (whole.size !== file.size) throw new Error(`${file.path} changed while publishing (${whole.size} bytes, expected ${file.size})`);
    await writer.putObject(key, () => createReadStream(file.path), whole);
    hooks.progress?.(file.size, file.size);
    if (settings.readBack !== false) await writer.verifyObject(key, whole, null);
    return whole;
  }

  const uploadId = await writer.createUpload(key);
  // Ctrl-C while parts are going up: the upload is aborted (or named) before the process exits.
  const forget = onInterrupt({
    cleanup: {
      run: () => writer.abortUpload(key, uploadId),
      left: () => `an unfinished multipart upload of ${key} was left behind: remove it with \`${writer.abortCommand(key, uploadId)}\``,
    },
  });
  try {
    const parts = await uploadParts(writer, file, key, uploadId, hooks, settings);
    const whole = parts.whole;
    try {
      await writer.completeUpload(key, uploadId, parts.list, whole);
    } catch (err) {
      // A retry after a lost answer finds the upload already completed (NoSuchUpload, the same code
      // in S3, COS and OSS): whether the object is ours is what the check below decides.
      if (!(err instanceof LayerctlError && err.code === "NoSuchUpload")) throw err;
    }
    await writer.verifyObject(key, whole, parts.list);
    return whole;
  } catch (err) {
    // Parts of an unfinished upload are billed storage: drop them, but the upload's error is what
    // counts. One that cannot be dropped is named, with the command that drops it.
    const left = await writer.abortUpload(key, uploadId).then(
      () => null,
      (abortErr: unknown) => abortErr,
    );
    if (left === null) throw err;
    const hint = `an unfinished multipart upload of ${key} was left behind (aborting it failed: ${codeOf(left)}): remove it with \`${writer.abortCommand(key, uploadId)}\``;
    throw err instanceof LayerctlError
      ? err.with({ hint: err.hint ? `${err.hint}; ${hint}` : hint })
      : new CloudError(`the upload failed: ${(err as Error).message ?? String(err)}`, { code: "UploadFailed", hint, cause: err });
  } finally {
    forget();
  }
}

/**
 * Aborting an unfinished multipart upload gets its own small budget, past the target's deadline
 * if need be (an upload given up at --timeout is exactly the one to abort): a few seconds, within
 * the --timeout + 5 s the README documents.
 */
export const ABORT_BUDGET_MS = 3_000;

/** The abort's own policy and budget (made when the abort starts; the target's is left as it is). */
export function abortPolicy(now = Date.now()): { retry: RetryPolicy; budget: Budget } {
  return { retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 500 }, budget: startBudget(ABORT_BUDGET_MS, now) };
}

function codeOf(err: unknown): string {
  return err instanceof LayerctlError ? err.code : err instanceof Error ? err.message : String(err);
}

async function uploadParts(
  writer: ObjectWriter,
  file: StagedFile,
  key: string,
  uploadId: string,
  hooks: StageHooks,
  settings: UploadSettings,
): Promise<{ list: UploadedPart[]; whole: Digests }> {
  const count = Math.ceil(file.size / settings.partSize);
  const list: UploadedPart[] = new Array(count);
  const md5 = createHash("md5");
  let c32 = 0;
  const c64 = writer.usesCrc64 ? new Crc64() : null;
  let sent = 0;
  let failure: unknown = null;
  const inFlight = new Set<Promise<void>>();
  const fh = await open(file.path, "r");
  try {
    // Parts are read in order (the whole-file checksums need that) and uploaded `concurrency` at a time.
    for (let i = 0; i < count && failure === null; i++) {
      const start = i * settings.partSize;
      const length = Math.min(settings.partSize, file.size - start);
      const slot = await takeSlot(settings.partSize);
      const bytes = slot.subarray(0, length);
      const { bytesRead } = await fh.read(bytes, 0, length, start).catch((err: unknown) => {
        giveSlot(slot);
        throw err;
      });
      if (bytesRead !== length) {
        giveSlot(slot);
        throw new Error(`${file.path} changed while publishing (short read at byte ${start})`);
      }
      md5.update(bytes);
      c32 = crc32(bytes, c32);
      c64?.update(bytes);
      const digests = digestsOf(bytes, writer.usesCrc64);
      const partNumber = i + 1;
      let attempts = 0;
      const task = writer
        .uploadPart(key, uploadId, partNumber, bytes, digests, () => attempts++)
        .then(
          (etag) => {
            list[i] = { partNumber, etag, digests };
            sent += length;
            hooks.progress?.(sent, file.size);
          },
          (err: unknown) => {
            failure ??= err;
          },
        );
      const tracked = task.finally(() => {
        inFlight.delete(tracked);
        giveSlot(attempts === 1 ? slot : null);
      });
      inFlight.add(tracked);
      if (inFlight.size >= settings.concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await fh.close();
  }
  if (failure !== null) throw failure;
  return { list, whole: { size: file.size, md5: md5.digest("hex"), crc32: c32 >>> 0, ...(c64 ? { crc64: c64.decimal() } : {}) } };
}

/** Unique to this run: two runs staging the same zip at once never share (or delete) one object. */
const RUN_ID = randomBytes(4).toString("hex");

/**
 * The staged object's key: the layer, its content, and this run. Staged objects are removed after
 * the publish (or named, when they cannot be), so unique keys do not pile up.
 */
export function stagedKey(layerName: string, sha256: string, run = RUN_ID): string {
  return `layerctl/${layerName}/${sha256}-${run}.zip`;
}
