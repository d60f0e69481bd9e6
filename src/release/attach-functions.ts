// Attaching one layer version to functions in one target, shared by `layerctl attach` and
// `publish --attach`. For each function: read its layer list, replace the same layer's version in
// place (order kept) or append it, and check the provider's per-function limit -- for every
// function before any write. Then update (conditioned on the read where the cloud can), wait
// until the cloud has applied it, read it back, and optionally publish a function version and
// point an alias at it. Each function gets its own record: one that fails (missing, at the limit,
// a race lost to another update) does not stop the others.
import { CloudError } from "../errors.js";
import { onInterrupt } from "../interrupt.js";
import type { Logger } from "../output/log.js";
import { concurrentUpdate, layerIdentity, sameLayers } from "../providers/function-update.js";
import { defaultRetryPolicy, LOOKUP_GRACE_MS, lookupPolicy, outcomeUnknown } from "../providers/retry.js";
import type { AttachRecord, AttachedLayer, FunctionLayers, FunctionRef, ProviderClient, RetryPolicy, UpdateWaitOptions } from "../providers/types.js";
import { publishFunctionOnce } from "./function-version.js";
import { errorFields } from "../commands/shared/records.js";
import type { Target } from "../commands/shared/targets.js";

export interface AttachOptions {
  functions: string[];
  /** Tencent namespace (ignored by providers without namespaces). */
  namespace?: string;
  /** Publish a function version after the update (implied by alias). */
  publishVersion?: boolean;
  alias?: string;
  /** Description of the published function version. */
  description?: string;
}

/** The namespace a record names: the one given (or "default") where the provider has namespaces, else null. */
export function namespaceOf(target: Target, opts: Pick<AttachOptions, "namespace">): string | null {
  return target.provider.features.functionNamespaces ? (opts.namespace ?? "default") : null;
}

export interface LayerPlan {
  layers: AttachedLayer[];
  previousVersion: number | null;
  unchanged: boolean;
}

/** The new layer list, or a CloudError when appending would pass the provider's limit. */
export function planLayers(current: AttachedLayer[], layer: AttachedLayer, max: number, where: { provider: Target["provider"]["name"]; functionName: string }): LayerPlan {
  const id = layerIdentity(layer);
  const index = current.findIndex((l) => layerIdentity(l) === id);
  if (index >= 0) {
    const previousVersion = current[index]!.version;
    const layers = current.map((l, i) => (i === index ? layer : l));
    return { layers, previousVersion, unchanged: previousVersion === layer.version };
  }
  if (current.length >= max) {
    throw new CloudError(`function ${where.functionName} already uses ${current.length} layers, the most ${where.provider} allows (${max}); ${layer.layerName} was not attached`, {
      code: "LayerLimitReached",
      provider: where.provider,
      hint: `remove a layer from ${where.functionName} first (it uses ${current.map(layerLabel).join(", ")})`,
    });
  }
  return { layers: [...current, layer], previousVersion: null, unchanged: false };
}

export function layerLabel(l: AttachedLayer): string {
  return `${l.layerName}:${l.version}`;
}

/** The target's clock, for the calls whose unknown outcome is looked into (a function version). */
export interface AttachBudget {
  deadline: number;
  policy: RetryPolicy;
}

