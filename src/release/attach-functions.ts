// Changing one layer in functions of one target, shared by `layerctl attach`, `detach`,
// `attach --to-previous` and `publish --attach`. For each function: read its layer list, work out
// the new one (the same layer's version replaced where it stands, order kept, or appended; or the
// layer removed) and check the provider's per-function limit -- for every function before any
// write. Then update, wait until the cloud has applied it, and optionally publish a function
// version and point an alias at it. Each function gets its own record: one that fails (missing,
// at the limit) does not stop the others.
//
// No churn: a function whose layer list already is the one asked for is not updated, and when a
// published version with exactly that layer list exists (the alias's, else the newest) it is used
// instead of publishing another: re-running a release leaves functions, versions and aliases as
// they are. (AWS's PublishVersion would answer with the same version anyway; Tencent and Aliyun
// publish a new one on every call.)
import { CloudError } from "../errors.js";
import { onInterrupt } from "../interrupt.js";
import type { Logger } from "../output/log.js";
import { concurrentUpdate, layerIdentity, sameLayers } from "../providers/function-update.js";
import { startBudget, type Budget } from "../providers/budget.js";
import { LOOKUP_GRACE_MS, lookupBudget, outcomeUnknown } from "../providers/retry.js";
import type { AttachRecord, AttachedLayer, FunctionLayers, FunctionRef, FunctionUpdater, ProviderClient, UpdateWaitOptions } from "../providers/types.js";
import { publishFunctionOnce } from "./function-version.js";
import { errorFields } from "../targets/failed-records.js";
import type { Target } from "../targets/resolve.js";

export interface AttachOptions {
  functions: string[];
  /** Tencent namespace (ignored by providers without namespaces). */
  namespace?: string;
  /** Publish a function version after the update (implied by alias). */
  publishVersion?: boolean;
  alias?: string;
  /** Description of the published function version. */
  description?: string;
  /** Read and plan only: records say `planned` (or `unchanged`), nothing is written. */
  dryRun?: boolean;
}

/** What to do with the layer in each function. */
export type LayerChange =
  /** Use this version (replace the layer's version where it stands, or append it). */
  | { kind: "attach"; layer: AttachedLayer }
  /** Take the layer out of the list. */
  | { kind: "detach"; layerName: string }
  /** Go back to the version the function used before its current one (its published versions say which). */
  | { kind: "previous"; layerName: string };

/** The namespace a record names: the one given (or "default") where the provider has namespaces, else null. */
export function namespaceOf(target: Target, opts: Pick<AttachOptions, "namespace">): string | null {
  return target.provider.features.functionNamespaces ? (opts.namespace ?? "default") : null;
}

export interface LayerPlan {
  layers: AttachedLayer[];
  previousVersion: number | null;
  /** The version the function ends with (null: the layer is taken out). */
  version: number | null;
  unchanged: boolean;
}

/** The new layer list, or a CloudError when appending would pass the provider's limit. */
export function planLayers(current: AttachedLayer[], layer: AttachedLayer, max: number, where: { provider: Target["provider"]["name"]; functionName: string }): LayerPlan {
  const id = layerIdentity(layer);
  const index = current.findIndex((l) => layerIdentity(l) === id);
  if (index >= 0) {
    const previousVersion = current[index]!.version;
    const layers = current.map((l, i) => (i === index ? layer : l));
    return { layers, previousVersion, version: layer.version, unchanged: previousVersion === layer.version };
  }
  if (current.length >= max) {
    throw new CloudError(`function ${where.functionName} already uses ${current.length} layers, the most ${where.provider} allows (${max}); ${layer.layerName} was not attached`, {
      code: "LayerLimitReached",
      provider: where.provider,
      hint: `remove a layer from ${where.functionName} first (it uses ${current.map(layerLabel).join(", ")})`,
    });
  }
  return { layers: [...current, layer], previousVersion: null, version: layer.version, unchanged: false };
}

/** The list without the layer (every version of it, by name); unchanged when it was not there. */
export function planDetach(current: AttachedLayer[], layerName: string): LayerPlan {
  const found = current.find((l) => l.layerName === layerName);
  return { layers: current.filter((l) => l.layerName !== layerName), previousVersion: found?.version ?? null, version: null, unchanged: !found };
}

export function layerLabel(l: AttachedLayer): string {
  return `${l.layerName}:${l.version}`;
}

