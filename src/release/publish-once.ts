// A publish whose answer is lost (timeout, reset, 5xx, an answer cut short) may still have created
// the version, and no layer API takes an idempotency token. Adapters never repeat a creating call
// after such an error; here we look before publishing again. Only a version created *after* this
// publish began can be ours: the newest version number is noted before the first attempt, and the
// lookup accepts only newer versions holding exactly this zip. An older version with the same zip
// is never reported `published`.
import { CloudError, LayerctlError } from "../errors.js";
import type { Logger } from "../output/log.js";
import type { Budget } from "../providers/budget.js";
import { backoffDelay, defaultRetryPolicy, LOOKUP_GRACE_MS, lookupBudget } from "../providers/retry.js";
import type { LayerVersionRecord, Lookup, ProviderClient, PublishLayerRequest, PublishOptions, RetryPolicy } from "../providers/types.js";

/** After an ambiguous failure the lookup (and the wait for the version it finds) may run this long past the target's deadline. */
export { LOOKUP_GRACE_MS };

export interface PublishOnceContext {
  log: Logger;
  /** "aws us-east-1", for messages. */
  where: string;
  /** The target's budget; the lookup runs under one of its own (lookupBudget), this one unchanged. */
  budget: Budget;
  /** The reads' retry policy (default: the adapters'). */
  policy?: RetryPolicy;
  /** A command that lists the layer's versions for this target, pasteable as is. */
  checkCommand: string;
  sleep?: (ms: number) => Promise<void>;
  /** Called as the first creating call starts (from then on a version may exist). */
  calling?: () => void;
  /**
   * The baseline read earlier by the caller (copy reads it while the zip downloads: the targets
   * are known before the zip is); undefined when that read failed, which is then made again here.
   */
  baseline?: Promise<number | undefined>;
}

export async function publishOnce(client: ProviderClient, req: PublishLayerRequest, opts: PublishOptions, ctx: PublishOnceContext): Promise<LayerVersionRecord> {
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const early = ctx.baseline !== undefined ? await ctx.baseline : undefined;
  const baseline = early ?? (await readBaseline(client, req.layerName, { ...ctx, sleep }));
  ctx.calling?.();
  for (let attempt = 1; ; attempt++) {
    let err: unknown;
    try {
      // Waiting for an asynchronous publish gets what is left of the target's budget.
      return await client.publishLayer(req, { ...opts, waitTimeoutMs: Math.max(0, Math.min(opts.waitTimeoutMs, ctx.budget.deadline - Date.now())) });
    } catch (e) {
      err = e;
    }
    // Not ambiguous (a version is named, or the error is final): nothing to look for.
    if (!(err instanceof CloudError) || !err.retryable || err.version !== undefined) throw err;
    const last = attempt >= defaultRetryPolicy.maxAttempts;
    const delay = backoffDelay(defaultRetryPolicy, attempt, Math.random, err.retryAfterMs);
    const outOfTime = Date.now() + delay >= ctx.budget.deadline;
    // Throttled or refused: certainly no effect, so no version to look for.
    if (err.unprocessed) {
      if (last || outOfTime) throw err;
      await sleep(delay);
      continue;
    }
    if (baseline === undefined) {
      throw mayExist(
        err,
        `the versions of ${req.layerName} could not be read before publishing, so a version made by this publish cannot be told from an older one`,
        ctx.checkCommand,
      );
    }
    let look: Lookup<LayerVersionRecord>;
    // The lookup has its own budget (the target's, or a few seconds past it): the target's is left as it is.
    const until = lookupBudget(ctx.budget);
    const lookup = client.within(until);
    try {
      look = await persistently(ctx.policy ?? defaultRetryPolicy, until, () => lookup.findPublished(req, baseline), sleep);
      if ("found" in look) look = { found: await untilSettled(lookup, look.found, opts, until.deadline, sleep) };
    } catch (lookupErr) {
      if (lookupErr instanceof CloudError && lookupErr.version !== undefined) throw lookupErr;
      throw checkFailed(err, lookupErr, req.layerName, ctx.checkCommand);
    }
    if ("found" in look) {
      ctx.log.warn(
        `${ctx.where}: the answer to the publish was lost (${err.code}), but version ${look.found.version} holds exactly this zip and was created by this publish; reporting it`,
      );
      return { ...look.found, status: "published" };
    }
    // Cannot tell which version is ours, or whether one is: say so, never publish another.
    if ("undecided" in look) throw mayExist(err, look.undecided, ctx.checkCommand);
    if (last || outOfTime) throw err;
    ctx.log.debug(`${ctx.where}: ${err.code} while publishing and no version newer than ${baseline} holds this zip; publishing again (attempt ${attempt + 1})`);
    await sleep(delay);
  }
}

