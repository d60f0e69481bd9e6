// What every target of one run shares on the way to the clouds: request pacing per provider and
// region (below the documented rate limits, so every region in flight never sets off a throttling
// storm), and a bound on the bytes upload bodies hold in memory (Tencent's SDK builds each
// upload's JSON body of the zip itself; AWS and Aliyun send one shared body per cloud, counted
// once, dropped when no upload holds it).
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

/**
 * Spaces the calls of one key evenly, in the order they ask, at most `perSecond` a second. Calls
 * are let go one at a time, each a full spacing after the one before it *was let go*: slots booked
 * ahead would all fall due together after the event loop stalls (a busy CPU, a big body being
 * built), and a cloud that counts arrivals in a window would turn the bunch away.
 */
export class Pacer {
  /** When each key last let a call go. */
  private readonly last = new Map<string, number>();
  /** The call each key lets go next waits for this one (the queue, in the order asked). */
  private readonly tail = new Map<string, Promise<void>>();

  constructor(private readonly clock: Clock = realClock) {}

  /** Resolves when the call may be sent; returns the delay it waited (ms). */
  async wait(key: string, perSecond: number): Promise<number> {
    const spacing = 1000 / (perSecond * HEADROOM);
    const asked = this.clock.now();
    const before = this.tail.get(key);
    let letGo!: () => void;
    const mine = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    this.tail.set(key, mine);
    try {
      if (before !== undefined) await before;
      for (;;) {
        const now = this.clock.now();
        const since = now - (this.last.get(key) ?? Number.NEGATIVE_INFINITY);
        if (since >= spacing) {
          this.last.set(key, now);
          return now - asked;
        }
        await this.clock.sleep(spacing - since);
      }
    } finally {
      letGo();
      if (this.tail.get(key) === mine) this.tail.delete(key);
    }
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

/** A body several uploads send as one buffer (./inline-body.ts), told when none holds it any more. */
export interface SharedBodyHold {
  /** No upload in flight holds the body: it may be dropped (and built again by a later one). */
  idle(): void;
}

/** One target's view of the run's traffic: awaited before every attempt of every call. */
export interface TargetTraffic {
  /**
   * Waits for the call's turn; the returned function ends its hold on the upload budget. `shared`
   * names a body several uploads send as one buffer (./inline-body.ts): it is held in memory once,
   * so it counts against the budget once, however many uploads of it are in flight.
   */
  gate(action: string, uploadBytes: number, shared?: SharedBodyHold): Promise<() => void>;
}

/**
 * Bytes of request bodies held by the uploads in flight (CloudCall.heldBytes). AWS and Aliyun
 * uploads of one zip share one body per cloud (./inline-body.ts), held while some upload of it is
 * in flight, and count its size; Tencent's SDK builds three copies of its own per upload and counts
 * them. 112 MiB lets two clouds take the body of a 40 MiB zip (53.4 MiB each: 106.7 MiB) at once,
 * so a copy to AWS and Aliyun sends both clouds' uploads together (at 104 MiB, the figure this
 * comment once gave for it, Aliyun's three uploads waited for AWS's: 3.5 s instead of 2.9 s), and
 * holds Tencent to two uploads of a 10 MiB zip at a time (40 MiB each): at 128 MiB a third one's
 * copies, and the garbage they leave, took a publish of a 10 MiB zip to every region past 300 MB
 * resident (64 MiB kept it at ~230 MB but ran Tencent's uploads one by one, twice the wall time).
 */
export const UPLOAD_BUDGET_BYTES = 112 * 1024 * 1024;

export class Traffic {
  readonly uploads: ByteBudget;
  private readonly pacer: Pacer;

  constructor(opts: { uploadBudgetBytes?: number; clock?: Clock } = {}) {
    this.uploads = new ByteBudget(opts.uploadBudgetBytes ?? UPLOAD_BUDGET_BYTES);
    this.pacer = new Pacer(opts.clock);
  }

  private readonly sharedHolds = new Map<SharedBodyHold, { users: number; held: Promise<() => void> }>();

  /** The budget for a shared body: taken by its first upload in flight, given back by its last (and the body told it is idle). */
  private async takeShared(shared: SharedBodyHold, bytes: number): Promise<() => void> {
    let hold = this.sharedHolds.get(shared);
    if (!hold) {
      hold = { users: 0, held: this.uploads.take(bytes) };
      this.sharedHolds.set(shared, hold);
    }
    hold.users++;
    const release = await hold.held;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--hold.users === 0) {
        this.sharedHolds.delete(shared);
        shared.idle();
        release();
      }
    };
  }

  forTarget(provider: ProviderName, region: string, rate: RateRule | null): TargetTraffic {
    return {
      gate: async (action, uploadBytes, shared) => {
        // The budget first: a call waiting for bytes must not hold a paced slot meanwhile.
        const release = uploadBytes <= 0 ? () => {} : shared ? await this.takeShared(shared, uploadBytes) : await this.uploads.take(uploadBytes);
        if (rate) await this.pacer.wait(rate.scope === "action" ? `${provider} ${region} ${action}` : `${provider} ${region}`, rate.perSecond);
        return release;
      },
    };
  }
}
