// Which way each target's zip goes (inline in the API call, or staged in the provider's object
// storage first), where it is staged, and the staging itself. Everything that can be wrong with
// --upload, --bucket and --storage-endpoint is found here before any cloud call.
import { CloudError, LayerctlError, UsageError } from "../errors.js";
import type { ProviderName } from "../providers/names.js";
import type { Logger } from "../output/log.js";
import { humanBytes } from "../output/table.js";
import { getProvider } from "../providers/index.js";
import { parseQualified } from "../providers/qualified.js";
import { stagedKey } from "../providers/object-upload.js";
import type { ConnectOptions, LayerSpec, Provider, StagedFile, StagedObject, StagedRecord, StorageClient, UploadMode } from "../providers/types.js";
import { parseEndpoint } from "../providers/endpoint.js";
import { splitList, type Target } from "../targets/resolve.js";

export type UploadChoice = "auto" | UploadMode;
const CHOICES: UploadChoice[] = ["auto", "inline", "storage"];

export interface StagingInput {
  /** auto (default), inline or storage. */
  upload?: string;
  /** NAME, provider=NAME or provider:region=NAME; repeatable. */
  bucket?: string[];
  /** The same, parsed once for the run (parseBuckets): read instead of `bucket` when given. */
  buckets?: BucketRule[];
  keepStaged?: boolean;
  storageEndpoint?: string;
}

export interface BucketRule {
  provider?: ProviderName;
  region?: string;
  name: string;
  /** The entry as written (`aws=NAME`), for messages. */
  entry: string;
  /** From LAYERCTL_BUCKET_*: flags win over it. */
  fromEnv?: boolean;
}

export interface StagingOptions {
  choice: UploadChoice;
  keep: boolean;
  rules: BucketRule[];
  /** --storage-endpoint, already checked. */
  endpoint?: string;
}

export type TargetPlan = { upload: "inline" } | { upload: "storage"; bucket?: string; endpoint?: string };

/** Checks --upload, --bucket (and LAYERCTL_BUCKET_*) and --storage-endpoint: no call, no archive needed. */
export function parseStaging(input: StagingInput, env: NodeJS.ProcessEnv, selected: Provider[]): StagingOptions {
  const choice = (input.upload ?? "auto") as UploadChoice;
  if (!CHOICES.includes(choice)) {
    throw new UsageError(`--upload must be auto, inline or storage, not "${input.upload}"`, { code: "InvalidOption" });
  }
  const rules: BucketRule[] = [];
  if (input.buckets) for (const rule of input.buckets) rules.push(selectedRule(rule, "--bucket", selected));
  else for (const entry of splitList(input.bucket)) rules.push(selectedRule(parseBucket(entry, "--bucket"), "--bucket", selected));
  // The environment is per provider: a plain NAME there serves that provider only.
  for (const p of selected) {
    const value = env[p.storage.bucketVariable];
    for (const entry of splitList(value ? [value] : [])) {
      const rule = selectedRule(parseBucket(entry, p.storage.bucketVariable), p.storage.bucketVariable, selected);
      if (rule.provider && rule.provider !== p.name) {
        throw new UsageError(`${p.storage.bucketVariable} names ${rule.provider}: it holds ${p.name} buckets only`, { code: "InvalidBucket" });
      }
      rules.push({ ...rule, provider: p.name, fromEnv: true });
    }
  }
  if (choice === "inline" && (input.buckets ?? input.bucket)?.length) {
    throw new UsageError("--bucket has no use with --upload inline", { code: "ConflictingOptions", hint: "drop --bucket, or use --upload auto|storage" });
  }
  const endpoint = input.storageEndpoint === undefined ? undefined : parseEndpoint(input.storageEndpoint, "--storage-endpoint");
  return { choice, keep: Boolean(input.keepStaged), rules, endpoint };
}

