// A publish whose answer is lost (timeout, reset, 5xx, an answer cut short) may still have created
// the version, and no layer API takes an idempotency token. Adapters never repeat a creating call
// after such an error; here we look before publishing again. Only a version created *after* this
// publish began can be ours: the newest version number is noted before the first attempt, and the
// lookup accepts only newer versions holding exactly this zip. An older version with the same zip
// is never reported `published`.
import { CloudError, LayerctlError } from "../errors.js";
import type { Logger } from "../output/log.js";
import { sameSet } from "../providers/record.js";
import { backoffDelay, defaultRetryPolicy } from "../providers/retry.js";
import type { LayerVersionRecord, ProviderClient, PublishLayerRequest, PublishOptions, RetryPolicy } from "../providers/types.js";

/**
 * After an ambiguous failure the lookup (and, for an asynchronous cloud, the wait for the
 * version it finds) may run this long past the target's deadline: telling the truth about a
 * version that may exist is worth a few seconds. This is the one margin `--timeout` documents
 * (README: a target ends within --timeout + 5 s); everything else ends by the deadline.
 */
export const LOOKUP_GRACE_MS = 5_000;

export interface PublishOnceContext {
  log: Logger;
  /** "aws us-east-1", for messages. */
  where: string;
  deadline: number;
  /** The target's retry policy, which the client reads on every call: the lookup's grace extends its deadline. */
  policy?: RetryPolicy;
  /** A command that lists the layer's versions for this target, pasteable as is. */
  checkCommand: string;
  sleep?: (ms: number) => Promise<void>;
}

export async function publishOnce(client: ProviderClient, req: PublishLayerRequest, opts: PublishOptions, ctx: PublishOnceContext): Promise<LayerVersionRecord> {
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // One cheap read before the first attempt: the newest version that is certainly not ours.
  const baseline = await persistently(ctx.policy, undefined, () => newestVersion(client, req.layerName), sleep).catch((err: unknown) => {
    ctx.log.debug(`${ctx.where}: could not read the newest version before publishing (${codeOf(err)}); a lost answer will not be looked for`);
    return undefined;
  });
  for (let attempt = 1; ; attempt++) {
    let err: unknown;
    try {
      // Waiting for an asynchronous publish gets what is left of the target's budget.
      return await client.publishLayer(req, { ...opts, waitTimeoutMs: Math.max(0, Math.min(opts.waitTimeoutMs, ctx.deadline - Date.now())) });
    } catch (e) {
      err = e;
    }
    // Not ambiguous (a version is named, or the error is final): nothing to look for.
    if (!(err instanceof CloudError) || !err.retryable || err.version !== undefined) throw err;
    const last = attempt >= defaultRetryPolicy.maxAttempts;
    const delay = backoffDelay(defaultRetryPolicy, attempt, Math.random, err.retryAfterMs);
    const outOfTime = Date.now() + delay >= ctx.deadline;
    // Throttled or refused: certainly no effect, so no version to look for.
    if (err.unprocessed) {
      if (last || outOfTime) throw err;
      await sleep(delay);
      continue;
    }
    if (baseline === undefined) throw mayExist(err, req.layerName, ctx.checkCommand);
    let ours: LayerVersionRecord | null;
    try {
      const until = Math.max(ctx.deadline, Date.now() + LOOKUP_GRACE_MS);
      ours = await persistently(
        ctx.policy,
        until,
        async () => {
          const found = await findOurs(client, req, baseline);
          return found && untilSettled(client, found, opts, until, sleep);
        },
        sleep,
      );
    } catch (lookupErr) {
      if (lookupErr instanceof CloudError && lookupErr.version !== undefined) throw lookupErr;
      throw checkFailed(err, lookupErr, req.layerName, ctx.checkCommand);
    }
    if (ours) {
      ctx.log.warn(
        `${ctx.where}: the answer to the publish was lost (${err.code}), but version ${ours.version} holds exactly this zip and was created by this publish; reporting it`,
      );
      return { ...ours, status: "published" };
    }
    if (last || outOfTime) throw err;
    ctx.log.debug(`${ctx.where}: ${err.code} while publishing and no version newer than ${baseline} holds this zip; publishing again (attempt ${attempt + 1})`);
    await sleep(delay);
  }
}

/**
 * The reads that decide what to report keep going through throttling for as long as the budget
 * lasts, not a fixed number of attempts: under rate limiting a lookup must not give up while a
 * version may exist. Other failures keep the policy's bound. `until` extends the client's
 * deadline for the lookup's grace.
 */
async function persistently<T>(policy: RetryPolicy | undefined, until: number | undefined, fn: () => Promise<T>, sleep: (ms: number) => Promise<void>): Promise<T> {
  if (!policy) return fn();
  const saved = policy.deadline;
  if (until !== undefined) policy.deadline = Math.max(policy.deadline ?? 0, until);
  try {
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        const delay = backoffDelay(policy, policy.maxAttempts, Math.random, err instanceof CloudError ? err.retryAfterMs : undefined);
        const throttled = err instanceof CloudError && err.retryable && err.unprocessed;
        if (!throttled || policy.deadline === undefined || Date.now() + delay >= policy.deadline) throw err;
        await sleep(delay);
      }
    }
  } finally {
    policy.deadline = saved;
  }
}

/** The newest version number of the layer, 0 when it has none (or does not exist). */
async function newestVersion(client: ProviderClient, layerName: string): Promise<number> {
  const versions = await client.listLayerVersions(layerName);
  return Math.max(0, ...versions.map((v) => v.version ?? 0));
}

/** A version newer than the baseline holding exactly this zip, runtimes and architectures. */
async function findOurs(client: ProviderClient, req: PublishLayerRequest, baseline: number): Promise<LayerVersionRecord | null> {
  const newer = (await client.listLayerVersions(req.layerName)).filter((v) => v.version !== null && v.version > baseline);
  for (const item of newer) {
    // List items of some clouds carry no checksum: read the version itself.
    const v = item.codeSha256 ? item : await client.getLayerVersion(req.layerName, item.version!);
    const sameZip = v.codeSha256 !== null && v.codeSha256.toLowerCase() === req.archive.sha256.toLowerCase();
    if (sameZip && sameSet(v.compatibleRuntimes, req.runtimes) && sameSet(v.compatibleArchitectures, req.architectures)) return v;
  }
  return null;
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

/** An ambiguous failure we could not look into: say that a version may exist, and how to find out. */
function mayExist(err: CloudError, layerName: string, command: string): CloudError {
  return withHint(err, `the cloud may still have created a version of ${layerName}: check with \`${command}\` before publishing again`);
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
