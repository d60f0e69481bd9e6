// `layerctl copy deps:7 --from aws:us-east-1 --to aws:cn-north-1,aliyun:cn-hangzhou`: one version
// to other regions, clouds or partitions. The source's zip is streamed to a temporary file from
// its download link and checked against the source's own checksum (AWS/Tencent SHA-256, Aliyun
// CRC-64) before anything is published; then it is published to the targets exactly as `publish`
// publishes a .zip (limits, staging, pacing, ambiguous failures, records), with the source's
// description and licence and its runtimes in each cloud's spelling.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { UsageError } from "../errors.js";
import { removeOnInterrupt } from "../interrupt.js";
import { humanBytes } from "../output/table.js";
import { downloadVersion } from "./download-version.js";
import { rememberCrc64 } from "../providers/archive-content.js";
import { parseQualified } from "../providers/qualified.js";
import { startBudget } from "../providers/budget.js";
import { translateRuntimes } from "../providers/runtimes.js";
import { Traffic } from "../providers/traffic.js";
import type { LayerVersionRecord, ProviderClient } from "../providers/types.js";
import { writeRecordFile } from "../record/write.js";
import { publishCommand, type PublishDocument, type PublishInput } from "./publish.js";
import { readBaseline } from "./publish-once.js";
import { defaultRetryPolicy } from "../providers/retry.js";
import type { CommandContext } from "../targets/context.js";
import { bareLayerName, parseLayerVersion } from "./layer-version.js";
import { describeTarget } from "../targets/describe.js";
import { type ConnectedTargets, connectTarget, runSettings } from "../targets/runner.js";
import { resolveTargets, selectProviders, splitList, type Target, type TargetOptions } from "../targets/resolve.js";
import type { StagingInput } from "./staging.js";

export interface CopyInput extends Omit<TargetOptions, "provider" | "region">, StagingInput {
  /** `<layer>:<version>` */
  layerVersion: string;
  /** provider[:region] */
  from: string;
  /** provider[:region] entries, comma-separated or repeated; provider:all for every region. */
  to: string[];
  /** The layer name at the targets (default: the source's). */
  name?: string;
  /** Runtimes at the targets, instead of the source's translated ones (provider:id entries allowed). */
  runtime?: string[];
  timeout?: string;
  skipUnchanged?: boolean;
  dryRun?: boolean;
  /** Merge the versions this copy published into this record file. */
  record?: string;
  public?: boolean;
  shareAccount?: string[];
  shareOrganization?: string[];
  /** false (--no-check): skip the compatibility check of the binaries inside for the targets' runtimes. */
  check?: boolean;
}

export interface CopyDocument extends PublishDocument {
  /** The version copied, as its cloud reports it (codeSha256 and codeSize from the verified download). */
  source: LayerVersionRecord;
  recordFiles?: string[];
}

function parseTargetSpec(spec: string, flag: string): { provider: string; region?: string } {
  const text = spec.trim();
  const q = parseQualified(text);
  const provider = q ? (q.form !== "provider=value" && q.rest !== "" ? q.qualifier : undefined) : /^[a-z]+$/.test(text) ? text : undefined;
  if (!provider) throw new UsageError(`${flag} "${spec}" is not provider[:region]`, { code: "InvalidTarget", hint: `e.g. ${flag} aws:us-east-1` });
  selectProviders([provider]); // an unknown provider is named now
  return { provider, region: q?.rest };
}

