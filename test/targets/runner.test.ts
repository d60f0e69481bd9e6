// How many targets run at once: --concurrency, default 16 (a typical release runs all at once).
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { DEFAULT_CONCURRENCY, parseConcurrency } from "../../src/targets/run-options.js";
import { mapTargets } from "../../src/targets/runner.js";
import type { Target } from "../../src/targets/resolve.js";

const targets = Array.from({ length: 20 }, (_, i) => ({ region: `r${i}` }) as unknown as Target);

async function peakInFlight(limit?: number): Promise<number> {
  let running = 0;
  let peak = 0;
  const gates: Array<() => void> = [];
  const done = mapTargets(
    targets,
    async () => {
      peak = Math.max(peak, ++running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running--;
    },
    limit,
  );
  // Release the targets one by one as they start, so every slot gets filled before any ends.
  while (gates.length > 0 || running > 0) {
    await new Promise((resolve) => setImmediate(resolve));
    gates.shift()?.();
  }
  await done;
  return peak;
}

describe("target concurrency", () => {
  it("runs up to 16 targets at once by default, and as many as --concurrency says", async () => {
    expect(DEFAULT_CONCURRENCY).toBe(16);
    expect(await peakInFlight()).toBe(16);
    expect(await peakInFlight(parseConcurrency("3"))).toBe(3);
  });

  it("--concurrency takes a whole number from 1 to 256", () => {
    expect(parseConcurrency(undefined)).toBe(16);
    expect(parseConcurrency(" 1 ")).toBe(1);
    for (const bad of ["0", "-1", "2.5", "x", "", "257"]) {
      expect(() => parseConcurrency(bad)).toThrow(UsageError);
      expect(() => parseConcurrency(bad)).toThrow(/--concurrency must be a whole number/);
    }
  });
});
