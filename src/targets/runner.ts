// The one target runner: every command that works per target resolves, connects (paced), runs each
// target's work under a budget made when that target starts, turns a throw into that target's
// failed record, and closes, here. --timeout and --concurrency are parsed here and nowhere else.
import type { Logger } from "../output/log.js";
import { startBudget, type Budget } from "../providers/budget.js";
import { defaultRetryPolicy } from "../providers/retry.js";
import { Traffic } from "../providers/traffic.js";
import type { ConnectOptions, ProviderClient } from "../providers/types.js";
import type { SeedFunction } from "../emulator/types.js";
import { DEFAULT_CONCURRENCY, parseConcurrency, parseTimeout } from "./run-options.js";
import { describeTarget } from "./describe.js";
import { resolveTargets, type EmbeddedEmulator, type ResolvedTargets, type Target, type TargetOptions } from "./resolve.js";

/** What a run is given as typed: the target options, --timeout (seconds) and --concurrency. */
export interface RunInput extends TargetOptions {
  timeout?: string;
}

/** --timeout and --concurrency, parsed once. `concurrency` is undefined when not given: the run picks its default. */
export interface RunSettings {
  timeoutMs: number;
  concurrency: number | undefined;
}

export function runSettings(input: { timeout?: string; concurrency?: string }): RunSettings {
  return { timeoutMs: parseTimeout(input.timeout), concurrency: input.concurrency === undefined ? undefined : parseConcurrency(input.concurrency) };
}

/** One target's work: its client bound to its budget. */
export interface TargetWork {
  target: Target;
  index: number;
  client: ProviderClient;
  budget: Budget;
}

export interface OpenOptions {
  /** --timeout and --concurrency when the caller parsed them first (to refuse them before anything else). */
  settings?: RunSettings;
  layerName?: string;
  /** The embedded emulator starts empty: the functions it should hold. */
  seedFunctions?: SeedFunction[];
  /** A dry run: a provider without credentials is planned anyway (no client for its targets). */
  credentialsOptional?: boolean;
  /** With --emulator: the run's embedded emulator, when the caller started one for several runs. */
  embedded?: EmbeddedEmulator;
  /** Targets the caller resolved (and closes itself). */
  resolved?: ResolvedTargets;
  /** Clients the caller connected to these targets (default: connected here, through a new Traffic). */
  connected?: ConnectedTargets;
  /** `all` regions are listed within --timeout (default: the listing's own 60 s). */
  boundListing?: boolean;
  /** The caller says where calls go (sayNote()) when its first call comes (default: once connected). */
  deferNote?: boolean;
}

/**
 * Targets a caller connected before the run (copy connects them while it downloads the zip), with
 * the Traffic their calls went through: the run paces on from there.
 */
export interface ConnectedTargets {
  traffic: Traffic;
  clients: ReadonlyMap<Target, Promise<ProviderClient>>;
}

export interface EachOptions<T> {
  /** A target's throw as its failed record (none: the throw ends the run). */
  failed?: (t: Target, err: unknown, index: number) => T;
  /** Targets at once, whatever --concurrency says (a step that must go one by one). */
  concurrency?: number;
  /** Targets at once when --concurrency is not given (default DEFAULT_CONCURRENCY). */
  fallback?: number;
  /** Continue each target's budget from an earlier step (e.g. attaching after publishing) rather than start a new one. */
  budgets?: ReadonlyArray<Budget | undefined>;
}

export class TargetRun {
  private noted = false;

  constructor(
    readonly targets: Target[],
    private readonly clients: Array<ProviderClient | null>,
    readonly settings: RunSettings,
    private readonly log: Logger,
    private readonly note: string | undefined,
    private readonly closeTargets: () => Promise<void>,
    /** The run's one Traffic: pacing per provider and region, and the upload budget. */
    readonly traffic: Traffic,
    /** With optional credentials: what was missing, one line per provider. */
    readonly uncredentialed: string[] = [],
  ) {}

  get timeoutMs(): number {
    return this.settings.timeoutMs;
  }

  /** --concurrency, or `fallback` when it was not given. */
  concurrency(fallback = DEFAULT_CONCURRENCY): number {
    return this.settings.concurrency ?? fallback;
  }

  /** Says where calls go when that is the embedded emulator, once. */
  sayNote(): void {
    if (this.note && !this.noted) this.log.info(this.note);
    this.noted = true;
  }

  /** The same run over the targets `keep` marks (--resume); closing stays with this one. */
  select(keep: boolean[]): TargetRun {
    const run = new TargetRun(
      this.targets.filter((_, i) => keep[i]),
      this.clients.filter((_, i) => keep[i]),
      this.settings,
      this.log,
      this.note,
      this.closeTargets,
      this.traffic,
      this.uncredentialed,
    );
    run.noted = this.noted;
    return run;
  }

