// A layer version's zip as data that travels: comparing what a cloud says a stored zip is (its
// digest) with a local zip, and downloading a version's zip to disk, streamed and checked against
// the cloud's own checksum (copy, download). A download is a read: it is retried within the
// target's budget, a link that expired is asked for again, and nothing is left behind but a
// complete, verified file.
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Crc64 } from "../archive/crc64.js";
import { CloudError, LayerctlError } from "../errors.js";
import type { Logger } from "../output/log.js";
import type { ProviderName } from "./names.js";
import type { Budget } from "./budget.js";
import { SOCKET_ERROR_CODES } from "./network.js";
import { backoffDelay, classifyStatus } from "./retry.js";
import type { ContentDigest, LayerContent, RetryPolicy } from "./types.js";

/** A local zip as the clouds' digests can be compared with it. */
export interface LocalDigest {
  sha256: string;
  /** CRC-64/XZ, decimal: needed only to compare with a cloud that reports no SHA-256 (Aliyun). */
  crc64?: string;
  size: number;
}

/**
 * Does the cloud's digest describe this zip? true / false, or null when it cannot tell (the cloud
 * reports a CRC-64 and the local CRC-64 was not computed).
 */
export function holdsZip(digest: ContentDigest | null, local: LocalDigest): boolean | null {
  if (!digest) return false;
  if (digest.sha256) return digest.sha256.toLowerCase() === local.sha256.toLowerCase();
  if (digest.crc64 !== undefined) {
    if (local.crc64 === undefined) return null;
    return digest.crc64 === local.crc64 && (digest.size === undefined || digest.size === local.size);
  }
  return null;
}

// An answer that lacks a field we use is unreadable, never "empty": one definition for every reader.
export { unreadableAnswer } from "./answers.js";

export interface DownloadOptions {
  provider: ProviderName;
  /** The target's: no attempt starts after its deadline, and one under way is abandoned then. */
  budget: Budget;
  retry: RetryPolicy;
  log: Logger;
  /** A download receiving nothing for this long is abandoned (and retried while budget is left). */
  idleTimeoutMs?: number;
  /** Asks the cloud for a fresh link: a link expires (AWS: 10 minutes), a retry may need a new one. */
  refresh?: () => Promise<LayerContent>;
  /** Bytes written so far, and the size when the store says it. */
  progress?: (bytes: number, total: number | null) => void;
}

export interface Downloaded {
  bytes: number;
  sha256: string;
  crc64: string;
}

const IDLE_TIMEOUT_MS = 30_000;

/**
 * Downloads a version's zip into `file`: streamed to a temporary file beside it (memory stays flat
 * whatever the size), checked against the cloud's digest, then renamed into place. On any failure
 * the temporary file is removed and `file` is untouched: a mismatch never leaves a partial zip.
 */
