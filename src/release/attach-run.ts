// What `layerctl attach` and `layerctl detach` do, target by target: which targets (the flags, the
// config file's targets of the layer, or a record file's), which version each target moves to (the
// one named, the newest, the one the record says that very target got -- versions differ by
// region --, or the one it used before), and then ./attach-functions.ts for the functions.
import path from "node:path";
import { CloudError, UsageError } from "../errors.js";
import { loadConfig, type EffectiveLayer } from "../config/load.js";
import type { AttachRecord, AttachedLayer, ProviderClient, ProviderName } from "../providers/types.js";
import { readRecordFile } from "../record/write.js";
import type { RecordEntry } from "../record/schema.js";
import { attachOptionsFrom, parseLayerRef } from "./attach-options.js";
import type { CommandContext } from "../targets/context.js";
import { failedTarget } from "../targets/failed-records.js";
import { describeTarget } from "../targets/describe.js";
import { runSettings, withTargets } from "../targets/runner.js";
import { ALL } from "../targets/all-regions.js";
import { selectProviders, splitList, type Target, type TargetOptions } from "../targets/resolve.js";
import { attachFunctions, namespaceOf, type AttachOptions, type LayerChange } from "./attach-functions.js";
import { notALayer, scopeLayers } from "./config-scope.js";
import { qualifiedRegion } from "../providers/qualified.js";
import { UPDATE_POLL_INTERVAL_MS } from "./publish-attach.js";

export interface AttachInput extends TargetOptions {
  /** `name:version`, `name:latest`, or `name` with --from-record / --to-previous (detach: `name`). */
  layer: string;
  /** Function names, comma-separated or repeated. */
  function?: string[];
  namespace?: string;
  publishVersion?: boolean;
  alias?: string;
  description?: string;
  timeout?: string;
  /** Read the functions and say what would change; change nothing. */
  dryRun?: boolean;
  /** Each target's version from this record file (--record of the publish). */
  fromRecord?: string;
  /** Back to the version each function used before (the record's `previous`, else the function's published versions). */
  toPrevious?: boolean;
  /** --config FILE; else the file found from cwd upwards. */
  config?: string;
  cwd?: string;
}

export interface AttachDocument {
  results: AttachRecord[];
}

type VersionSource = { kind: "number"; version: number } | { kind: "latest" } | { kind: "record"; entries: Map<string, RecordEntry> } | { kind: "previous" } | { kind: "detach" };