/** The version of `layerName` the function used before `current`, from its published versions, newest first. */
async function previousLayer(updater: FunctionUpdater, fn: FunctionRef, layerName: string, current: AttachedLayer): Promise<AttachedLayer> {
  for (const { version: v } of await updater.listVersions(fn)) {
    const found = (await updater.versionLayers(fn, v)).find((l) => l.layerName === layerName && layerIdentity(l) === layerIdentity(current));
    if (found && found.version !== current.version) return found;
  }
  throw new CloudError(`no published version of function ${fn.functionName} used another version of ${layerName} than ${current.version}`, {
    code: "NoPreviousVersion",
    hint: `name the version: layerctl attach ${layerName}:<version> --function ${fn.functionName}`,
  });
}

/** The target's clock, for the calls whose unknown outcome is looked into (updates, function versions, aliases). */
export type AttachBudget = Budget;

export async function attachFunctions(
  client: ProviderClient,
  target: Target,
  change: LayerChange | AttachedLayer,
  opts: AttachOptions,
  wait: () => UpdateWaitOptions,
  log: Logger,
  budget: AttachBudget = startBudget(wait().waitTimeoutMs),
): Promise<AttachRecord[]> {
  const { provider } = target;
  const ch: LayerChange = "kind" in change ? change : { kind: "attach", layer: change };
  const layerName = ch.kind === "attach" ? ch.layer.layerName : ch.layerName;
  const namespace = provider.features.functionNamespaces ? opts.namespace : undefined;
  const base = (functionName: string): AttachRecord => ({
    provider: provider.name,
    region: target.region,
    functionName,
    namespace: namespaceOf(target, opts),
    layerName,
    previousVersion: null,
    version: ch.kind === "attach" ? ch.layer.version : null,
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
      const read = await client.functions.getLayers(fn, wait());
      const current = read.layers;
      let plan: LayerPlan;
      if (ch.kind === "detach") plan = planDetach(current, ch.layerName);
      else {
        let layer = ch.kind === "attach" ? ch.layer : undefined;
        if (ch.kind === "previous") {
          const now = current.find((l) => l.layerName === ch.layerName);
          if (!now)
            throw new CloudError(`function ${functionName} does not use ${ch.layerName}: there is no version to go back from`, {
              code: "LayerNotAttached",
              provider: provider.name,
            });
          layer = await previousLayer(client.functions, fn, ch.layerName, now);
        }
        plan = planLayers(current, layer!, provider.limits.maxLayersPerFunction, { provider: provider.name, functionName });
      }
      rec.previousVersion = plan.previousVersion;
      rec.version = plan.version;
      rec.layers = plan.layers.map(layerLabel);
      plans.push({ fn, rec, plan, read });
    } catch (err) {
      plans.push({ fn, rec: { ...rec, error: errorFields(err) }, plan: null, read: null });
    }
  }

  const results: AttachRecord[] = [];
  const wantsVersion = Boolean(opts.publishVersion || opts.alias);
  for (const { fn, rec, plan, read } of plans) {
    if (!plan || !read) {
      results.push(rec);
      continue;
    }
    if (opts.dryRun) {
      // Reads only: the function version that would serve (null: one would be published).
      try {
        const existing = wantsVersion && plan.unchanged ? await publishedWith(client.functions, fn, plan.layers, opts.alias) : null;
        results.push({ ...rec, status: plan.unchanged ? "unchanged" : "planned", functionVersion: existing?.version ?? null, alias: opts.alias ?? null });
      } catch (err) {
        results.push({ ...rec, error: errorFields(err) });
      }
      continue;
    }
    let updated = false;
    let phase: "update" | "version" | "alias" = "update";
    const where = `${provider.name} ${target.region}`;
    try {
      if (plan.unchanged) {
        log.debug(`${provider.name} ${target.region}: ${fn.functionName} already has ${rec.layers.join(", ") || "no layers"}`);
      } else {
        const { requestId } = await updateLayers(client, fn, plan.layers, read, wait, { provider: provider.name, where, log, budget });
        rec.requestId = requestId;
        updated = true;
      }
      rec.status = plan.unchanged ? "unchanged" : ch.kind === "detach" ? "detached" : "attached";
      if (wantsVersion) {
        const existing = updated ? null : await publishedWith(client.functions, fn, plan.layers, opts.alias);
        if (existing) log.debug(`${provider.name} ${target.region}: ${fn.functionName} version ${existing.version} already has these layers; no new version`);
        phase = "version";
        const version = existing?.version ?? (await publishVersion(client, fn, opts, rec, { provider: provider.name, region: target.region, log, budget }));
        rec.functionVersion = version;
        if (opts.alias) {
          phase = "alias";
          if (existing?.aliased !== true) {
            const pointed = await pointAliasOnce(client, fn, opts.alias, version, wait, { where, log, budget });
            rec.requestId = pointed.requestId ?? rec.requestId;
          }
          rec.alias = opts.alias;
        }
      }
      results.push(rec);
    } catch (err) {
      const error = errorFields(err);
      // Say what did happen: the layer list may already be updated, or a version published.
      const state =
        ch.kind === "detach" ? `${fn.functionName} no longer uses ${layerName}` : `${fn.functionName} uses ${rec.layers.find((l) => l.startsWith(`${layerName}:`)) ?? layerName}`;
      const done = updated || plan.unchanged ? `${state}${rec.functionVersion ? ` and has version ${rec.functionVersion}` : ""}; ` : "";
      // A function version whose publishing had an unknown outcome may exist: its hint says how to
      // check; a re-run with --publish-version would make another.
      const again = phase === "version" && outcomeUnknown(err) ? "" : retryCommand(ch, rec, target, opts);
      results.push({ ...rec, status: "failed", error: { ...error, hint: `${done}${error.hint ?? ""}${error.hint && again ? "; " : ""}${again}` } });
    }
  }
  return results;
}

