// Pacing and the upload budget with a hand-stepped clock: the order and spacing of calls, not
// how long anything took.
import { describe, expect, it } from "vitest";
import { ByteBudget, Pacer, Traffic, type Clock } from "../../src/providers/traffic.js";

/** A clock that only moves when a sleeper is woken: sleep(ms) moves it on by ms and records the wake-up time. */
function steppedClock(): Clock & { wakes: number[] } {
  let now = 1_000;
  const wakes: number[] = [];
  return {
    wakes,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      wakes.push(now);
    },
  };
}

/**
 * Timers on a virtual clock, fired in time order by run(); stallNext(ms) makes the next one fire
 * that much late, as a busy event loop does, with the timers due meanwhile firing right after it.
 */
function timerClock(): Clock & { run(): Promise<void>; stallNext(ms: number): void } {
  let now = 1_000;
  let stall = 0;
  const timers: Array<{ at: number; fire: () => void }> = [];
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    sleep: (ms) => new Promise<void>((fire) => timers.push({ at: now + ms, fire })),
    stallNext: (ms) => {
      stall = ms;
    },
    run: async () => {
      for (await settle(); timers.length > 0; await settle()) {
        timers.sort((a, b) => a.at - b.at);
        const timer = timers.shift()!;
        now = Math.max(now, timer.at + stall);
        stall = 0;
        timer.fire();
      }
    },
  };
}

describe("Pacer", () => {
  const key = "tencent ap-guangzhou GetLayerVersion";

  /** When each of `n` calls asked at once is let go. */
  async function releases(clock: ReturnType<typeof timerClock>, n: number): Promise<number[]> {
    const pacer = new Pacer(clock);
    const at: number[] = [];
    const all = Promise.all(Array.from({ length: n }, () => pacer.wait(key, 20).then(() => at.push(clock.now()))));
    await clock.run();
    await all;
    return at;
  }

  it("spaces a burst on one key evenly, below the rate, in the order asked", async () => {
    const clock = timerClock();
    const pacer = new Pacer(clock);
    const waits = Array.from({ length: 5 }, () => pacer.wait(key, 20));
    await clock.run();
    const delays = await Promise.all(waits);
    expect(delays[0]).toBe(0);
    for (let i = 1; i < delays.length; i++) expect(delays[i]! - delays[i - 1]!).toBeGreaterThanOrEqual(1000 / 20);
    // No more than 20 start in any one-second window.
    const starts = delays.map((d) => 1_000 + d);
    for (const s of starts) expect(starts.filter((t) => t >= s && t < s + 1000).length).toBeLessThanOrEqual(20);
  });

  it("after a late wake-up (a stalled event loop) the calls behind it still go one spacing apart", async () => {
    const clock = timerClock();
    clock.stallNext(400);
    const at = await releases(clock, 8);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(400); // the stall happened
    // Slots booked ahead would all be due by then and go together with the late one.
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(1000 / 20);
  });

  it("keeps keys apart: another region or action does not wait", async () => {
    const clock = timerClock();
    const pacer = new Pacer(clock);
    await pacer.wait(key, 20);
    expect(await pacer.wait("tencent ap-shanghai GetLayerVersion", 20)).toBe(0);
    expect(await pacer.wait("tencent ap-guangzhou ListLayerVersions", 20)).toBe(0);
    const again = pacer.wait(key, 20);
    await clock.run();
    expect(await again).toBeGreaterThan(0);
  });
});

describe("ByteBudget", () => {
  it("holds an upload back until the bytes in flight fit, first come first served", async () => {
    const budget = new ByteBudget(64);
    const order: string[] = [];
    const releaseA = await budget.take(40);
    const b = budget.take(40).then((release) => {
      order.push("b");
      return release;
    });
    const c = budget.take(10).then((release) => {
      order.push("c");
      return release;
    });
    await Promise.resolve();
    expect(order).toEqual([]); // c would fit, but b asked first
    expect(budget.inFlight).toBe(40);
    releaseA();
    const releaseB = await b;
    const releaseC = await c;
    expect(order).toEqual(["b", "c"]);
    expect(budget.inFlight).toBe(50);
    releaseB();
    releaseC();
    releaseC(); // a second release changes nothing
    expect(budget.inFlight).toBe(0);
  });

  it("lets an upload larger than the budget go alone rather than never", async () => {
    const budget = new ByteBudget(64);
    const release = await budget.take(100);
    expect(budget.inFlight).toBe(100);
    release();
  });
});

describe("Traffic", () => {
  it("paces per region for AWS (all actions) and per action for Tencent, from the provider's rule", async () => {
    const clock = steppedClock();
    const traffic = new Traffic({ clock });
    const aws = traffic.forTarget("aws", "us-east-1", { perSecond: 15, scope: "region" });
    const tencent = traffic.forTarget("tencent", "ap-guangzhou", { perSecond: 20, scope: "action" });
    await aws.gate("ListLayerVersions", 0);
    await aws.gate("GetLayerVersion", 0);
    await tencent.gate("ListLayerVersions", 0);
    await tencent.gate("GetLayerVersion", 0);
    expect(clock.wakes).toHaveLength(1); // only AWS's second call, same region, other action
  });

  it("holds the upload budget until the call ends", async () => {
    const traffic = new Traffic({ uploadBudgetBytes: 64, clock: steppedClock() });
    const target = traffic.forTarget("aliyun", "cn-hangzhou", null);
    const release = await target.gate("CreateLayerVersion", 50);
    expect(traffic.uploads.inFlight).toBe(50);
    release();
    expect(traffic.uploads.inFlight).toBe(0);
  });

  it("counts a body several uploads share once, however many are in flight; another body still waits", async () => {
    const traffic = new Traffic({ uploadBudgetBytes: 64, clock: steppedClock() });
    let idle = 0;
    const body = { idle: () => idle++ };
    const targets = ["us-east-1", "eu-west-1", "us-west-2"].map((r) => traffic.forTarget("aws", r, null));
    const shared = await Promise.all(targets.map((t) => t.gate("PublishLayerVersion", 50, body)));
    expect(traffic.uploads.inFlight).toBe(50);
    let otherGot = false;
    const other = traffic
      .forTarget("tencent", "ap-guangzhou", null)
      .gate("PublishLayerVersion", 50)
      .then((r) => {
        otherGot = true;
        return r;
      });
    await Promise.resolve();
    expect(otherGot).toBe(false);
    shared[0]!();
    shared[1]!();
    await Promise.resolve();
    expect(otherGot).toBe(false);
    expect(traffic.uploads.inFlight).toBe(50);
    expect(idle).toBe(0); // still held by one upload
    shared[2]!();
    expect(idle).toBe(1); // the last upload of it ended: the body may go
    (await other)();
    expect(otherGot).toBe(true);
    expect(traffic.uploads.inFlight).toBe(0);
  });
});