export async function downloadZip(content: LayerContent, file: string, opts: DownloadOptions): Promise<Downloaded> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.part`);
  let link = content;
  let refreshed = false;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const got = await fetchOnce(link, tmp, opts);
        verify(got, link, opts.provider);
        await rename(tmp, file);
        return got;
      } catch (err) {
        await rm(tmp, { force: true });
        // A refused link (403) has most likely expired: ask for a fresh one, once.
        if (err instanceof CloudError && err.httpStatus === 403 && opts.refresh && !refreshed) {
          refreshed = true;
          opts.log.debug(`${opts.provider}: the download link was refused (${err.code}); asking for a fresh one`);
          link = await opts.refresh();
          continue;
        }
        if (!(err instanceof CloudError) || !err.retryable || attempt >= opts.retry.maxAttempts) throw err;
        const delay = backoffDelay(opts.retry, attempt, Math.random, err.retryAfterMs);
        if (Date.now() + delay >= opts.budget.deadline) throw err;
        opts.log.debug(`${opts.provider}: download attempt ${attempt} failed (${err.code}); retrying in ${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

async function fetchOnce(content: LayerContent, tmp: string, opts: DownloadOptions): Promise<Downloaded> {
  const left = opts.budget.deadline - Date.now();
  if (left <= 0) throw new CloudError("the download did not start within the target's --timeout", { code: "RequestTimeout", provider: opts.provider, retryable: false });
  const abort = new AbortController();
  const idleMs = opts.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  let why: "idle" | "deadline" | null = null;
  const stop = (reason: "idle" | "deadline") => () => {
    why = reason;
    abort.abort();
  };
  let idle = setTimeout(stop("idle"), Math.min(idleMs, left));
  const overall = setTimeout(stop("deadline"), left);
  const sha = createHash("sha256");
  const crc = new Crc64();
  let bytes = 0;
  try {
    let res: IncomingMessage;
    try {
      res = await get(content.location, abort.signal);
    } catch (err) {
      throw transportError(err, why, opts.provider);
    }
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      const text = await readText(res).catch(() => "");
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP${status}`;
      const { retryable, unprocessed } = classifyStatus(status);
      throw new CloudError(`download of ${content.record.layerName} version ${content.record.version}: HTTP ${status} ${code}`, {
        code,
        provider: opts.provider,
        httpStatus: status,
        retryable,
        unprocessed,
        hint: status === 403 ? "the download link was refused (expired or altered); run the command again" : undefined,
      });
    }
    const declared = res.headers["content-length"];
    const total = declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : null;
    const out = createWriteStream(tmp);
    try {
      // One pass: each chunk is hashed, then written; a slow disk holds the socket back.
      await pipeline(
        res,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            clearTimeout(idle);
            idle = setTimeout(stop("idle"), idleMs);
            sha.update(chunk);
            crc.update(chunk);
            bytes += chunk.length;
            opts.progress?.(bytes, total);
            yield chunk;
          }
        },
        out,
      );
    } catch (err) {
      if (err instanceof LayerctlError) throw err;
      const e = err as NodeJS.ErrnoException;
      // A local write failure is the user's disk, not the cloud: not retried.
      if (e?.syscall === "open" || e?.syscall === "write" || e?.code === "ENOSPC" || e?.code === "EACCES") {
        throw new CloudError(`cannot write ${tmp}: ${e.message}`, { code: "WriteFailed", provider: opts.provider, retryable: false });
      }
      throw transportError(err, why, opts.provider, bytes);
    }
    if (total !== null && bytes !== total) {
      throw new CloudError(`the download ended after ${bytes} of ${total} bytes`, { code: "DownloadIncomplete", provider: opts.provider, retryable: true });
    }
    return { bytes, sha256: sha.digest("hex"), crc64: crc.decimal() };
  } finally {
    clearTimeout(idle);
    clearTimeout(overall);
  }
}

/** Redirects a download link may take (a store's region or CDN), as a browser would follow them. */
const MAX_REDIRECTS = 5;

/**
 * GET `url` (http or https), following redirects; the answer with a final status, its body unread.
 * Node's http client rather than fetch: a 40 MB download through fetch's web streams left ~80 MB
 * resident and cost half again the CPU, through http ~40 MB (copy holds two upload bodies after it).
 */
function get(url: string, signal: AbortSignal, redirects = MAX_REDIRECTS): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    let at: URL;
    try {
      at = new URL(url);
    } catch (err) {
      return reject(err);
    }
    if (at.protocol !== "http:" && at.protocol !== "https:") return reject(new Error(`the download link is not http(s): ${at.protocol}`));
    // No pooled socket: one download per link, and nothing left open to keep the process alive.
    const req = (at.protocol === "https:" ? https : http).get(at, { signal, agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location) {
        res.resume();
        if (redirects === 0) return reject(new Error(`the download link redirected more than ${MAX_REDIRECTS} times`));
        return resolve(get(new URL(location, at).href, signal, redirects - 1));
      }
      resolve(res);
    });
    req.on("error", reject);
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function transportError(err: unknown, why: "idle" | "deadline" | null, provider: ProviderName, bytes = 0): CloudError {
  if (why === "deadline")
    return new CloudError(`the download did not finish within the target's --timeout (${bytes} bytes in)`, { code: "RequestTimeout", provider, retryable: false });
  if (why === "idle") return new CloudError(`the download stalled (${bytes} bytes in, nothing more arrived)`, { code: "RequestTimeout", provider, retryable: true });
  // Node's http errors carry the socket's code; a wrapped one its cause's.
  const e = err as { code?: string; cause?: { code?: string } };
  const code = e?.cause?.code ?? e?.code;
  return new CloudError(`the download failed: ${(err as Error)?.message ?? String(err)}${code ? ` (${code})` : ""}`, {
    code: code && SOCKET_ERROR_CODES.has(code) ? "NetworkError" : "DownloadFailed",
    provider,
    retryable: true,
    cause: err,
  });
}

/** The downloaded bytes against what the cloud says it stores: a mismatch is an error, never a copy. */
function verify(got: Downloaded, content: LayerContent, provider: ProviderName): void {
  const d = content.digest;
  const where = `${content.record.layerName} version ${content.record.version}`;
  const mismatch = (what: string, theirs: string | number, ours: string | number) =>
    new CloudError(`the downloaded zip of ${where} does not match the cloud's checksum: ${what} is ${ours}, the cloud says ${theirs}`, {
      code: "ChecksumMismatch",
      provider,
      retryable: false,
      hint: "the download was damaged, or the stored layer is; nothing was kept: run the command again",
    });
  if (!d.sha256 && d.crc64 === undefined) {
    throw new CloudError(`${provider} reported no checksum for ${where}: the download cannot be verified`, { code: "ChecksumMissing", provider });
  }
  if (d.size !== undefined && d.size !== got.bytes) throw mismatch("the size", d.size, got.bytes);
  if (d.sha256 && d.sha256.toLowerCase() !== got.sha256) throw mismatch("SHA-256", d.sha256.toLowerCase(), got.sha256);
  if (d.crc64 !== undefined && d.crc64 !== got.crc64) throw mismatch("CRC-64", d.crc64, got.crc64);
}
