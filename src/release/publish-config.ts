// `layerctl publish` with the config file: no source publishes every configured layer, a source
// that names a configured layer publishes that one, a path is a plain publish of that path, and
// anything else is a mistake that lists the file's layers. Flags given on the command line
// override the file's keys (they mean the same thing), except --provider and --region, which
// select among the targets the file declares (./config-scope.ts).
import path from "node:path";
import { stat } from "node:fs/promises";
import { UsageError } from "../errors.js";
import { displayPath, loadConfig, settingPath, type EffectiveLayer, type LoadedConfig } from "../config/load.js";
import { hasProviderEntries, sharingEntries, valuesFor, toEntries } from "../config/per-provider.js";
import type { LayerConfig } from "../config/schema.js";
import { prepareByPrefix, mergeDocuments, type MultiPublishDocument, type PreparedMulti, type PrepareOne } from "./publish-groups.js";
import { checkRecordFile, emulatorRecordPath, writeRecordFile } from "../record/write.js";
import { errorFields } from "../targets/failed-records.js";
import type { RecordError } from "../providers/types.js";
import { markManyLayers } from "../output/records.js";
import type { PublishInput } from "./publish.js";
import type { CommandContext } from "../targets/context.js";
import { selectProviders, splitList, startEmbedded } from "../targets/resolve.js";
import { bucketsFor, parseBuckets, parseStaging, type BucketRule } from "./staging.js";
import { notALayer, scopeLayers, type ScopedLayer, type SkippedLayer } from "./config-scope.js";
import { checkAttachTargets } from "./publish-attach.js";
import { layerBuild, prepareBuilt, type LayerBuild } from "./publish-built.js";

export interface ConfigPublishInput extends Omit<PublishInput, "source"> {
  source?: string;
  /** --config FILE; else the file found from cwd upwards. */
  config?: string;
  cwd?: string;
  /** --record FILE: merge what this run published into this file. */
  record?: string;
}

export interface ConfigPublishDocument extends MultiPublishDocument {
  /** Record files written (absolute paths), when any. */
  recordFiles?: string[];
  /** Layers of the file this run left out: --provider / --region selected none of their targets. */
  skipped?: SkippedLayer[];
  /** A record file that could not be written after publishing: the versions above are still what was published. */
  recordErrors?: Array<RecordError & { file: string }>;
}

interface LayerPlan {
  input: PublishInput;
  /** Absolute path of the record file, if any. */
  record?: string;
  /** The layer of the file it comes from (for messages); none for a plain publish. */
  layer?: EffectiveLayer;
  loaded?: LoadedConfig;
  /** The layer's `build` key: its tree is built (per provider) and that is what gets published. */
  build?: LayerBuild;
}

export async function publishWithConfig(input: ConfigPublishInput, ctx: CommandContext, prepareOne: PrepareOne): Promise<ConfigPublishDocument> {
  const { config: configFile, cwd, record, source, ...flags } = input;
  const loaded = await loadConfig({ file: configFile, cwd });
  const here = cwd ?? process.cwd();
  // --resume FILE reads FILE and, unless --record names another, merges the new versions into it.
  if (flags.resume !== undefined) flags.resume = path.resolve(here, flags.resume);
  const { plans, skipped } = await planLayers(loaded, source, flags, record ?? flags.resume, here, ctx.env);
  // Everything checkable without a call, for every layer, before the first one publishes.
  for (const plan of plans) await precheck(plan, ctx.env);
  for (const s of skipped) ctx.log.info(`${s.layerName}: skipped: ${s.reason}`);
  const zips = plans.length + plans.filter((p) => hasProviderEntries(splitList(p.input.prefix === undefined ? [] : [p.input.prefix]))).length;
  if (flags.emulator && zips > 1) {
    // One embedded emulator for every layer (and prefix) of the run, seeded with every function to attach to.
    const seeds = plans.flatMap((p) => splitList(p.input.attach).map((name) => ({ name, namespace: p.input.namespace })));
    const embedded = await startEmbedded(seeds);
    try {
      ctx.log.info(embedded.note);
      return await publishPlans(plans, skipped, { ...ctx, embedded }, prepareOne, { ...input, loaded });
    } finally {
      await embedded.close();
    }
  }
  return publishPlans(plans, skipped, ctx, prepareOne, { ...input, loaded });
}