export async function attachFunctions(
  client: ProviderClient,
  target: Target,
  layer: AttachedLayer,
  opts: AttachOptions,
  wait: () => UpdateWaitOptions,
  log: Logger,
  budget: AttachBudget = { deadline: Date.now() + wait().waitTimeoutMs, policy: { ...defaultRetryPolicy } },
): Promise<AttachRecord[]> {
  const { provider } = target;
  const namespace = provider.features.functionNamespaces ? opts.namespace : undefined;
  const base = (functionName: string): AttachRecord => ({
    provider: provider.name,
    region: target.region,
    functionName,
    namespace: namespaceOf(target, opts),
    layerName: layer.layerName,
    previousVersion: null,
    version: layer.version,
    status: "failed",
    layers: [],
    functionVersion: null,
    alias: null,
    requestId: null,
  });

  // Read and plan every function first: no write happens before every limit is checked. Each
  // plan rests on one well-formed read of the function's list (an unreadable one fails its record).
  const plans = [];
  for (const functionName of opts.functions) {
    const fn: FunctionRef = { functionName, namespace };
    const rec = base(functionName);
    try {
      const current = await client.functions.getLayers(fn, wait());
      const plan = planLayers(current.layers, layer, provider.limits.maxLayersPerFunction, { provider: provider.name, functionName });
      rec.previousVersion = plan.previousVersion;
      rec.layers = plan.layers.map(layerLabel);
      plans.push({ fn, rec, plan, current });
    } catch (err) {
      plans.push({ fn, rec: { ...rec, error: errorFields(err) }, plan: null, current: null });
    }
  }

  const results: AttachRecord[] = [];
  for (const { fn, rec, plan, current } of plans) {
    if (!plan || !current) {
      results.push(rec);
      continue;
    }
    let updated = false;
    let phase: "update" | "version" | "alias" = "update";
    try {
      if (plan.unchanged) {
        log.debug(`${provider.name} ${target.region}: ${fn.functionName} already uses ${layerLabel(layer)}`);
      } else {
        const { requestId } = await updateLayers(client, fn, plan.layers, current, wait, { provider: provider.name, where: `${provider.name} ${target.region}`, log, budget });
        rec.requestId = requestId;
        updated = true;
      }
      rec.status = plan.unchanged ? "unchanged" : "attached";
      if (opts.publishVersion || opts.alias) {
        phase = "version";
        const published = await publishFunctionOnce(
          client,
          { functionName: fn.functionName, namespace: fn.namespace, description: opts.description },
          { provider: provider.name, region: target.region, deadline: budget.deadline, policy: budget.policy, log },
        );
        rec.functionVersion = published.version;
        rec.requestId = published.requestId ?? rec.requestId;
        if (opts.alias) {
          phase = "alias";
          const pointed = await pointAliasOnce(client, fn, opts.alias, published.version!, { where: `${provider.name} ${target.region}`, log, budget });
          rec.alias = opts.alias;
          rec.requestId = pointed.requestId ?? rec.requestId;
        }
      }
      results.push(rec);
    } catch (err) {
      const error = errorFields(err);
      // Say what did happen: the layer list may already be updated, or a version published.
      const done = updated || plan.unchanged ? `${fn.functionName} uses ${layerLabel(layer)}${rec.functionVersion ? ` and has version ${rec.functionVersion}` : ""}; ` : "";
      const where = `-p ${provider.name} -r ${target.region}`;
      // A version whose publishing had an unknown outcome may exist: its hint says how to check; a
      // re-run with --publish-version would make another.
      const versionMayExist = phase === "version" && outcomeUnknown(err);
      const next = versionMayExist
        ? ""
        : rec.functionVersion
          ? `point the alias again with \`layerctl attach ${layer.layerName}:${layer.version} --function ${fn.functionName} ${where} --alias ${opts.alias}\``
          : `retry with \`layerctl attach ${layer.layerName}:${layer.version} --function ${fn.functionName} ${where}${opts.publishVersion || opts.alias ? " --publish-version" : ""}${opts.alias ? ` --alias ${opts.alias}` : ""}\``;
      const hint = `${done}${error.hint ?? ""}${error.hint && next ? "; " : ""}${next}`;
      results.push({ ...rec, status: "failed", error: { ...error, hint } });
    }
  }
  return results;
}

/**
 * Writes the new list, conditioned on the read it was planned from (AWS RevisionId; elsewhere a
 * fresh read just before the write must still match it), and reads it back once applied: a list that is not what was written means another change landed between
 * the read and the write (a lost race, reported as such). After an unknown outcome the function
 * is read: the list written means applied; the list planned from (and nothing else changed) means
 * no effect, and it is written once more; anything else is a race lost.
 */
