// `layerctl publish` with the config file: no source publishes every configured layer, a source
// that names a configured layer publishes that one, anything else is a plain publish of that path.
// Flags given on the command line override the file's keys (they mean the same thing).
import path from "node:path";
import { stat } from "node:fs/promises";
import { UsageError } from "../errors.js";
import { displayPath, keyPath, loadConfig, type LoadedConfig } from "../config/load.js";
import { valuesFor, toEntries } from "../config/per-provider.js";
import type { LayerConfig } from "../config/schema.js";
import { publishByPrefix, mergeDocuments, type MultiPublishDocument, type PublishOne } from "./publish-groups.js";
import { writeRecordFile } from "../record/write.js";
import type { PublishInput } from "../commands/publish.js";
import type { CommandContext } from "../commands/shared/context.js";
import { selectProviders, splitList } from "../commands/shared/targets.js";
import { parseStaging } from "../commands/shared/staging.js";

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
}

export async function publishWithConfig(input: ConfigPublishInput, ctx: CommandContext, publishOne: PublishOne): Promise<ConfigPublishDocument> {
  const { config: configFile, cwd, record, source, ...flags } = input;
  const loaded = await loadConfig({ file: configFile, cwd });
  // --resume FILE reads FILE and, unless --record names another, merges the new versions into it.
  if (flags.resume !== undefined) flags.resume = path.resolve(cwd ?? process.cwd(), flags.resume);
  const plans = planLayers(loaded, source, flags, record ?? flags.resume, cwd);
  // Everything checkable without a call, for every layer, before the first one publishes.
  for (const plan of plans) await precheck(plan.input, ctx.env);

  const docs: MultiPublishDocument[] = [];
  const records = new Map<string, MultiPublishDocument[]>();
  for (const plan of plans) {
    const doc = await publishByPrefix(plan.input, ctx, publishOne);
    docs.push(doc);
    if (plan.record) records.set(plan.record, [...(records.get(plan.record) ?? []), doc]);
  }
  const merged: ConfigPublishDocument = mergeDocuments(docs);
  if (records.size > 0) {
    for (const [file, ds] of records)
      await writeRecordFile(
        file,
        ds.flatMap((d) => d.results),
      );
    merged.recordFiles = [...records.keys()];
  }
  return merged;
}

interface LayerPlan {
  input: PublishInput;
  /** Absolute path of the record file, if any. */
  record?: string;
}

function planLayers(
  loaded: LoadedConfig | null,
  source: string | undefined,
  flags: Omit<PublishInput, "source">,
  record: string | undefined,
  cwd: string | undefined,
): LayerPlan[] {
  const here = cwd ?? process.cwd();
  const recordFlag = record === undefined ? undefined : path.resolve(here, record);
  const configured = loaded?.config.layers ?? [];
  if (source === undefined) {
    if (!loaded) {
      throw new UsageError("no layer directory given and no config file found", {
        code: "MissingSource",
        hint: "give a directory (layerctl publish ./layer -n NAME ...), or declare layers in layerctl.config.json (layerctl init writes one)",
      });
    }
    if (flags.name && configured.length > 1) {
      throw new UsageError(`--name cannot rename all ${configured.length} configured layers`, { code: "ConflictingOptions", hint: "publish one of them: layerctl publish <name>" });
    }
    return configured.map((l) => fromLayer(l, loaded, flags, recordFlag));
  }
  const named = configured.find((l) => l.name === source);
  if (named && loaded) return [fromLayer(named, loaded, flags, recordFlag)];
  return [{ input: { ...flags, source: path.resolve(here, source) }, record: recordFlag }];
}