export async function runAttach(input: AttachInput, ctx: CommandContext, mode: "attach" | "detach"): Promise<AttachDocument> {
  const here = input.cwd ?? process.cwd();
  const name = layerNameOf(input, mode);
  const loaded = await loadConfig({ file: input.config, cwd: input.cwd });
  const configured = loaded?.config.layers.some((l) => l.name === name) ? loaded : null;
  const flagsGiven = splitList(input.provider).length > 0;
  const record = input.fromRecord === undefined ? undefined : await readRecordFile(path.resolve(here, input.fromRecord));
  const recorded = record ? record.layers[name] : undefined;
  if (record && !recorded) {
    throw new UsageError(`${input.fromRecord} records no version of ${name}`, {
      code: "MissingRecord",
      hint: `it records: ${Object.keys(record.layers).join(", ") || "nothing"}`,
    });
  }
  if (loaded && !configured && !flagsGiven && !record) throw notALayer(loaded, name, "; give --provider to work on a layer the file does not declare");

  // Targets: the file's for a layer it declares (the flags select among them), a record's, or the flags'.
  let targetOptions: TargetOptions = input;
  let layer: EffectiveLayer | undefined;
  if (configured) {
    const scope = scopeLayers(configured, [name], input, ctx.env);
    const scoped = scope.layers[0];
    if (!scoped) throw new UsageError(`${name}: ${scope.skipped[0]!.reason}`, { code: "NoSuchTarget" });
    layer = scoped.layer;
    targetOptions = { ...input, provider: scoped.providers, region: scoped.regions };
  } else if (recorded && !flagsGiven) {
    const pairs = Object.entries(recorded).flatMap(([provider, byRegion]) => Object.keys(byRegion ?? {}).map((region) => ({ provider, region })));
    const regions = splitList(input.region);
    // `region` / `provider:region` (or `provider=region`); `all` / `aws:all`: every region the record has (for that provider).
    const wanted = regions.map((r) => qualifiedRegion(r) ?? { qualifier: undefined, region: r });
    const chosen =
      regions.length === 0 ? pairs : pairs.filter((pr) => wanted.some((w) => (w.qualifier ?? pr.provider) === pr.provider && (w.region === pr.region || w.region === ALL)));
    const named = (list: typeof pairs) => list.map((pr) => `${pr.provider}:${pr.region}`);
    if (chosen.length === 0)
      throw new UsageError(`--region ${regions.join(",")}: ${input.fromRecord} records ${name} in ${named(pairs).join(", ")} only`, { code: "NoSuchTarget" });
    targetOptions = { ...input, provider: [...new Set(chosen.map((pr) => pr.provider))], region: named(chosen) };
  }

  // The config's attach settings, where the flags say nothing.
  const opts = attachOptionsFrom({
    function: splitList(input.function).length > 0 ? input.function : layer?.attach?.functions,
    namespace: input.namespace ?? layer?.attach?.namespace,
    publishVersion: input.publishVersion ?? layer?.attach?.publishVersion,
    alias: input.alias ?? layer?.attach?.alias,
    description: input.description,
  });
  const attachOpts: AttachOptions = { ...opts, dryRun: input.dryRun };
  const source = versionSource(input, mode, recorded);
  const settings = runSettings(input);
  for (const p of selectProviders(targetOptions.provider)) {
    if (opts.namespace && !p.features.functionNamespaces) ctx.log.warn(`${p.name} functions have no namespace; --namespace is ignored`);
  }

  // The embedded emulator starts empty: give it the functions (the layer must be published first).
  const seeds = opts.functions.map((fn) => ({ name: fn, namespace: opts.namespace }));
  return withTargets(targetOptions, ctx, { settings, seedFunctions: seeds, deferNote: true }, async (run) => {
    const { targets } = run;
    if (source.kind === "record") {
      const missing = targets.filter((t) => !source.entries.has(key(t.provider.name, t.region)));
      if (missing.length > 0) {
        throw new UsageError(`${input.fromRecord} records no${input.toPrevious ? " previous" : ""} version of ${name} for ${missing.map(describeTarget).join(", ")}`, {
          code: "MissingRecord",
          hint: "publish there with --record first, or leave those targets out with --provider / --region",
        });
      }
    }
    run.sayNote();
    ctx.progress?.(`${input.dryRun ? "planning" : mode === "detach" ? "detaching" : "attaching"} ${input.layer} ${mode === "detach" ? "from" : "to"} ${opts.functions.join(", ")}`);
    const perTarget = await run.each(async ({ target: t, client, budget }) => {
      const wait = () => ({ waitTimeoutMs: budget.remaining(), pollIntervalMs: UPDATE_POLL_INTERVAL_MS });
      let change: LayerChange;
      try {
        change = await changeFor(client, t, name, source);
      } catch (err) {
        return failAll(t, name, source.kind === "number" ? source.version : null, attachOpts, err);
      }
      return attachFunctions(client, t, change, attachOpts, wait, ctx.log, budget);
    });
    return { results: perTarget.flat() };
  });
}