/** --bucket's entries (split at commas) as rules: the grammar only, not yet checked against the selected providers. */
export function parseBuckets(entries: string[] | undefined): BucketRule[] {
  return splitList(entries).map((entry) => parseBucket(entry, "--bucket"));
}

/** The rules that concern some providers: a plain NAME, or one naming one of them. */
export function bucketsFor(rules: BucketRule[], names: string[]): BucketRule[] {
  return rules.filter((r) => r.provider === undefined || names.includes(r.provider));
}

function parseBucket(entry: string, from: string): BucketRule {
  const q = parseQualified(entry);
  if (!q || q.form === "provider:value" || q.value === "") {
    // No store allows "=" or ":" in a bucket name: this is a rule written wrong.
    if (entry.includes("=") || entry.includes(":")) {
      throw new UsageError(`${from} "${entry}" must be NAME, provider=NAME or provider:region=NAME`, { code: "InvalidBucket" });
    }
    return { name: entry, entry };
  }
  return { provider: getProvider(q.qualifier).name, region: q.region, name: q.value, entry };
}

function selectedRule(rule: BucketRule, from: string, selected: Provider[]): BucketRule {
  const provider = rule.provider;
  if (provider !== undefined && !selected.some((p) => p.name === provider)) {
    throw new UsageError(`${from} ${rule.entry} names ${provider}, which is not among the selected providers`, {
      code: "UnusedBucket",
      hint: `add ${provider} to --provider, or drop that bucket`,
    });
  }
  return rule;
}

/** The bucket for one target: provider:region, then provider, then a plain name; flags before the environment. */
function bucketFor(opts: StagingOptions, t: Target): string | undefined {
  const ranked = [
    (r: BucketRule) => r.provider === t.provider.name && r.region === t.region,
    (r: BucketRule) => r.provider === t.provider.name && r.region === undefined,
    (r: BucketRule) => r.provider === undefined,
  ];
  for (const env of [false, true]) {
    for (const matches of ranked) {
      const rule = opts.rules.find((r) => Boolean(r.fromEnv) === env && matches(r));
      if (rule) return rule.name.replaceAll("{region}", t.region);
    }
  }
  return undefined;
}

/** Whether the zip can go inline: the provider's own size check, without its error. */
export function inlineCheck(provider: Provider, spec: LayerSpec): UsageError | null {
  try {
    provider.validateLayer(spec);
    return null;
  } catch (err) {
    if (err instanceof UsageError && err.code === "ZipTooLarge") return err;
    throw err;
  }
}

/**
 * One target's way. `tooBig` is the provider's inline size error, null when the zip fits inline.
 * A staged zip over the store's zip limit, or with no bucket to go to, is a usage error here (the
 * unzipped limit holds either way: validateLayer checks it).
 */
export function planTarget(opts: StagingOptions, t: Target, sizes: { zip: number }, tooBig: UsageError | null, env: NodeJS.ProcessEnv, emulator: boolean): TargetPlan {
  const where = `${t.provider.name} ${t.region}`;
  if (opts.choice === "inline") {
    if (tooBig) {
      throw new UsageError(`${where}: ${tooBig.message}`, {
        code: tooBig.code,
        provider: t.provider.name,
        hint: `${tooBig.hint ?? ""}; or drop --upload inline to stage it in ${t.provider.storage.service}`.replace(/^; /, ""),
      });
    }
    return { upload: "inline" };
  }
  if (opts.choice === "auto" && !tooBig) return { upload: "inline" };

  const storage = t.provider.storage;
  if (storage.maxStagedZipBytes !== null && sizes.zip > storage.maxStagedZipBytes) {
    throw new UsageError(
      `${where}: the zip is ${sizes.zip} bytes (${humanBytes(sizes.zip)}), over the ${humanBytes(storage.maxStagedZipBytes)} a layer can have even through ${storage.service}`,
      {
        code: "ZipTooLarge",
        provider: t.provider.name,
        hint: `${storage.limitNote}; leave out files with --exclude or a .layerignore, or split the layer`,
      },
    );
  }
  const bucket = bucketFor(opts, t);
  if (bucket === undefined && !storage.temporaryBucket) {
    const why = tooBig ? `${tooBig.message}, so it must be staged in ${storage.service}` : `--upload storage stages the zip in ${storage.service}`;
    throw new UsageError(`${where}: ${why}, and no bucket is given`, {
      code: "MissingBucket",
      provider: t.provider.name,
      hint: `pass --bucket ${t.provider.name}=NAME (a bucket in ${t.region}; {region} in the name becomes the target's region) or set ${storage.bucketVariable}`,
    });
  }
  if (bucket !== undefined && !storage.bucketName.pattern.test(bucket)) {
    throw new UsageError(`"${bucket}" is not ${storage.bucketName.what}`, { code: "InvalidBucket", provider: t.provider.name, hint: storage.bucketName.hint });
  }
  return { upload: "storage", bucket, endpoint: storageEndpoint(opts, t, env, emulator) };
}

