// `publish --attach`: before anything is published, every function must exist in every target and
// have room for the layer (a missing function is the user's to fix, exit 2, nothing published);
// after each target publishes, attach the version that target just got (or found unchanged) to
// the functions, within what is left of that target's --timeout.
import { UsageError } from "../errors.js";
import type { Logger } from "../output/log.js";
import type { Budget } from "../providers/budget.js";
import type { AttachRecord, LayerVersionRecord, ProviderClient } from "../providers/types.js";
import type { Target } from "../targets/resolve.js";
import { describeTarget } from "../targets/describe.js";
import { withTargets, type TargetRun } from "../targets/runner.js";
import { attachOptionsFrom } from "./attach-options.js";
import type { PlannedAttachment, PublishInput } from "./publish-input.js";

export type { PlannedAttachment } from "./publish-input.js";
import type { CommandContext } from "../targets/context.js";
import { attachFunctions, namespaceOf, type AttachOptions } from "./attach-functions.js";

/** Polls of a function update: 2 calls/s per function, far below every cloud's rate limit. */
export const UPDATE_POLL_INTERVAL_MS = 500;

export async function attachPublished(
  client: ProviderClient,
  target: Target,
  published: LayerVersionRecord,
  opts: AttachOptions,
  budget: Budget,
  log: Logger,
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
  const wait = () => ({ waitTimeoutMs: budget.remaining(), pollIntervalMs: UPDATE_POLL_INTERVAL_MS });
  return attachFunctions(client, target, { layerName: published.layerName, version: published.version, arn: published.arn }, opts, wait, log, budget);
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

/**
 * Reads every function of every target: each must exist and have room for one more layer (or use
 * this layer already). Every problem of every target in one usage error, before any publish.
 * Reads that fail otherwise (the network, the cloud) end the run too: nothing is published that
 * could not be attached.
 */
export async function preflightFunctions(run: TargetRun, layerName: string, opts: AttachOptions): Promise<void> {
  const problems = await run.each(async ({ target: t, client, budget }) => {
    const out: Array<{ missing: boolean; text: string }> = [];
    for (const functionName of opts.functions) {
      const namespace = t.provider.features.functionNamespaces ? opts.namespace : undefined;
      const layers = await client.functions.findLayers({ functionName, namespace }, { waitTimeoutMs: budget.remaining(), pollIntervalMs: UPDATE_POLL_INTERVAL_MS });
      const name = `${namespace && namespace !== "default" ? `${namespace}/` : ""}${functionName}`;
      if (layers === null) out.push({ missing: true, text: `function ${name} does not exist in ${describeTarget(t)}` });
      else if (!layers.some((l) => l.layerName === layerName) && layers.length >= t.provider.limits.maxLayersPerFunction) {
        out.push({ missing: false, text: `function ${name} in ${describeTarget(t)} already uses ${layers.length} layers, the most ${t.provider.name} allows` });
      }
    }
    return out;
  });
  const all = problems.flat();
  if (all.length === 0) return;
  const missing = all.every((p) => p.missing);
  throw new UsageError(`--attach: ${all.map((p) => p.text).join("; ")}; nothing was published`, {
    code: missing ? "MissingFunction" : "LayerLimitReached",
    hint: missing ? "create the functions first, or drop them from --attach (or the config's attach.functions)" : "remove a layer from those functions first",
  });
}

/** The check of `preflightFunctions` for a publish that has not connected yet (each layer of a config run, before the first publishes). */
export async function checkAttachTargets(input: PublishInput, ctx: CommandContext): Promise<void> {
  const opts = attachOptionsFrom({ ...input, function: input.attach });
  const seedFunctions = opts.functions.map((name) => ({ name, namespace: input.namespace }));
  // The emulator note waits for this layer's own publish.
  await withTargets(input, ctx, { layerName: input.name, seedFunctions, embedded: ctx.embedded, deferNote: true }, (run) => preflightFunctions(run, input.name ?? "", opts));
}
