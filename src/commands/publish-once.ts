// A publish whose answer is lost (timeout, reset, 5xx) may still have created the version, and
// no layer API takes an idempotency token. Adapters never repeat a creating call after such an
// error; here we look before publishing again: if the newest version already holds exactly this
// zip, that is the version, and publishing again would only burn a version number.
import { CloudError } from "../errors.js";
import type { Logger } from "../output/log.js";
import { backoffDelay, defaultRetryPolicy } from "../providers/retry.js";
import type { LayerVersionRecord, ProviderClient, PublishLayerRequest, PublishOptions } from "../providers/types.js";

/** Provider clocks drift: a version created this long before we started is still "ours". */
const CLOCK_SLACK_MS = 5 * 60_000;

export async function publishOnce(
  client: ProviderClient,
  req: PublishLayerRequest,
  opts: PublishOptions,
  ctx: { log: Logger; where: string; deadline: number; sleep?: (ms: number) => Promise<void> },
): Promise<LayerVersionRecord> {
  const started = Date.now();
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      // Waiting for an asynchronous publish gets what is left of the target's budget.
      return await client.publishLayer(req, { ...opts, waitTimeoutMs: Math.max(0, Math.min(opts.waitTimeoutMs, ctx.deadline - Date.now())) });
    } catch (err) {
      // Not ambiguous (a version is named, or the error is final): nothing to look for.
      if (!(err instanceof CloudError) || !err.retryable || err.version !== undefined || attempt >= defaultRetryPolicy.maxAttempts) throw err;
      const delay = backoffDelay(defaultRetryPolicy, attempt, Math.random, err.retryAfterMs);
      if (Date.now() + delay >= ctx.deadline) throw mayExist(err, req.layerName);
      await sleep(delay);
      const existing = await client.findUnchanged(req);
      if (existing) {
        ctx.log.warn(`${ctx.where}: the answer to the publish was lost (${err.code}), but version ${existing.version} holds exactly this zip; reporting it`);
        const ours = existing.createdAt !== null && Date.parse(existing.createdAt) >= started - CLOCK_SLACK_MS;
        return { ...existing, status: ours ? "published" : "unchanged" };
      }
      ctx.log.debug(`${ctx.where}: ${err.code} while publishing and no version holds this zip; publishing again (attempt ${attempt + 1})`);
    }
  }
}

/** Out of time after an ambiguous failure: say that a version may exist, and how to find out. */
function mayExist(err: CloudError, layerName: string): CloudError {
  return new CloudError(err.message, {
    code: err.code,
    provider: err.provider,
    requestId: err.requestId,
    httpStatus: err.httpStatus,
    retryable: err.retryable,
    cause: err,
    hint: `the cloud may still have created a version: check with \`layerctl versions ${layerName}\`, or publish again with --skip-unchanged`,
  });
}