function storageEndpoint(opts: StagingOptions, t: Target, env: NodeJS.ProcessEnv, emulator: boolean): string | undefined {
  if (opts.endpoint !== undefined) return opts.endpoint;
  for (const name of t.provider.storage.endpointVariables) {
    const v = env[name];
    if (v) return parseEndpoint(v, name);
  }
  // The embedded emulator serves the stores on its one port.
  return emulator ? t.endpoint : undefined;
}

export interface StageContext {
  connect: ConnectOptions;
  log: Logger;
  where: string;
  progress?: (text: string) => void;
}

/** Upload the zip for one target; the returned client removes it afterwards. */
export async function stageZip(
  provider: Provider,
  plan: Extract<TargetPlan, { upload: "storage" }>,
  file: StagedFile,
  layerName: string,
  ctx: StageContext,
): Promise<{ client: StorageClient; staged: StagedObject }> {
  const storage = provider.storage;
  const client = await storage.connect(ctx.connect, { bucket: plan.bucket, endpoint: plan.endpoint });
  const key = client.keyFor(stagedKey(layerName, file.sha256));
  const started = Date.now();
  let shown = 0;
  let staged: StagedObject;
  try {
    staged = await client.stage(file, key, {
      progress(sent, total) {
        // At most ten updates a second: a spinner line, not a log.
        const now = Date.now();
        if (sent < total && now - shown < 100) return;
        shown = now;
        ctx.progress?.(`${ctx.where}: staging ${humanBytes(sent)} of ${humanBytes(total)} (${rate(sent, now - started)})`);
      },
    });
  } catch (err) {
    // The object may be there although staging failed (written, then not verified): it goes, or is named.
    throw await removeStagedAfterFailure(client, { bucket: client.bucket, key, region: ctx.connect.region }, err, { keep: false, asyncPublish: false });
  }
  ctx.log.info(
    `${ctx.where}: staged ${humanBytes(file.size)} in ${storage.service} ${client.bucket}/${key} (${((Date.now() - started) / 1000).toFixed(1)} s, ${rate(file.size, Date.now() - started)})`,
  );
  return { client, staged };
}

/**
 * After a successful publish: once the version is Active the cloud holds its own copy, so the
 * staged object can go. Before that it stays: Tencent publishes from COS asynchronously and reads
 * the object until the version is Active (release-apis.md), so with --no-wait removing it would
 * make the version fail. Kept (that, --keep-staged, or a removal that failed), the record says so
 * with the command that removes it.
 */
