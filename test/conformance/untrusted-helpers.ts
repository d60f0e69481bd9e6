// What the untrusted-answer conformance files share: the fault kinds and small helpers.
import type { FaultKind } from "../../src/emulator/types.js";

export const INCOMPLETE: FaultKind[] = ["empty-body", "hollow", "no-list", "truncate-chunked"];
/** Answers lost after the call was carried out: the old kinds and the new. */
export const LOST: FaultKind[] = ["lost-response", "truncate", "stall", ...INCOMPLETE];
/** The same, without a stall (each stall costs a whole attempt's timeout; publish covers it). */
export const CUT: FaultKind[] = LOST.filter((k) => k !== "stall");
export const fastRetry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
export const wait = { waitTimeoutMs: 10_000, pollIntervalMs: 5 };

/** A read's result without its request ids (each answer has its own). */
export function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== "requestId")
      .map(([k, v]) => [k, withoutIds(v)]),
  );
}