async function publishPlans(
  plans: LayerPlan[],
  skipped: SkippedLayer[],
  ctx: CommandContext,
  prepareOne: PrepareOne,
  run: ConfigPublishInput & { loaded: LoadedConfig | null },
): Promise<ConfigPublishDocument> {
  const { source, loaded, ...flags } = run;
  // The functions to attach to, in every target of every layer, before the first publish (a
  // single publish checks its own, right after connecting).
  if (!flags.dryRun && plans.length > 1) {
    for (const plan of plans) if (splitList(plan.input.attach).length > 0) await inLayer(plan, () => checkAttachTargets(plan.input, ctx));
  }
  const recordOf = (plan: LayerPlan) => (plan.record && flags.emulator ? emulatorRecordPath(plan.record) : plan.record);
  if (flags.emulator && !flags.dryRun) {
    for (const file of new Set(plans.map((p) => p.record).filter((f): f is string => f !== undefined))) {
      ctx.log.info(`--emulator: recording in ${displayPath(emulatorRecordPath(file))}, not ${displayPath(file)} (a rehearsal never touches a real run's record)`);
    }
  }

  // The record files can be written (readable, valid, writable), before anything is published.
  if (!flags.dryRun) for (const file of new Set(plans.flatMap((p) => (recordOf(p) ? [recordOf(p)!] : [])))) await checkRecordFile(file);

  // Every layer is checked and packed (its zip's limits, staging, the functions to attach to)
  // before the first one publishes: a mistake in the last layer stops the run before anything is sent.
  const prepared: PreparedMulti[] = [];
  let merged: ConfigPublishDocument;
  try {
    for (const plan of plans) {
      prepared.push(await inLayer(plan, () => (plan.build ? prepareBuilt(plan.input, plan.build, ctx, prepareOne) : prepareByPrefix(plan.input, ctx, prepareOne))));
    }
    const docs: MultiPublishDocument[] = [];
    const records = new Map<string, MultiPublishDocument[]>();
    for (const [i, plan] of plans.entries()) {
      const doc = await inLayer(plan, () => prepared[i]!.run());
      docs.push(doc);
      const file = recordOf(plan);
      if (file && !flags.dryRun) records.set(file, [...(records.get(file) ?? []), doc]);
    }
    merged = mergeDocuments(docs);
    if (records.size > 0) {
      const written: string[] = [];
      for (const [file, ds] of records) {
        try {
          await writeRecordFile(
            file,
            ds.flatMap((d) => d.results),
          );
          written.push(file);
        } catch (err) {
          // The versions were published: the document says so, and this failure is its own line.
          (merged.recordErrors ??= []).push({ file, ...errorFields(err) });
        }
      }
      merged.recordFiles = written;
    }
  } finally {
    for (const p of prepared) await p.dispose();
  }
  if (skipped.length > 0) merged.skipped = skipped;
  // Every layer of the file: the document can hold several, so its env keys and version lines name the layer.
  return loaded && source === undefined ? markManyLayers(merged) : merged;
}

async function planLayers(
  loaded: LoadedConfig | null,
  source: string | undefined,
  flags: Omit<PublishInput, "source">,
  record: string | undefined,
  here: string,
  env: NodeJS.ProcessEnv,
): Promise<{ plans: LayerPlan[]; skipped: SkippedLayer[] }> {
  const recordFlag = record === undefined ? undefined : path.resolve(here, record);
  // --bucket is parsed once for the run, here (in plain() or below): every layer, prefix group and build tree gets these rules.
  const plain = () => ({
    plans: [{ input: { ...flags, bucket: undefined, buckets: parseBuckets(flags.bucket), source: path.resolve(here, source!) }, record: recordFlag }],
    skipped: [],
  });
  if (source === undefined) {
    if (!loaded) {
      throw new UsageError("no layer directory given and no config file found", {
        code: "MissingSource",
        hint: "give a directory (layerctl publish ./layer -n NAME ...), or declare layers in layerctl.config.json (layerctl init writes one)",
      });
    }
    if (flags.name && loaded.config.layers.length > 1) {
      throw new UsageError(`--name cannot rename all ${loaded.config.layers.length} configured layers`, {
        code: "ConflictingOptions",
        hint: "publish one of them: layerctl publish <name>",
      });
    }
  } else if (!loaded?.config.layers.some((l) => l.name === source)) {
    // A path (the file is not involved), or, with a file, a layer name mistyped.
    if (!loaded || (await stat(path.resolve(here, source)).catch(() => null))) return plain();
    throw notALayer(loaded, source, ", nor a file or folder here");
  }
  const scope = scopeLayers(loaded, source === undefined ? undefined : [source], flags, env);
  const buckets = parseBuckets(flags.bucket);
  // A --bucket for a provider no layer of this run publishes to serves nothing: a mistake.
  const providers = new Set(scope.layers.flatMap((l) => l.providers as string[]));
  for (const { provider: named, entry } of buckets) {
    if (named && !providers.has(named)) {
      throw new UsageError(`--bucket ${entry} names ${named}, to which no layer of this run publishes`, {
        code: "UnusedBucket",
        hint: `drop that bucket, or select ${named} with --provider`,
      });
    }
  }
  return { plans: scope.layers.map((l) => fromLayer(l, loaded, { ...flags, buckets }, recordFlag)), skipped: scope.skipped };
}

