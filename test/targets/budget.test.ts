// A target's budget is made when that target starts and never changes; the runner binds each
// target's client to it and turns a target's throw into that target's failed record.
import { describe, expect, it, vi } from "vitest";
import { silentLogger } from "../../src/output/log.js";
import { extendBudget, startBudget, type Budget } from "../../src/providers/budget.js";
import { lookupBudget, LOOKUP_GRACE_MS } from "../../src/providers/retry.js";
import { Traffic } from "../../src/providers/traffic.js";
import type { ProviderClient } from "../../src/providers/types.js";
import type { Target } from "../../src/targets/resolve.js";
import { runSettings, TargetRun } from "../../src/targets/runner.js";

describe("budget", () => {
  it("cannot be changed: a later end is a new budget, the first left as it was", () => {
    const b = startBudget(1_000, 5_000);
    expect(b.deadline).toBe(6_000);
    expect(() => {
      (b as { deadline: number }).deadline = 10_000;
    }).toThrow(TypeError);
    const wider = extendBudget(b, 60_000);
    expect(wider).not.toBe(b);
    expect(wider.deadline).toBeGreaterThanOrEqual(Date.now() + 59_000);
    expect(b.deadline).toBe(6_000);
  });

  it("a lookup gets at least the grace past now, and never less than the target's own", () => {
    const spent = startBudget(0);
    expect(lookupBudget(spent).deadline).toBeGreaterThanOrEqual(Date.now() + LOOKUP_GRACE_MS - 50);
    const long = startBudget(600_000);
    expect(lookupBudget(long).deadline).toBe(long.deadline);
    expect(lookupBudget(undefined).remaining()).toBeGreaterThan(0);
  });

  it("remaining() counts down to 0 and the signal aborts at the deadline", async () => {
    const b = startBudget(20);
    expect(b.remaining()).toBeLessThanOrEqual(20);
    expect(b.signal.aborted).toBe(false);
    await new Promise<void>((resolve) => b.signal.addEventListener("abort", () => resolve()));
    expect(b.remaining()).toBe(0);
  });
});

describe("TargetRun.each", () => {
  const targets = ["a", "b", "c"].map((region) => ({ provider: { name: "aws" }, region }) as unknown as Target);
  /** A client that says which budget it was bound to. */
  const client = (): ProviderClient => ({ within: (budget: Budget) => ({ budget }) }) as unknown as ProviderClient;
  const open = (settings = runSettings({ timeout: "10", concurrency: "1" })) =>
    new TargetRun(targets, targets.map(client), settings, silentLogger, undefined, async () => {}, new Traffic());

  it("starts each target's budget when that target starts, and binds its client to it", async () => {
    // A clock that each target's work moves on by a second.
    let now = 1_000_000;
    const clock = vi.spyOn(Date, "now").mockImplementation(() => now);
    const seen: Array<{ started: number; budget: Budget; bound: Budget }> = [];
    try {
      await open().each(async ({ client, budget }) => {
        seen.push({ started: now, budget, bound: (client as unknown as { budget: Budget }).budget });
        now += 1_000;
      });
    } finally {
      clock.mockRestore();
    }
    expect(seen.map((s) => s.budget.deadline)).toEqual([1_010_000, 1_011_000, 1_012_000]);
    for (const s of seen) expect(s.bound).toBe(s.budget);
  });

  it("continues a budget it is given instead of starting a new one", async () => {
    const earlier = targets.map(() => startBudget(1_000));
    const got = await open().each(async ({ budget }) => budget, { budgets: earlier });
    expect(got).toEqual(earlier);
  });

  it("turns a target's throw into that target's failed record, the others going on", async () => {
    const out = await open(runSettings({})).each(
      async ({ target }) => {
        if (target.region === "b") throw new Error("boom");
        return `ok ${target.region}`;
      },
      { failed: (t, err) => `failed ${t.region}: ${(err as Error).message}` },
    );
    expect(out).toEqual(["ok a", "failed b: boom", "ok c"]);
  });
});