/** Publishes a function version, looking into an unknown outcome rather than repeating it (./function-version.ts). */
async function publishVersion(
  client: ProviderClient,
  fn: FunctionRef,
  opts: AttachOptions,
  rec: AttachRecord,
  ctx: { provider: Target["provider"]["name"]; region: string; log: Logger; budget: AttachBudget },
): Promise<string> {
  const published = await publishFunctionOnce(
    client,
    { functionName: fn.functionName, namespace: fn.namespace, description: opts.description },
    { provider: ctx.provider, region: ctx.region, budget: ctx.budget, log: ctx.log },
  );
  rec.requestId = published.requestId ?? rec.requestId;
  if (!published.version)
    throw new CloudError(`publishing a version of ${fn.functionName} gave no version number`, { code: "InvalidResponse", requestId: published.requestId ?? undefined });
  return published.version;
}

/** A published version whose layer list is exactly `layers`: the alias's (then nothing changes), else the newest. */
async function publishedWith(updater: FunctionUpdater, fn: FunctionRef, layers: AttachedLayer[], alias: string | undefined): Promise<{ version: string; aliased: boolean } | null> {
  const aliased = alias ? await updater.aliasVersion(fn, alias) : null;
  if (aliased && sameLayers(await updater.versionLayers(fn, aliased), layers)) return { version: aliased, aliased: true };
  const newest = (await updater.listVersions(fn))[0]?.version;
  if (newest && newest !== aliased && sameLayers(await updater.versionLayers(fn, newest), layers)) return { version: newest, aliased: false };
  return null;
}

/** The command that finishes the job for one function, to paste. */
function retryCommand(ch: LayerChange, rec: AttachRecord, target: Target, opts: AttachOptions): string {
  const where = `--function ${rec.functionName} -p ${target.provider.name} -r ${target.region}`;
  const version = `${opts.publishVersion || opts.alias ? " --publish-version" : ""}${opts.alias ? ` --alias ${opts.alias}` : ""}`;
  if (rec.functionVersion && opts.alias) return `point the alias again with \`layerctl attach ${rec.layerName}:${rec.version} ${where} --alias ${opts.alias}\``;
  if (ch.kind === "detach") return `retry with \`layerctl detach ${rec.layerName} ${where}${version}\``;
  if (rec.version === null) return `retry with \`layerctl attach ${rec.layerName} --to-previous ${where}${version}\``;
  return `retry with \`layerctl attach ${rec.layerName}:${rec.version} ${where}${version}\``;
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
        const look = client.within(lookupBudget(ctx.budget));
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
  wait: () => UpdateWaitOptions,
  ctx: { where: string; log: Logger; budget: AttachBudget },
): Promise<{ requestId: string | null }> {
  try {
    return await client.functions.pointAlias(fn, alias, version, wait());
  } catch (err) {
    if (!outcomeUnknown(err)) throw err;
    const now = await client
      .within(lookupBudget(ctx.budget))
      .functions.aliasVersion(fn, alias)
      .catch(() => undefined);
    if (now !== version) throw err.with({ hint: `alias ${alias} may point at version ${version} already: check it before pointing it again` });
    ctx.log.warn(`${ctx.where}: the answer to pointing alias ${alias} of ${fn.functionName} was lost (${err.code}), but it points at version ${version}`);
    return { requestId: null };
  }
}
