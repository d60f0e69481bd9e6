import { describe, expect, it } from "vitest";
import { CloudError, UsageError } from "../../src/errors.js";
import { backoffDelay, withRetry } from "../../src/providers/retry.js";
import { startBudget } from "../../src/providers/budget.js";

const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };

describe("withRetry", () => {
  it("retries retryable errors with growing, bounded delays and then succeeds", async () => {
    const delays: number[] = [];
    let n = 0;
    const result = await withRetry(
      policy,
      async () => {
        if (++n < 4) throw new CloudError("slow down", { code: "Throttled", retryable: true });
        return "ok";
      },
      { sleep: async (ms) => void delays.push(ms), random: () => 1 },
    );
    expect(result).toBe("ok");
    expect(delays).toEqual([100, 200, 400]);
  });

  it("stops after maxAttempts and rethrows the last error", async () => {
    let n = 0;
    const err = await withRetry(
      policy,
      async () => {
        n++;
        throw new CloudError("boom", { code: "InternalError", retryable: true });
      },
      { sleep: async () => {} },
    ).catch((e) => e);
    expect(err.code).toBe("InternalError");
    expect(n).toBe(4);
  });

  it("does not retry what is not retryable", async () => {
    let n = 0;
    await expect(
      withRetry(
        policy,
        async () => {
          n++;
          throw new UsageError("bad");
        },
        { sleep: async () => {} },
      ),
    ).rejects.toThrow("bad");
    expect(n).toBe(1);
  });

  it("starts no attempt after the deadline", async () => {
    const budget = startBudget(150);
    let n = 0;
    const attempt = async () => {
      n++;
      throw new CloudError("slow", { code: "RequestTimeout", retryable: true });
    };
    const err = await withRetry(policy, attempt, { budget, sleep: async () => {}, random: () => 1 }).catch((e) => e);
    expect(err.code).toBe("RequestTimeout");
    // delays of 100 then 200 ms: the second would end past the deadline
    expect(n).toBe(2);
  });

  it("honours Retry-After as a floor, capped by the policy", () => {
    expect(backoffDelay(policy, 1, () => 0, 700)).toBe(700);
    expect(backoffDelay(policy, 1, () => 0, 60_000)).toBe(1_000);
    expect(backoffDelay(policy, 10, () => 1)).toBe(1_000);
  });
});
