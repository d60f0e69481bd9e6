// `publish --attach`: after each target publishes, attach the version just published (or found
// unchanged) to the functions, within what is left of that target's --timeout.
import type { Logger } from "../output/log.js";
import { defaultRetryPolicy } from "../providers/retry.js";
import type { AttachRecord, LayerVersionRecord, ProviderClient, ProviderName, RetryPolicy } from "../providers/types.js";
import type { Target } from "../commands/shared/targets.js";
import { attachFunctions, namespaceOf, type AttachOptions } from "./attach-functions.js";

/** Polls of a function update: 2 calls/s per function, far below every cloud's rate limit. */
export const UPDATE_POLL_INTERVAL_MS = 500;

export async function attachPublished(
  client: ProviderClient,
  target: Target,
  published: LayerVersionRecord,
  opts: AttachOptions,
  deadline: number,
  log: Logger,
  policy?: RetryPolicy,
): Promise<AttachRecord[]> {
  if (published.error || published.version === null) {
    // Nothing to attach: each function says so (the layer's own record carries the error).
    return opts.functions.map((functionName) => ({
      provider: target.provider.name,
      region: target.region,
      functionName,
      namespace: namespaceOf(target, opts),
      layerName: published.layerName,
      previousVersion: null,
      version: published.version,
      status: "failed",
      layers: [],
      functionVersion: null,
      alias: null,
      requestId: null,
      error: { code: "NotPublished", message: `${published.layerName} was not published in ${target.provider.name} ${target.region}, so nothing was attached`, requestId: null },
    }));
  }
  const wait = () => ({ waitTimeoutMs: Math.max(0, deadline - Date.now()), pollIntervalMs: UPDATE_POLL_INTERVAL_MS });
  const budget = { deadline, policy: policy ?? { ...defaultRetryPolicy, deadline } };
  return attachFunctions(client, target, { layerName: published.layerName, version: published.version, arn: published.arn }, opts, wait, log, budget);
}

/** `publish --dry-run --attach`: what would be attached where (one per target and function). */
export interface PlannedAttachment {
  provider: ProviderName;
  region: string;
  functionName: string;
  /** Tencent namespace; null elsewhere. */
  namespace: string | null;
  layerName: string;
  /** A function version would be published after the update (--publish-version, or --alias). */
  publishVersion: boolean;
  /** The alias that would be pointed at that function version; null when none is asked for. */
  alias: string | null;
}

/** The attachments a dry run plans, from the options alone: no call (the functions are not read). */
export function planAttachments(targets: Target[], layerName: string, opts: AttachOptions): PlannedAttachment[] {
  return targets.flatMap((t) =>
    opts.functions.map((functionName) => ({
      provider: t.provider.name,
      region: t.region,
      functionName,
      namespace: namespaceOf(t, opts),
      layerName,
      publishVersion: Boolean(opts.publishVersion),
      alias: opts.alias ?? null,
    })),
  );
}
