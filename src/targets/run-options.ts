// --timeout and --concurrency as typed: the target runner (./runner.ts) parses them, once per run.
import { UsageError } from "../errors.js";

export const DEFAULT_TIMEOUT_S = 300;

/** Node timers take at most 2^31-1 ms (~24.8 days); a day is far beyond any upload. */
const MAX_TIMEOUT_S = 86_400;

export function parseTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_S * 1000;
  const s = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!(s >= 1) || s > MAX_TIMEOUT_S) {
    throw new UsageError(`--timeout must be a number of seconds from 1 to ${MAX_TIMEOUT_S}, not "${value}"`, { code: "InvalidTimeout" });
  }
  return Math.round(s * 1000);
}

/** Large enough that a typical release (3 clouds x 4-5 regions) runs all at once. */
export const DEFAULT_CONCURRENCY = 16;
/**
 * Targets at once where a run holds no big upload per target (reads; publishes of small zips):
 * every region of the three clouds (79 today) at once. Calls stay paced per provider and region
 * below the documented rates (../../providers/traffic.ts), so more targets in flight never means
 * more calls per second to one region.
 */
export const FLEET_CONCURRENCY = 128;
const MAX_CONCURRENCY = 256;

export function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_CONCURRENCY)) {
    throw new UsageError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, not "${value}"`, { code: "InvalidConcurrency" });
  }
  return n;
}