  /**
   * Runs `work` on every target, at most `concurrency` at once, each under a budget made when it
   * starts (or the one it continues): one target's failure does not hide the others.
   */
  async each<T>(work: (w: TargetWork) => Promise<T>, opts: EachOptions<T> = {}): Promise<T[]> {
    return mapTargets(
      this.targets,
      async (target, index) => {
        try {
          const client = this.clients[index];
          if (!client) throw new Error(`${describeTarget(target)}: no client (a dry run's target without credentials calls nothing)`);
          const budget = opts.budgets?.[index] ?? startBudget(this.timeoutMs);
          return await work({ target, index, client: client.within(budget), budget });
        } catch (err) {
          if (!opts.failed) throw err;
          return opts.failed(target, err, index);
        }
      },
      opts.concurrency ?? this.concurrency(opts.fallback),
    );
  }

  /** What a further client of this target (its object storage) connects with: this run's pacing, `budget`. */
  connectOptions(target: Target, budget: Budget): ConnectOptions {
    return connectOptions(target, { timeoutMs: this.timeoutMs, log: this.log, traffic: this.traffic, budget });
  }

  /** Stops the embedded emulator, if this run started one. */
  close(): Promise<void> {
    return this.closeTargets();
  }
}

/**
 * Resolves and connects every target. Connecting is local (SDK import, client set-up): a mistake
 * found there is a usage error for the whole run, before any call. One Traffic for the run:
 * every target's calls are paced per provider and region and share the upload budget.
 */
export async function openTargets(input: RunInput, ctx: { env: NodeJS.ProcessEnv; log: Logger }, opts: OpenOptions = {}): Promise<TargetRun> {
  const settings = opts.settings ?? runSettings(input);
  const resolved =
    opts.resolved !== undefined
      ? { ...opts.resolved, close: async () => {} }
      : await resolveTargets(input, {
          env: ctx.env,
          log: ctx.log,
          layerName: opts.layerName,
          seedFunctions: opts.seedFunctions,
          credentialsOptional: opts.credentialsOptional,
          embedded: opts.embedded,
          timeoutMs: opts.boundListing ? settings.timeoutMs : undefined,
        });
  try {
    const traffic = opts.connected?.traffic ?? new Traffic();
    const connect = (t: Target) => opts.connected?.clients.get(t) ?? connectTarget(t, { timeoutMs: settings.timeoutMs, log: ctx.log, traffic });
    const clients = await Promise.all(resolved.targets.map((t) => (t.credentials ? connect(t) : null)));
    const run = new TargetRun(resolved.targets, clients, settings, ctx.log, resolved.note, resolved.close, traffic, resolved.uncredentialed);
    if (!opts.deferNote) run.sayNote();
    return run;
  } catch (err) {
    await resolved.close();
    throw err;
  }
}

/** openTargets, `body`, and the close however `body` ends. */
export async function withTargets<R>(input: RunInput, ctx: { env: NodeJS.ProcessEnv; log: Logger }, opts: OpenOptions, body: (run: TargetRun) => Promise<R>): Promise<R> {
  const run = await openTargets(input, ctx, opts);
  try {
    return await body(run);
  } finally {
    await run.close();
  }
}

/** The common case: every target's work, a throw as that target's failed record. */
export function eachTarget<T>(
  input: RunInput,
  ctx: { env: NodeJS.ProcessEnv; log: Logger },
  /** `concurrency`: targets at once when --concurrency is not given. */
  opts: OpenOptions & { concurrency?: number },
  work: (w: TargetWork) => Promise<T>,
  failed: (t: Target, err: unknown) => T,
): Promise<T[]> {
  return withTargets(input, ctx, opts, (run) => run.each(work, { failed, fallback: opts.concurrency }));
}

/** Bounded concurrency over targets; `fn` is expected to turn its own failures into records. */
export async function mapTargets<T>(targets: Target[], fn: (t: Target, index: number) => Promise<T>, limit = DEFAULT_CONCURRENCY): Promise<T[]> {
  const results = new Array<T>(targets.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, targets.length) }, async () => {
    while (next < targets.length) {
      const i = next++;
      results[i] = await fn(targets[i]!, i);
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * A client for one target, outside any budget: each piece of work binds it to its own with
 * `within(budget)` (the runner does, when the target starts). `traffic` is the run's one Traffic.
 */
export function connectTarget(t: Target, opts: { timeoutMs: number; log: Logger; traffic: Traffic; budget?: Budget }): Promise<ProviderClient> {
  return t.provider.connect(connectOptions(t, opts));
}

function connectOptions(t: Target, opts: { timeoutMs: number; log: Logger; traffic: Traffic; budget?: Budget }): ConnectOptions {
  if (t.credentials === null) throw new Error(`${describeTarget(t)}: connect without credentials (only a dry run may have none)`);
  return {
    region: t.region,
    endpoint: t.endpoint,
    credentials: t.credentials,
    requestTimeoutMs: opts.timeoutMs,
    retry: defaultRetryPolicy,
    budget: opts.budget,
    log: opts.log,
    traffic: opts.traffic.forTarget(t.provider.name, t.region, t.provider.limits.requestRate),
  };
}
