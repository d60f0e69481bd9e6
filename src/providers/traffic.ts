// What every target of one run shares on the way to the clouds: request pacing per provider and
// region (below the documented rate limits, so 16 targets in flight never set off a throttling
// storm), and a bound on the bytes of uploads in flight (Tencent's SDK builds each upload's
// JSON body of the zip itself, and all uploads share one uplink).
import type { ProviderName } from "./names.js";

/** A provider's documented request rate, and what it is counted per. */
export interface RateRule {
  perSecond: number;
  /** "action": each API action has its own limit (Tencent); "region": all calls share one (AWS). */
  scope: "action" | "region";
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/**
 * We pace at this share of a documented limit: timers fire late, never early, so a call woken
 * late and the next one on time can land closer together than the spacing.
 */
const HEADROOM = 0.9;

/** Spaces the calls of one key evenly, in the order they ask, at most `perSecond` a second. */
export class Pacer {
  private readonly next = new Map<string, number>();

  constructor(private readonly clock: Clock = realClock) {}

  /** Resolves when the call may be sent; returns the delay it waited (ms). */
  async wait(key: string, perSecond: number): Promise<number> {
    const now = this.clock.now();
    const at = Math.max(now, this.next.get(key) ?? now);
    this.next.set(key, at + 1000 / (perSecond * HEADROOM));
    if (at > now) await this.clock.sleep(at - now);
    return at - now;
  }
}

/** At most `limit` bytes of uploads at a time, first come first served; one larger upload goes alone. */
export class ByteBudget {
  private used = 0;
  private readonly waiting: Array<{ bytes: number; go: () => void }> = [];

  constructor(readonly limit: number) {}

  get inFlight(): number {
    return this.used;
  }

  async take(bytes: number): Promise<() => void> {
    if (this.waiting.length === 0 && this.fits(bytes)) this.used += bytes;
    else await new Promise<void>((go) => this.waiting.push({ bytes, go }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= bytes;
      while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
        const next = this.waiting.shift()!;
        this.used += next.bytes;
        next.go();
      }
    };
  }

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.limit;
  }
}

/** One target's view of the run's traffic: awaited before every attempt of every call. */
export interface TargetTraffic {
  /** Waits for the call's turn; the returned function ends its hold on the upload budget. */
  gate(action: string, uploadBytes: number): Promise<() => void>;
}

/**
 * Bytes of request bodies held by the uploads in flight (CloudCall.heldBytes). AWS and Aliyun
 * uploads of one zip share one body (./inline-body.ts) and count its size; Tencent's SDK builds
 * three copies of its own per upload and counts them. Parallel uploads only split one uplink
 * anyway: 64 MiB keeps a release of big zips to many targets within a few hundred MB, and lets
 * small layers go to every target at once.
 */
export const UPLOAD_BUDGET_BYTES = 64 * 1024 * 1024;

export class Traffic {
  readonly uploads: ByteBudget;
  private readonly pacer: Pacer;

  constructor(opts: { uploadBudgetBytes?: number; clock?: Clock } = {}) {
    this.uploads = new ByteBudget(opts.uploadBudgetBytes ?? UPLOAD_BUDGET_BYTES);
    this.pacer = new Pacer(opts.clock);
  }

  forTarget(provider: ProviderName, region: string, rate: RateRule | null): TargetTraffic {
    return {
      gate: async (action, uploadBytes) => {
        // The budget first: a call waiting for bytes must not hold a paced slot meanwhile.
        const release = uploadBytes > 0 ? await this.uploads.take(uploadBytes) : () => {};
        if (rate) await this.pacer.wait(rate.scope === "action" ? `${provider} ${region} ${action}` : `${provider} ${region}`, rate.perSecond);
        return release;
      },
    };
  }
}