function layerNameOf(input: AttachInput, mode: "attach" | "detach"): string {
  const raw = (input.layer ?? "").trim();
  const bare = mode === "detach" || input.fromRecord !== undefined || input.toPrevious;
  if (!bare) return parseLayerRef(raw).layerName;
  if (!raw || /:(\d+|latest)$/.test(raw)) {
    const why =
      mode === "detach"
        ? "detach takes the layer's name"
        : input.fromRecord !== undefined
          ? "--from-record gives each target its version"
          : "--to-previous finds each function's version";
    throw new UsageError(`"${raw}": ${why}, without a version`, { code: "InvalidLayerRef", hint: `write the name alone, e.g. ${raw.replace(/:(\d+|latest)$/, "") || "deps"}` });
  }
  return raw;
}

function versionSource(input: AttachInput, mode: "attach" | "detach", recorded: Record<string, Record<string, RecordEntry>> | undefined): VersionSource {
  if (mode === "detach") {
    if (input.fromRecord !== undefined || input.toPrevious) throw new UsageError("detach takes neither --from-record nor --to-previous", { code: "ConflictingOptions" });
    return { kind: "detach" };
  }
  if (recorded) {
    const entries = new Map<string, RecordEntry>();
    for (const [p, byRegion] of Object.entries(recorded)) {
      for (const [r, e] of Object.entries(byRegion ?? {})) {
        if (!input.toPrevious) entries.set(key(p as ProviderName, r), e);
        else if (e.previous) entries.set(key(p as ProviderName, r), { ...e, version: e.previous.version, arn: e.previous.arn });
      }
    }
    return { kind: "record", entries };
  }
  if (input.toPrevious) return { kind: "previous" };
  const ref = parseLayerRef(input.layer);
  return ref.version === "latest" ? { kind: "latest" } : { kind: "number", version: ref.version };
}

function key(provider: ProviderName, region: string): string {
  return `${provider} ${region}`;
}

async function changeFor(client: ProviderClient, t: Target, name: string, source: VersionSource): Promise<LayerChange> {
  switch (source.kind) {
    case "detach":
      return { kind: "detach", layerName: name };
    case "previous":
      return { kind: "previous", layerName: name };
    case "latest":
      return { kind: "attach", layer: await latestLayer(client, name) };
    case "number":
      return { kind: "attach", layer: await usableLayer(client, name, source.version) };
    case "record":
      return { kind: "attach", layer: await usableLayer(client, name, source.entries.get(key(t.provider.name, t.region))!.version) };
  }
}

/** The newest usable version, read back from the cloud. */
async function latestLayer(client: ProviderClient, name: string): Promise<AttachedLayer> {
  const usable = (await client.listLayerVersions(name)).find((v) => v.status !== "failed" && (v.state === null || v.state === "Active"));
  if (!usable || usable.version === null) {
    throw new CloudError(`layer ${name} has no usable version`, { code: "LayerNotFound", hint: `publish it first: layerctl publish <dir> --name ${name}` });
  }
  return { layerName: name, version: usable.version, arn: usable.arn };
}

/** The version to attach, read back from the cloud (it must exist and be usable; ARNs come from here). */
async function usableLayer(client: ProviderClient, name: string, version: number): Promise<AttachedLayer> {
  const rec = await client.getLayerVersion(name, version);
  if (rec.status === "failed" || (rec.state !== null && rec.state !== "Active")) {
    throw new CloudError(`layer ${name} version ${version} is ${rec.state ?? rec.status}, not Active`, {
      code: "LayerVersionNotActive",
      requestId: rec.requestId ?? undefined,
    });
  }
  return { layerName: name, version, arn: rec.arn };
}

function failAll(t: Target, name: string, version: number | null, opts: AttachOptions, err: unknown): AttachRecord[] {
  const failed = failedTarget(t, err);
  return opts.functions.map((functionName) => {
    const blank: AttachRecord = {
      provider: t.provider.name,
      region: t.region,
      functionName,
      namespace: namespaceOf(t, opts),
      layerName: name,
      previousVersion: null,
      version,
      status: "failed",
      layers: [],
      functionVersion: null,
      alias: null,
      requestId: null,
    };
    return { ...blank, ...failed };
  });
}
