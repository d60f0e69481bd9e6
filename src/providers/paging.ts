// Reading every page of a listing, the same way for every cloud: a token that repeats or a
// service that never stops paging ends the loop instead of running forever.
import type { Logger } from "../output/log.js";

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
    if (seen.has(next)) {
      log.debug(`${name}: the next-page token repeats after ${page} pages; stopped paging`);
      return out;
    }
    if (page >= MAX_PAGES) {
      log.warn(`${name}: read the first ${MAX_PAGES} pages only (the service kept paging)`);
      return out;
    }
    seen.add(next);
    token = next;
  }
}

/** Offset paging (Tencent): the next offset while the total is not reached and the page was not empty. */
export function nextOffset(offset: number, received: number, total: number | undefined): string | undefined {
  const next = offset + received;
  return received > 0 && total !== undefined && next < total ? String(next) : undefined;
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