/** The layer's keys as publish input, with the flags that were given laid over them. */
export function fromLayer(l: LayerConfig, loaded: LoadedConfig, flags: Omit<PublishInput, "source">, recordFlag?: string): LayerPlan {
  const isList = (v: unknown): v is string[] => Array.isArray(v);
  const isString = (v: unknown): v is string => typeof v === "string";
  const prefixEntries = toEntries(l.prefix, isString, (v) => [v]);
  const base: PublishInput = {
    source: path.resolve(loaded.dir, l.dir),
    name: l.name,
    runtime: toEntries(l.runtimes, isList, (v) => v),
    arch: l.architectures,
    description: l.description,
    license: l.license,
    exclude: l.excludes,
    prefix: prefixEntries.length === 0 ? undefined : typeof l.prefix === "string" ? (l.prefix === "" ? undefined : l.prefix) : prefixEntries.join(","),
    symlinks: l.symlinks,
    provider: l.providers,
    region: l.regions,
    skipUnchanged: l.skipUnchanged,
    public: l.sharing?.public,
    shareAccount: l.sharing?.accounts,
    shareOrganization: l.sharing?.organizations,
    attach: l.attach?.functions,
    namespace: l.attach?.namespace,
    publishVersion: l.attach?.publishVersion,
    alias: l.attach?.alias,
    upload: l.upload,
    bucket: bucketEntries(l.buckets),
    keepStaged: l.keepStaged,
    storageEndpoint: l.storageEndpoint,
    timeout: l.timeout === undefined ? undefined : String(l.timeout),
  };
  const input = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(flags)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    input[k] = v;
  }
  // --provider narrows the file's providers (a CI matrix job per provider): the file's
  // provider:region entries (regions, buckets) for the others no longer apply.
  const given = splitList(flags.provider);
  const ofGiven = (entries: string[]) =>
    entries.filter((r) => {
      const m = /^([a-z]+)[:=]/.exec(r);
      return !m || given.includes(m[1]!);
    });
  const fileBuckets = splitList(flags.bucket).length === 0 && base.bucket!.length > 0;
  if (given.length > 0 && splitList(flags.region).length === 0 && l.regions) input.region = ofGiven(l.regions);
  if (given.length > 0 && fileBuckets) input.bucket = ofGiven(base.bucket!);
  // --upload inline for this run: the file's buckets have nothing to do.
  if (flags.upload === "inline" && fileBuckets) input.bucket = [];
  if (fileBuckets && given.length === 0 && typeof l.buckets === "object") checkBucketProviders(l, loaded, splitList(input.provider as string[] | undefined));
  return { input: input as unknown as PublishInput, record: recordFlag ?? (l.record ? path.resolve(loaded.dir, l.record) : undefined) };
}

/** "buckets" as the --bucket entries they mean: `NAME`, `aws=NAME`, `tencent:ap-guangzhou=NAME`. */
function bucketEntries(buckets: LayerConfig["buckets"]): string[] {
  if (buckets === undefined) return [];
  return typeof buckets === "string" ? [buckets] : Object.entries(buckets).map(([target, name]) => `${target}=${name}`);
}

/** A bucket for a provider the layer does not publish to is a mistake in the file: name its key, not --bucket. */
function checkBucketProviders(l: LayerConfig, loaded: LoadedConfig, providers: string[]): void {
  if (providers.length === 0) return;
  const i = loaded.config.layers.indexOf(l);
  for (const target of Object.keys(l.buckets as Record<string, string>)) {
    const provider = target.split(":")[0]!;
    if (providers.includes(provider)) continue;
    throw new UsageError(
      `${displayPath(loaded.file)}: ${keyPath(["layers", i, "buckets", target])}: names ${provider}, which is not among the layer's providers (${providers.join(", ")})`,
      {
        code: "UnusedBucket",
        hint: `add ${provider} to "providers", or drop that bucket`,
      },
    );
  }
}

async function precheck(input: PublishInput, env: NodeJS.ProcessEnv): Promise<void> {
  const providers = selectProviders(input.provider);
  const runtimes = splitList(input.runtime);
  for (const p of providers) p.resolveRuntimes(valuesFor(p.name, runtimes));
  // --upload, --bucket and --storage-endpoint (or their keys) of every layer, before any publishes.
  parseStaging(input, env, providers);
  const st = await stat(input.source).catch(() => null);
  if (!st) throw new UsageError(`${input.source} does not exist`, { code: "MissingSource", hint: `layer ${input.name ?? ""} needs its dir` });
}
