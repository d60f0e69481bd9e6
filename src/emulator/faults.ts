// Fault injection and rate limiting, applied by the router before a cloud module sees a call,
// so every cloud gets the same fault vocabulary with its own error shapes.
import type { ProviderName } from "../errors.js";
import type { FaultController, FaultKind, FaultRule } from "./types.js";

interface ActiveRule extends FaultRule {
  remaining: number;
}

export interface FaultDecision {
  latencyMs: number;
  /** The one non-latency fault to apply, if any. */
  kind: Exclude<FaultKind, "latency"> | "rate-limited" | null;
}

export class Faults implements FaultController {
  private rules: ActiveRule[] = [];
  private rateLimit: number | null = null;
  private readonly windows = new Map<string, number[]>();
  private readonly calls = new Map<string, number>();

  constructor(rules: FaultRule[] = [], rateLimit: number | null = null) {
    for (const r of rules) this.add(r);
    this.rateLimit = rateLimit;
  }

  add(rule: FaultRule): void {
    if (rule.kind === "latency" && !(rule.latencyMs && rule.latencyMs > 0)) {
      throw new Error("a latency fault needs latencyMs > 0");
    }
    this.rules.push({ ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
    this.windows.clear();
  }

  setRateLimit(perSecond: number | null): void {
    this.rateLimit = perSecond;
  }

  counts(): Record<string, number> {
    return Object.fromEntries(this.calls);
  }

  /** Decide what happens to one call; consumes `times` of the rules that fire. */
  decide(provider: ProviderName, action: string, now: number): FaultDecision {
    const key = `${provider}:${action}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);

    const decision: FaultDecision = { latencyMs: 0, kind: null };
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      if (rule.provider !== "*" && rule.provider !== provider) continue;
      if (rule.action !== "*" && rule.action !== action) continue;
      if (rule.kind === "latency") {
        decision.latencyMs += rule.latencyMs ?? 0;
        rule.remaining--;
      } else if (decision.kind === null) {
        decision.kind = rule.kind;
        rule.remaining--;
      }
    }
    if (decision.kind === null && this.overRate(key, now)) decision.kind = "rate-limited";
    return decision;
  }

  // Sliding one-second window per provider+action, as the clouds document their limits.
  private overRate(key: string, now: number): boolean {
    if (this.rateLimit === null) return false;
    const times = (this.windows.get(key) ?? []).filter((t) => now - t < 1000);
    const over = times.length >= this.rateLimit;
    if (!over) times.push(now);
    this.windows.set(key, times);
    return over;
  }
}