/**
 * The reads that decide what to report keep going through throttling for as long as the budget
 * lasts, not a fixed number of attempts: under rate limiting a lookup must not give up while a
 * version may exist. Other failures keep the policy's bound.
 */
async function persistently<T>(policy: RetryPolicy | undefined, budget: Budget, fn: () => Promise<T>, sleep: (ms: number) => Promise<void>): Promise<T> {
  if (!policy) return fn();
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      const delay = backoffDelay(policy, policy.maxAttempts, Math.random, err instanceof CloudError ? err.retryAfterMs : undefined);
      const throttled = err instanceof CloudError && err.retryable && err.unprocessed;
      if (!throttled || Date.now() + delay >= budget.deadline) throw err;
      await sleep(delay);
    }
  }
}

/**
 * One cheap read before the first attempt: the newest version that is certainly not ours. Only a
 * well-formed list gives a baseline; an unreadable one leaves it unknown (undefined, never 0).
 */
export function readBaseline(
  client: ProviderClient,
  layerName: string,
  ctx: Pick<PublishOnceContext, "policy" | "budget" | "log" | "where" | "sleep">,
): Promise<number | undefined> {
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return persistently(ctx.policy, ctx.budget, () => newestVersion(client, layerName), sleep).catch((err: unknown) => {
    ctx.log.debug(`${ctx.where}: could not read the newest version before publishing (${codeOf(err)}); a lost answer cannot be looked for`);
    return undefined;
  });
}

/** The newest version number of the layer, 0 when it has none (or does not exist); throws when the list cannot be read. */
async function newestVersion(client: ProviderClient, layerName: string): Promise<number> {
  const versions = await client.listLayerVersions(layerName);
  return Math.max(0, ...versions.map((v) => v.version ?? 0));
}

/**
 * A version found after a lost answer is reported as publishLayer would report it: when waiting,
 * only once it is Active (asynchronous clouds), and a version that failed is a failure naming it.
 */
async function untilSettled(
  client: ProviderClient,
  found: LayerVersionRecord,
  opts: PublishOptions,
  deadline: number,
  sleep: (ms: number) => Promise<void>,
): Promise<LayerVersionRecord> {
  let v = found;
  for (;;) {
    if (v.status === "failed" || (v.state !== null && v.state !== "Active" && v.state !== "Publishing")) {
      throw new CloudError(`layer ${v.layerName} version ${v.version} ended in state ${v.state ?? "(none)"} instead of Active`, {
        code: v.state === "PublishFailed" ? "PublishFailed" : "UnexpectedState",
        provider: v.provider,
        requestId: v.requestId ?? undefined,
        version: v.version ?? undefined,
        arn: v.arn ?? undefined,
        hint: "publish again; the failed version can be deleted",
      });
    }
    if (v.state !== "Publishing" || !opts.wait) return v;
    if (Date.now() + opts.pollIntervalMs > deadline) {
      throw new CloudError(`layer ${v.layerName} version ${v.version} is still Publishing`, {
        code: "PublishTimeout",
        provider: v.provider,
        version: v.version ?? undefined,
        hint: `the version may still become Active: check version ${v.version} later, or wait longer`,
      });
    }
    await sleep(opts.pollIntervalMs);
    v = await client.getLayerVersion(v.layerName, v.version!);
  }
}

function codeOf(err: unknown): string {
  return err instanceof LayerctlError ? err.code : err instanceof Error ? err.message : String(err);
}

/** An ambiguous failure we could not decide: say that a version may exist, why it is not known, and how to find out. */
function mayExist(err: CloudError, why: string, command: string): CloudError {
  return withHint(err, `a version may exist (${why}): check with \`${command}\` before publishing again`);
}

/** The publish failure first, then that the check for a version created despite it could not be made. */
function checkFailed(err: CloudError, lookupErr: unknown, layerName: string, command: string): CloudError {
  const why = lookupErr instanceof LayerctlError ? `${lookupErr.code}: ${lookupErr.message}` : codeOf(lookupErr);
  return withHint(err, `a version of ${layerName} may exist, and checking for it failed too (${why}): check with \`${command}\` before publishing again`);
}

function withHint(err: CloudError, hint: string): CloudError {
  return err.with({
    cause: err,
    hint,
  });
}