export async function removeStaged(
  provider: Provider,
  client: StorageClient,
  staged: StagedObject,
  ctx: { log: Logger; where: string; keep: boolean; version: { version: number | null; state: string | null } },
): Promise<Pick<StagedRecord, "kept" | "removeCommand">> {
  if (!client.removable) return {};
  const kept = { kept: true as const, removeCommand: provider.storage.removeCommand(staged) };
  const { version, state } = ctx.version;
  if (state !== null && state !== "Active") {
    ctx.log.info(
      `${ctx.where}: version ${version} is ${state}, and the cloud reads ${staged.bucket}/${staged.key} until it is Active: the staged object is kept; once the version is Active, remove it with: ${kept.removeCommand}`,
    );
    return kept;
  }
  if (ctx.keep) return kept;
  try {
    await client.remove(staged);
    return {};
  } catch (err) {
    const e = err as { code?: string; message?: string };
    ctx.log.warn(
      `${ctx.where}: published, but the staged object ${staged.bucket}/${staged.key} could not be removed (${e.code ?? "error"}: ${e.message ?? String(err)}); remove it with: ${kept.removeCommand}`,
    );
    return kept;
  }
}

/**
 * After a failed publish: the staged object is removed, unless a version may still be reading it
 * (an asynchronous publish, Tencent's, whose version exists or may exist: it reads the object
 * until it is Active) or --keep-staged keeps it; then, or when removing it fails, it is named with
 * the store's command that removes it. Returns the error to report, saying so.
 */
export async function removeStagedAfterFailure(client: StorageClient, staged: StagedObject, err: unknown, ctx: { keep: boolean; asyncPublish: boolean }): Promise<unknown> {
  if (!client.removable) return err;
  const where = `${staged.bucket}/${staged.key}`;
  const command = client.removeCommand(staged);
  const mayRead = ctx.asyncPublish && err instanceof CloudError && (err.version !== undefined || (err.retryable && !err.unprocessed));
  if (ctx.keep || mayRead) {
    return withHint(err, `the staged object ${where} was kept${mayRead ? " (a version may still be reading it)" : ""}: remove it with \`${command}\``);
  }
  try {
    await client.remove(staged);
    return err;
  } catch (removeErr) {
    const why = removeErr instanceof LayerctlError ? removeErr.code : String(removeErr);
    return withHint(err, `the staged object ${where} was left behind (removing it failed: ${why}): remove it with \`${command}\``);
  }
}

function withHint(err: unknown, hint: string): unknown {
  if (err instanceof LayerctlError) return err.with({ hint: err.hint ? `${err.hint}; ${hint}` : hint });
  return new CloudError(err instanceof Error ? err.message : String(err), { code: "InternalError", hint, cause: err });
}

export function plannedStaging(plan: TargetPlan, layerName: string, sha256: string): { upload: UploadMode; staged?: { bucket: string; key: string } } {
  if (plan.upload === "inline") return { upload: "inline" };
  return plan.bucket === undefined ? { upload: "storage" } : { upload: "storage", staged: { bucket: plan.bucket, key: stagedKey(layerName, sha256) } };
}

function rate(bytes: number, ms: number): string {
  return ms <= 0 ? "-" : `${humanBytes(Math.round((bytes * 1000) / ms))}/s`;
}

/** Each target's upload; every target lacking a bucket is named in one error, not only the first. */
export function planUploads(targets: Target[], plan: (t: Target) => TargetPlan): TargetPlan[] {
  const missing: UsageError[] = [];
  const plans = targets.map((t) => {
    try {
      return plan(t);
    } catch (err) {
      if (!(err instanceof UsageError) || err.code !== "MissingBucket") throw err;
      missing.push(err);
      return { upload: "inline" } as const;
    }
  });
  if (missing.length > 1) {
    throw missing[0]!.with({
      message: `no bucket for ${missing.map((e) => e.message.split(":")[0]).join(", ")}: each must stage the zip in its object storage (over its inline limit, or --upload storage), and none is given`,
      hint: `pass --bucket PROVIDER=NAME for each (${[...new Set(missing.map((e) => e.provider))].join(", ")}; {region} in the name becomes the target's region), or set their LAYERCTL_BUCKET_* variables`,
      provider: undefined,
    });
  }
  if (missing.length === 1) throw missing[0]!;
  return plans;
}