/** The layer's keys as publish input, with the flags that were given laid over them. */
export function fromLayer(scoped: ScopedLayer, loaded: LoadedConfig, flags: Omit<PublishInput, "source">, recordFlag?: string): LayerPlan {
  const l = scoped.layer;
  const isList = (v: unknown): v is string[] => Array.isArray(v);
  const isString = (v: unknown): v is string => typeof v === "string";
  const prefixEntries = toEntries(l.prefix, isString, (v) => [v]);
  const build = layerBuild(l, loaded);
  // The file's "buckets", parsed once for this layer (the schema checked their keys); --bucket, when given, wins.
  const fileBuckets = parseBuckets(bucketEntries(l.buckets));
  const flagBuckets = flags.buckets ?? parseBuckets(flags.bucket);
  const base: PublishInput = {
    source: l.dir === undefined ? "" : path.resolve(loaded.dir, l.dir),
    name: l.name,
    runtime: toEntries(l.runtimes, isList, (v) => v),
    arch: l.architectures,
    description: l.description,
    license: l.license,
    exclude: l.excludes,
    // A built layer is laid out by its build: a top-level prefix (for the file's folders) is not its.
    prefix: prefixEntries.length === 0 || build ? undefined : typeof l.prefix === "string" ? (l.prefix === "" ? undefined : l.prefix) : prefixEntries.join(","),
    symlinks: l.symlinks,
    skipUnchanged: l.skipUnchanged,
    ...sharingInput(l.sharing),
    attach: l.attach?.functions,
    namespace: l.attach?.namespace,
    publishVersion: l.attach?.publishVersion,
    alias: l.attach?.alias,
    upload: l.upload,
    keepStaged: l.keepStaged,
    storageEndpoint: l.storageEndpoint,
    timeout: l.timeout === undefined ? undefined : String(l.timeout),
    check: l.check,
  };
  const input = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(flags)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    // true is commander's value when --no-check is not given: only --no-check overrides the file.
    if (k === "check" && v === true) continue;
    input[k] = v;
  }
  // The file's sharing serves every layer and leg: a leg whose clouds cannot share still publishes.
  const sharingFlags = flags.public !== undefined || splitList(flags.shareAccount).length > 0 || splitList(flags.shareOrganization).length > 0;
  if (!sharingFlags) input.shareWhereCan = true;
  // --provider / --region selected these targets among the file's.
  input.provider = scoped.providers;
  input.region = scoped.regions;
  const fromFile = flagBuckets.length === 0 && fileBuckets.length > 0;
  // Top-level buckets serve every layer; a layer's own bucket for a provider it does not use is a mistake.
  if (fromFile && typeof l.buckets === "object" && !l.inherited.has("buckets")) checkBucketProviders(l, loaded, fileBuckets);
  // The file's buckets (or --bucket's) for providers this run leaves out have nothing to do here.
  input.bucket = undefined;
  input.buckets = bucketsFor(fromFile ? fileBuckets : flagBuckets, scoped.providers);
  // --upload inline for this run: the file's buckets have nothing to do.
  if (flags.upload === "inline" && fromFile) input.buckets = [];
  return {
    input: input as unknown as PublishInput,
    record: recordFlag ?? (l.record ? path.resolve(loaded.dir, l.record) : undefined),
    layer: l,
    loaded,
    ...(build ? { build } : {}),
  };
}

/** "sharing" as --public / --share-account / --share-organization; by provider, as provider:ID entries. */
function sharingInput(sharing: LayerConfig["sharing"]): Pick<PublishInput, "public" | "shareAccount" | "shareOrganization"> {
  const s = sharingEntries(sharing);
  return { public: s.public, shareAccount: s.accounts, shareOrganization: s.organizations };
}

