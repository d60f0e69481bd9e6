// Reading every page of a listing, the same way for every cloud. Paging stops only on a
// well-formed last page: a token that repeats, a service that never stops paging or an offset
// listing whose pages run dry before its total are unreadable listings (decisions such as prune's
// must never rest on part of a list), not the end of one.
import { CloudError } from "../errors.js";
import type { Logger } from "../output/log.js";
import { UNREADABLE_HINT } from "./answers.js";

export interface Page<T> {
  items: T[];
  /** Token (marker, next token or offset) of the next page; undefined on the last page. */
  next: string | undefined;
}

/** 10,000 pages: far beyond any real account, and a bound on a service that never stops paging. */
const MAX_PAGES = 10_000;

export async function collectPages<T>(name: string, log: Pick<Logger, "debug" | "warn">, fetchPage: (token: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 1; ; page++) {
    const { items, next } = await fetchPage(token);
    out.push(...items);
    if (!next) return out;
    // A token we already followed leads to pages we already have, and round again forever.
    if (seen.has(next)) throw unending(name, `the next-page token repeats after ${page} pages`);
    if (page >= MAX_PAGES) throw unending(name, `the service kept paging after ${MAX_PAGES} pages`);
    log.debug(`${name}: page ${page} read, ${out.length} items so far`);
    seen.add(next);
    token = next;
  }
}

/** A listing that never reaches its last page: unreadable, so nothing is decided from its first pages. */
export function unending(name: string, why: string): CloudError {
  return new CloudError(`${name}: the listing could not be read to its end (${why})`, { code: "InvalidResponse", retryable: true, hint: UNREADABLE_HINT });
}

/**
 * Offset paging (Tencent): the next offset while the total is not reached; an empty page before
 * the total is reached is an unreadable listing, not its end.
 */
export function nextOffset(offset: number, received: number, total: number, name = "listing"): string | undefined {
  const next = offset + received;
  if (next >= total) return undefined;
  if (received === 0) throw unending(name, `an empty page at offset ${offset} of ${total} items`);
  return String(next);
}

/** Runs fn over items with at most `limit` at a time (reads of many functions must not throttle the account). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}
