// Runs one operation per target with bounded concurrency, and one region's failure does not abort
// the others. Targets do not throttle each other: their calls share the run's Traffic (pacing
// per provider and region below the documented limits, and a bound on upload bytes in flight).
import type { Logger } from "../../output/log.js";
import { shellWord } from "../../output/shell-word.js";
import { defaultRetryPolicy } from "../../providers/retry.js";
import { Traffic } from "../../providers/traffic.js";
import type { ProviderClient, RetryPolicy } from "../../providers/types.js";
import { DEFAULT_CONCURRENCY } from "./options.js";
import type { ResolvedTargets, Target } from "./targets.js";

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
 * Connects every resolved target (local work: a mistake there is a usage error for the whole run),
 * says where calls go when that is the embedded emulator, runs `call` on each target under the
 * run's one Traffic, and stops the embedded emulator however that ends. A target whose call throws
 * becomes `failed(t, err)`: one failed region does not hide the others.
 */
export async function callEveryTarget<T>(
  resolved: ResolvedTargets,
  opts: { timeoutMs: number; log: Logger; concurrency: number },
  call: (client: ProviderClient, t: Target) => Promise<T>,
  failed: (t: Target, err: unknown) => T,
): Promise<T[]> {
  const { targets, close, note } = resolved;
  try {
    const traffic = new Traffic();
    const clients = await Promise.all(targets.map((t) => connectTarget(t, { timeoutMs: opts.timeoutMs, log: opts.log, traffic })));
    if (note) opts.log.info(note);
    return await mapTargets(
      targets,
      async (t, i) => {
        try {
          return await call(clients[i]!, t);
        } catch (err) {
          return failed(t, err);
        }
      },
      opts.concurrency,
    );
  } finally {
    await close();
  }
}

/**
 * `retry` is the target's own policy object: the adapter reads it on every call, so a command
 * can start the target's clock (set its deadline) when the target's work begins. Without one,
 * the clock starts now. `traffic` is the run's one Traffic, shared by all its targets: every
 * command's calls are paced (required, since a command that left it out went unpaced).
 */
export function connectTarget(t: Target, opts: { timeoutMs: number; log: Logger; retry?: RetryPolicy; traffic: Traffic }): Promise<ProviderClient> {
  if (t.credentials === null) throw new Error(`${describeTarget(t)}: connect without credentials (only a dry run may have none)`);
  return t.provider.connect({
    region: t.region,
    endpoint: t.endpoint,
    credentials: t.credentials,
    requestTimeoutMs: opts.timeoutMs,
    retry: opts.retry ?? { ...defaultRetryPolicy, deadline: Date.now() + opts.timeoutMs },
    log: opts.log,
    traffic: opts.traffic.forTarget(t.provider.name, t.region, t.provider.limits.requestRate),
  });
}

export function describeTarget(t: Target): string {
  return `${t.provider.name} ${t.region}`;
}

/**
 * `layerctl versions` for one target, pasteable as is: the provider and region always, and the
 * endpoint when the target has one (the variable that gave it may not be set where it is pasted).
 */
export function versionsCommand(t: Target, layerName: string): string {
  const endpoint = t.endpoint ? ` --endpoint ${shellWord(t.endpoint)}` : "";
  return `layerctl versions ${shellWord(layerName)} -p ${t.provider.name} -r ${shellWord(t.region)}${endpoint}`;
}
