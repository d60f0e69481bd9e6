// `publish --attach`: after each target publishes, attach the version just published (or found
// unchanged) to the functions, within what is left of that target's --timeout.
import type { Logger } from "../output/log.js";
import type { AttachRecord, LayerVersionRecord, ProviderClient } from "../providers/types.js";
import type { Target } from "../commands/shared/targets.js";
import { attachFunctions, type AttachOptions } from "./attach-functions.js";

/** Polls of a function update: 2 calls/s per function, far below every cloud's rate limit. */
export const UPDATE_POLL_INTERVAL_MS = 500;

export async function attachPublished(
  client: ProviderClient,
  target: Target,
  published: LayerVersionRecord,
  opts: AttachOptions,
  deadline: number,
  log: Logger,
): Promise<AttachRecord[]> {
  if (published.error || published.version === null) {
    // Nothing to attach: each function says so (the layer's own record carries the error).
    return opts.functions.map((functionName) => ({
      provider: target.provider.name,
      region: target.region,
      functionName,
      namespace: target.provider.features.functionNamespaces ? (opts.namespace ?? "default") : null,
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
  return attachFunctions(client, target, { layerName: published.layerName, version: published.version, arn: published.arn }, opts, wait, log);
}