async function updateLayers(
  client: ProviderClient,
  fn: FunctionRef,
  layers: AttachedLayer[],
  planned: FunctionLayers,
  wait: () => UpdateWaitOptions,
  ctx: { provider: Target["provider"]["name"]; where: string; log: Logger; budget: AttachBudget },
): Promise<{ requestId: string | null }> {
  const labels = (ls: AttachedLayer[]) => (ls.length ? ls.map(layerLabel).join(", ") : "none");
  let expected = planned;
  // Without a revision to condition the write on, the list is read again right before it: a plan
  // made from a read other runs have changed since is a race lost, not a list to write over theirs.
  if (planned.revision === null) {
    const fresh = await client.functions.getLayers(fn, wait());
    if (!sameLayers(fresh.layers, planned.layers)) throw concurrentUpdate(ctx.provider, fn.functionName, `its layers changed to ${labels(fresh.layers)} since they were read`);
  }
  for (let attempt = 1; ; attempt++) {
    let out: { requestId: string | null; layers: AttachedLayer[] };
    const forget = onInterrupt({ note: () => `${ctx.where}: the layer list of ${fn.functionName} may have been updated (the update was under way): check the function` });
    try {
      out = await client.functions.setLayers(fn, layers, wait(), expected);
    } catch (err) {
      if (!outcomeUnknown(err)) throw err;
      let now: FunctionLayers;
      try {
        // The look has its own budget: a stalled update may have used up the target's.
        const look = client.within(lookupPolicy(ctx.budget.policy));
        now = await look.functions.getLayers(fn, { ...wait(), waitTimeoutMs: Math.max(wait().waitTimeoutMs, LOOKUP_GRACE_MS) });
      } catch (lookErr) {
        const why = lookErr instanceof CloudError ? lookErr.code : String(lookErr);
        throw err.with({ hint: `the new layer list may have been applied, and reading ${fn.functionName} failed too (${why})` });
      }
      if (sameLayers(now.layers, layers)) {
        ctx.log.warn(`${ctx.where}: the answer to the update of ${fn.functionName} was lost (${err.code}), but it holds the list this run wrote`);
        return { requestId: null };
      }
      const untouched = sameLayers(now.layers, expected.layers) && (expected.revision === null || now.revision === expected.revision);
      if (untouched && attempt < 2) {
        expected = now;
        continue;
      }
      throw untouched ? err : concurrentUpdate(ctx.provider, fn.functionName, `its layers are now ${labels(now.layers)}`);
    } finally {
      forget();
    }
    if (!sameLayers(out.layers, layers)) {
      throw concurrentUpdate(ctx.provider, fn.functionName, `its layers are now ${labels(out.layers)}, not the ${labels(layers)} this run wrote`, out.requestId ?? undefined);
    }
    return { requestId: out.requestId };
  }
}

/** Points the alias; after an unknown outcome, reads where it points: at our version means done. */
async function pointAliasOnce(
  client: ProviderClient,
  fn: FunctionRef,
  alias: string,
  version: string,
  ctx: { where: string; log: Logger; budget: AttachBudget },
): Promise<{ requestId: string | null }> {
  try {
    return await client.functions.pointAlias(fn, alias, version);
  } catch (err) {
    if (!outcomeUnknown(err)) throw err;
    const now = await client
      .within(lookupPolicy(ctx.budget.policy))
      .functions.aliasVersion(fn, alias)
      .catch(() => undefined);
    if (now !== version) throw err.with({ hint: `alias ${alias} may point at version ${version} already: check it before pointing it again` });
    ctx.log.warn(`${ctx.where}: the answer to pointing alias ${alias} of ${fn.functionName} was lost (${err.code}), but it points at version ${version}`);
    return { requestId: null };
  }
}
