// Attaching one layer version to functions in one target, shared by `layerctl attach` and
// `publish --attach`. For each function: read its layer list, replace the same layer's version in
// place (order kept) or append it, and check the provider's per-function limit -- for every
// function before any write. Then update, wait until the cloud has applied it, and optionally
// publish a function version and point an alias at it. Each function gets its own record: one
// that fails (missing, at the limit) does not stop the others.
import { CloudError } from "../errors.js";
import type { Logger } from "../output/log.js";
import { layerIdentity } from "../providers/function-update.js";
import type { AttachRecord, AttachedLayer, FunctionRef, ProviderClient, UpdateWaitOptions } from "../providers/types.js";
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

export async function attachFunctions(
  client: ProviderClient,
  target: Target,
  layer: AttachedLayer,
  opts: AttachOptions,
  wait: () => UpdateWaitOptions,
  log: Logger,
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

  // Read and plan every function first: no write happens before every limit is checked.
  const plans = [];
  for (const functionName of opts.functions) {
    const fn: FunctionRef = { functionName, namespace };
    const rec = base(functionName);
    try {
      const current = await client.functions.getLayers(fn, wait());
      const plan = planLayers(current, layer, provider.limits.maxLayersPerFunction, { provider: provider.name, functionName });
      rec.previousVersion = plan.previousVersion;
      rec.layers = plan.layers.map(layerLabel);
      plans.push({ fn, rec, plan });
    } catch (err) {
      plans.push({ fn, rec: { ...rec, error: errorFields(err) }, plan: null });
    }
  }

  const results: AttachRecord[] = [];
  for (const { fn, rec, plan } of plans) {
    if (!plan) {
      results.push(rec);
      continue;
    }
    let updated = false;
    try {
      if (plan.unchanged) {
        log.debug(`${provider.name} ${target.region}: ${fn.functionName} already uses ${layerLabel(layer)}`);
      } else {
        const { requestId } = await client.functions.setLayers(fn, plan.layers, wait());
        rec.requestId = requestId;
        updated = true;
      }
      rec.status = plan.unchanged ? "unchanged" : "attached";
      if (opts.publishVersion || opts.alias) {
        const published = await client.publishFunctionVersion({ functionName: fn.functionName, namespace: fn.namespace, description: opts.description });
        rec.functionVersion = published.version;
        rec.requestId = published.requestId ?? rec.requestId;
        if (opts.alias) {
          const pointed = await client.functions.pointAlias(fn, opts.alias, published.version!, wait());
          rec.alias = opts.alias;
          rec.requestId = pointed.requestId ?? rec.requestId;
        }
      }
      results.push(rec);
    } catch (err) {
      const error = errorFields(err);
      // Say what did happen: the layer list may already be updated, or a version published.
      const done = updated || plan.unchanged ? `${fn.functionName} uses ${layerLabel(layer)}${rec.functionVersion ? ` and has version ${rec.functionVersion}` : ""}; ` : "";
      const next = rec.functionVersion
        ? `point the alias again with \`layerctl attach ${layer.layerName}:${layer.version} --function ${fn.functionName} -p ${provider.name} -r ${target.region} --alias ${opts.alias}\``
        : `retry with \`layerctl attach ${layer.layerName}:${layer.version} --function ${fn.functionName} -p ${provider.name} -r ${target.region}${opts.publishVersion || opts.alias ? " --publish-version" : ""}${opts.alias ? ` --alias ${opts.alias}` : ""}\``;
      results.push({ ...rec, status: "failed", error: { ...error, hint: `${done}${error.hint ? `${error.hint}; ` : ""}${next}` } });
    }
  }
  return results;
}