export async function copyLayer(input: CopyInput, ctx: CommandContext): Promise<CopyDocument> {
  const { layerName, version } = parseLayerVersion(input.layerVersion);
  if (input.emulator) {
    throw new UsageError("copy cannot use the embedded --emulator: it starts empty, with no version to copy", {
      code: "ConflictingOptions",
      hint: "run `layerctl emulate` and point copy at it (--endpoint or the variables it prints)",
    });
  }
  const { timeoutMs } = runSettings(input);
  const from = parseTargetSpec(input.from ?? "", "--from");
  const to = splitList(input.to).map((s) => parseTargetSpec(s, "--to"));
  if (to.length === 0)
    throw new UsageError("no target given", { code: "MissingTarget", hint: "pass --to provider[:region] (comma-separate several; provider:all for every region)" });
  const newName = input.name?.trim() || bareLayerName(layerName);
  const toProviders = [...new Set(to.map((t) => t.provider))];
  // A bare provider in --to means its default region, as -p without -r does.
  for (const p of toProviders)
    if (to.some((t) => t.provider === p && t.region === undefined) && to.some((t) => t.provider === p && t.region !== undefined)) {
      throw new UsageError(`--to names ${p} both with and without a region`, { code: "ConflictingOptions", hint: `give every ${p} target a region, e.g. ${p}:<region>` });
    }
  const common = { endpoint: input.endpoint, profile: input.profile, roleArn: input.roleArn, concurrency: input.concurrency };
  const source = await resolveTargets(
    { ...common, provider: [from.provider], region: from.region ? [`${from.provider}:${from.region}`] : [] },
    { env: ctx.env, log: ctx.log, layerName, timeoutMs },
  );
  const targets = await resolveTargets(
    { ...common, provider: toProviders, region: to.filter((t) => t.region).map((t) => `${t.provider}:${t.region}`) },
    { env: ctx.env, log: ctx.log, layerName: newName, credentialsOptional: input.dryRun, timeoutMs },
  ).catch(async (err: unknown) => {
    await source.close();
    throw err;
  });
  if (source.targets.length !== 1) {
    await Promise.all([source.close(), targets.close()]);
    throw new UsageError(`--from names ${source.targets.length} regions; a copy reads one version in one region`, {
      code: "OneSourceOnly",
      hint: "give --from provider:region",
    });
  }
  const tmp = await mkdtemp(path.join(tmpdir(), "layerctl-copy-"));
  const forget = removeOnInterrupt(tmp);
  let baselines: Map<Target, Promise<number | undefined>> | undefined;
  try {
    const src = source.targets[0]!;
    const where = describeTarget(src);
    const budget = startBudget(timeoutMs);
    const client = await connectTarget(src, { timeoutMs, log: ctx.log, budget, traffic: new Traffic() });
    // Each target is connected once, through one Traffic, and publish goes on with these clients:
    // the targets' SDKs load (CPU) while the source is read (a network wait), and before the
    // download's buffers are let go, so the memory the download used can go back to the system
    // instead of lying under the SDKs. A mistake found by connecting is publish's to report.
    const connected = connectTargets(targets.targets, { timeoutMs, log: ctx.log, traffic: new Traffic() });
    const content = await client.layerContent(layerName, version);
    const record = content.record;
    // Runtimes in each target cloud's spelling, before anything is downloaded or sent.
    const runtimeEntries = splitList(input.runtime).length > 0 ? splitList(input.runtime) : translatedRuntimes(src.provider, record.compatibleRuntimes, toProviders);
    await Promise.allSettled(connected.clients.values());
    // Each target's newest version, which publish reads before its first attempt (to tell its own
    // version after a lost answer), is read while the zip downloads: a round trip less per target.
    baselines = input.dryRun ? undefined : readBaselines(connected.clients, newName, { timeoutMs, log: ctx.log });
    const file = path.join(tmp, `${bareLayerName(layerName)}-${version}.zip`);
    ctx.progress?.(`downloading ${layerName} version ${version} from ${where}`);
    const got = await downloadVersion(file, { client, provider: src.provider.name, layerName, version, content, budget, log: ctx.log, from: where, progress: ctx.progress });
    ctx.log.info(`${where}: ${layerName} version ${version} downloaded (${humanBytes(got.bytes)}, checksum verified)`);
    // The download computed the zip's CRC-64 on its way (Aliyun targets need it; nothing reads it again).
    rememberCrc64(got.sha256, got.crc64);
    const publish: PublishInput = {
      source: file,
      name: newName,
      runtime: runtimeEntries,
      arch: record.compatibleArchitectures,
      description: record.description ?? undefined,
      license: record.license ?? undefined,
      provider: toProviders,
      concurrency: input.concurrency,
      timeout: input.timeout,
      dryRun: input.dryRun,
      skipUnchanged: input.skipUnchanged,
      upload: input.upload,
      bucket: input.bucket,
      keepStaged: input.keepStaged,
      storageEndpoint: input.storageEndpoint,
      public: input.public,
      shareAccount: input.shareAccount,
      shareOrganization: input.shareOrganization,
      // Loading on the source says nothing about the targets (another cloud's OS and glibc, another
      // runtime): the zip is checked for them as publish checks it.
      check: input.check,
    };
    const doc = await publishCommand(publish, ctx, { resolved: targets, connected, baselines });
    // The zip was a temporary file, gone when this returns: its path means nothing afterwards.
    const out: CopyDocument = { ...doc, ...(doc.archive ? { archive: { ...doc.archive, path: null } } : {}), source: { ...record, codeSha256: got.sha256, codeSize: got.bytes } };
    if (input.record && !input.dryRun) {
      const file = path.resolve(input.record);
      await writeRecordFile(file, doc.results);
      out.recordFiles = [file];
    }
    return out;
  } finally {
    // No read left in flight when copy returns (a failed download ends it before publish awaits them).
    await Promise.all(baselines?.values() ?? []);
    await rm(tmp, { recursive: true, force: true });
    forget();
    await targets.close();
    await source.close();
  }
}

/** Every target that has credentials, connected (once; publish uses these clients), through one Traffic. */
function connectTargets(targets: Target[], opts: { timeoutMs: number; log: CommandContext["log"]; traffic: Traffic }): ConnectedTargets {
  const clients = new Map(targets.filter((t) => t.credentials !== null).map((t) => [t, connectTarget(t, opts)]));
  // Publish awaits them and reports a failure; none is an unhandled rejection meanwhile.
  for (const c of clients.values()) c.catch(() => undefined);
  return { traffic: opts.traffic, clients };
}

/** publishOnce's baseline of every connected target, each read on its own budget; a failed read is undefined. */
function readBaselines(clients: ConnectedTargets["clients"], layerName: string, opts: { timeoutMs: number; log: CommandContext["log"] }): Map<Target, Promise<number | undefined>> {
  const read = async (t: Target, connecting: Promise<ProviderClient>) => {
    const budget = startBudget(opts.timeoutMs);
    const client = (await connecting).within(budget);
    return readBaseline(client, layerName, { policy: defaultRetryPolicy, budget, log: opts.log, where: describeTarget(t) });
  };
  return new Map([...clients].map(([t, connecting]) => [t, read(t, connecting).catch(() => undefined)]));
}

/** `provider:runtime` entries for every target provider, translated from the source's own ids. */
function translatedRuntimes(from: ReturnType<typeof selectProviders>[number], natives: string[], toProviders: string[]): string[] {
  return selectProviders(toProviders).flatMap((p) => translateRuntimes(from, natives, p).map((r) => `${p.name}:${r}`));
}