/** "buckets" as the --bucket entries they mean: `NAME`, `aws=NAME`, `tencent:ap-guangzhou=NAME`. */
function bucketEntries(buckets: LayerConfig["buckets"]): string[] {
  if (buckets === undefined) return [];
  return typeof buckets === "string" ? [buckets] : Object.entries(buckets).map(([target, name]) => `${target}=${name}`);
}

/** A bucket for a provider the layer does not publish to is a mistake in the file: name its key, not --bucket. */
function checkBucketProviders(l: EffectiveLayer, loaded: LoadedConfig, rules: BucketRule[]): void {
  const providers = l.providers ?? [];
  if (providers.length === 0) return;
  for (const { provider, region } of rules) {
    if (provider === undefined || providers.includes(provider)) continue;
    const target = region === undefined ? provider : `${provider}:${region}`;
    throw new UsageError(
      `${displayPath(loaded.file)}: ${settingPath(l, "buckets", target)}: names ${provider}, which is not among the layer's providers (${providers.join(", ")})`,
      {
        code: "UnusedBucket",
        hint: `add ${provider} to "providers", or drop that bucket`,
      },
    );
  }
}

async function precheck(plan: LayerPlan, env: NodeJS.ProcessEnv): Promise<void> {
  const { input, layer, loaded } = plan;
  const providers = selectProviders(input.provider);
  const runtimes = splitList(input.runtime);
  for (const p of providers) {
    const mine = valuesFor(p.name, runtimes);
    try {
      p.resolveRuntimes(mine);
    } catch (err) {
      if (!(err instanceof UsageError) || !layer || !loaded || splitList(runtimesFlag(input, layer)).length > 0) throw err;
      // Said where the file wrote it: runtimes[1], or runtimes.aws[0].
      const perProvider = layer.runtimes !== undefined && !Array.isArray(layer.runtimes);
      const list = perProvider ? ((layer.runtimes as Record<string, string[]>)[p.name] ?? []) : ((layer.runtimes as string[] | undefined) ?? []);
      const bad = list.findIndex((r) => {
        try {
          p.resolveRuntimes([r]);
          return false;
        } catch {
          return true;
        }
      });
      const key = bad < 0 ? [] : perProvider ? [p.name, bad] : [bad];
      throw err.with({ message: `${displayPath(loaded.file)}: ${settingPath(layer, "runtimes", ...key)}: ${err.message}` });
    }
  }
  // --upload, --bucket and --storage-endpoint (or their keys) of every layer, before any publishes.
  await inLayer(plan, async () => parseStaging(input, env, providers));
  if (plan.build) return plan.build.check(input);
  const st = await stat(input.source).catch(() => null);
  if (!st) {
    if (layer && loaded) {
      throw new UsageError(`${displayPath(loaded.file)}: ${settingPath(layer, "dir")}: ${displayPath(input.source)} does not exist`, {
        code: "MissingSource",
        hint: `"dir" is relative to ${displayPath(loaded.file)}`,
      });
    }
    throw new UsageError(`${input.source} does not exist`, { code: "MissingSource", hint: "give a layer directory or a .zip file" });
  }
}

/** The runtimes given on the command line, if any (the file's are not): those errors name --runtime. */
function runtimesFlag(input: PublishInput, layer: EffectiveLayer): string[] {
  const fromFile = toEntries(
    layer.runtimes,
    (v: unknown): v is string[] => Array.isArray(v),
    (v) => v,
  );
  const given = splitList(input.runtime);
  return given.join(",") === fromFile.join(",") ? [] : given;
}

/** A usage error while publishing a layer of the file says which layer it concerns. */
async function inLayer<T>(plan: LayerPlan, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    const { layer, loaded } = plan;
    if (!(err instanceof UsageError) || !layer || !loaded || err.message.startsWith(displayPath(loaded.file)) || err.code === "MissingCredentials") throw err;
    const bucket = err.code === "MissingBucket";
    throw err.with({
      message: `${displayPath(loaded.file)}: layers[${layer.index}] (${layer.name})${bucket ? " buckets" : ""}: ${err.message}`,
      ...(bucket ? { hint: `add them to "buckets" (the layer's, or the top level's for every layer), e.g. {"aws": "my-layers-{region}"}, or pass --bucket PROVIDER=NAME` } : {}),
    });
  }
}
