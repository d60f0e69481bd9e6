// layerctl publish: validate everything, pack once, publish to every target, return the records.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspectZip, pack } from "../archive/index.js";
import type { ArchiveSummary, PackResult } from "../archive/types.js";
import { UsageError } from "../errors.js";
import { onInterrupt, removeOnInterrupt } from "../interrupt.js";
import { renderLayerDocument } from "../output/records.js";
import { defaultRetryPolicy } from "../providers/retry.js";
import { blankRecord } from "../providers/record.js";
import type { Budget } from "../providers/budget.js";
import type { AttachRecord, Grantee, LayerArchive, LayerVersionRecord, Provider, PublishLayerRequest, StagedFile } from "../providers/types.js";
import { afterPublish } from "./publish-after.js";
import { valuesFor } from "../config/per-provider.js";
import { attachPublished, planAttachments, preflightFunctions, type PlannedAttachment } from "./publish-attach.js";
import { attachOptionsFrom } from "./attach-options.js";
import { publishOnce } from "./publish-once.js";
import { PUBLISH_SHARE_FLAGS, planGrants, sharesOf } from "./sharing.js";
import type { ShareRecord } from "../commands/shared/lifecycle-records.js";
import type { CommandContext } from "../commands/shared/context.js";
import { defineCommand } from "../commands/shared/define.js";
import { checkZipOut, parseSymlinkMode } from "../archive/options.js";
import { FLEET_CONCURRENCY } from "../targets/run-options.js";
import { archiveCrc64 } from "../providers/archive-content.js";
import { publishAligned, paddingOf, planAlign, readHeads, stillPublishing, type AlignPlan } from "./align.js";
import { alignedWithoutPublish, defaultConcurrencyFor, describeAlignPlan, parseMaxPadding, plannedAligned } from "./publish-fleet.js";
import { selectForResume, type ResumeSelection } from "./resume.js";
import { checkTargets, contentsCheck } from "../contents/contents-check.js";
import type { NamedNote } from "../contents/types.js";
import { failedRecord } from "../targets/failed-records.js";
import { recordFailures, recordsOutput } from "../commands/shared/records.js";
import { renderAttachTable, renderPlannedAttachTable } from "../output/attach.js";
import { renderShares } from "../output/lifecycle.js";
import { publishWithConfig, type ConfigPublishDocument, type ConfigPublishInput } from "./publish-config.js";
import { describeTarget, versionsCommand } from "../targets/describe.js";
import { openTargets, runSettings, type TargetRun } from "../targets/runner.js";
import { selectProviders, splitList, type ResolvedTargets, type Target, type TargetOptions } from "../targets/resolve.js";
import {
  inlineCheck,
  parseStaging,
  planTarget,
  planUploads,
  plannedStaging,
  removeStaged,
  removeStagedAfterFailure,
  stageZip,
  type StagingInput,
  type TargetPlan,
} from "./staging.js";

export interface PublishInput extends TargetOptions, StagingInput {
  source: string;
  name?: string;
  runtime?: string[];
  arch?: string[];
  description?: string;
  license?: string;
  dryRun?: boolean;
  wait?: boolean;
  skipUnchanged?: boolean;
  /** Seconds, as typed. */
  timeout?: string;
  exclude?: string[];
  prefix?: string;
  symlinks?: string;
  /** Keep the built zip here. */
  out?: string;
  /** false (--no-check): skip the compatibility check of the binaries inside. */
  check?: boolean;
  /** Share each published version (see ./shared/publish-after.ts): with everyone, or on these providers only (the config's per-provider sharing). */
  public?: boolean | string[];
  shareAccount?: string[];
  shareOrganization?: string[];
  /**
   * Share where the clouds can, with no error when none of this publish's can: the caller checked
   * its whole run (per-provider prefixes publish in groups), or the grants are the config file's
   * (a matrix leg on Tencent still publishes).
   */
  shareWhereCan?: boolean;
  /** Functions to attach the published version to (comma-separated or repeated). */
  attach?: string[];
  /** With attach: the function namespace (Tencent), publish a function version, point an alias. */
  namespace?: string;
  publishVersion?: boolean;
  alias?: string;
  /** Publish until every target holds the same version number (../release/align.ts). */
  alignVersion?: boolean;
  /** With alignVersion: the most padding versions one target may need (as typed; default 10). */
  maxPadding?: string;
  /** A record file: publish only to the targets it does not show holding this zip (../release/resume.ts). */
  resume?: string;
}

export interface PublishDocument {
  archive: ArchiveSummary;
  results: LayerVersionRecord[];
  /** With --attach: one record per target and function. */
  attachments?: AttachRecord[];
  /** With --dry-run --attach: what would be attached, one per target and function. */
  plannedAttachments?: PlannedAttachment[];
  /** With --public / --share-*: each grant on each target (shared, skipped where the cloud cannot, failed). */
  shares?: ShareRecord[];
  /** With --align-version: the version number every target was to hold. */
  alignedVersion?: number;
}

/** Asynchronous publishing (Tencent) is polled at 2 calls/s per target, far below its 20/s limit. */
const POLL_INTERVAL_MS = 500;

/** Targets resolved by the caller (copy resolves its source and targets itself); they are not closed here. */
export interface PublishPreset {
  resolved: ResolvedTargets;
}

/**
 * A publish checked and packed, not yet begun: every check that can refuse it (inputs, the zip's
 * limits, staging, --align-version's padding) has passed, and nothing has been created. A config
 * run prepares every layer before the first one runs, so a later layer's mistake never stops a
 * release half way.
 */
export interface PreparedPublish {
  run(): Promise<PublishDocument>;
  /** Removes the temporary zip and stops the embedded emulator; call it however run() ended. */
  dispose(): Promise<void>;
}

export async function publishCommand(input: PublishInput, ctx: CommandContext, preset?: PublishPreset): Promise<PublishDocument> {
  const prepared = await preparePublish(input, ctx, preset);
  try {
    return await prepared.run();
  } finally {
    await prepared.dispose();
  }
}

export async function preparePublish(input: PublishInput, ctx: CommandContext, preset?: PublishPreset): Promise<PreparedPublish> {
  const layerName = input.name?.trim();
  if (!layerName) throw new UsageError("no layer name given", { code: "MissingLayerName", hint: "pass --name <layer>" });
  const settings = runSettings(input);
  const symlinks = parseSymlinkMode(input.symlinks);
  const maxPadding = parseMaxPadding(input.maxPadding, input.alignVersion);
  const architectures = splitList(input.arch);
  const userRuntimes = splitList(input.runtime);
  const source = path.resolve(input.source);
  const kind = await sourceKind(source, input.source);
  if (kind === "zip" && (input.prefix || input.exclude?.length || input.out || symlinks !== "keep")) {
    throw new UsageError("--prefix, --exclude, --symlinks and --out apply to directories; a .zip is published as it is", { code: "ConflictingOptions" });
  }
  if (input.out !== undefined) checkZipOut(input.out);

  // --attach is repeatable, so it arrives as [] when not given.
  const attach = splitList(input.attach).length > 0 ? attachOptionsFrom({ ...input, function: input.attach }) : undefined;
  if (attach && input.wait === false) {
    throw new UsageError("--attach needs the published version to be ready: drop --no-wait", { code: "ConflictingOptions" });
  }

  // Everything that can be checked without the zip, for every provider, before anything else
  // (an embedded emulator included: a typo must not start a server and print about it).
  const providers = new Map<Provider, string[]>();
  for (const provider of selectProviders(input.provider)) {
    // `--runtime aws:python3.11,aliyun:python3.10`: each provider's own entries, else the plain ones.
    const runtimes = provider.resolveRuntimes(valuesFor(provider.name, userRuntimes));
    provider.validateLayer({ layerName, runtimes, architectures, description: input.description, license: input.license, size: 0 });
    providers.set(provider, runtimes);
  }
  const grants = planGrants(
    { public: input.public, account: input.shareAccount, organization: input.shareOrganization },
    [...providers.keys()],
    PUBLISH_SHARE_FLAGS,
    !input.shareWhereCan,
  );
  const staging = parseStaging(input, ctx.env, [...providers.keys()]);
  // The embedded emulator starts empty: give it the functions to attach to.
  const seedFunctions = attach?.functions.map((name) => ({ name, namespace: input.namespace }));
  // Connecting is local (SDK import, client set-up): a mistake found there (e.g. an account id
  // the endpoint needs) is a usage error for the whole run, before anything is packed or sent.
  const opened = await openTargets(input, ctx, {
    settings,
    layerName,
    credentialsOptional: input.dryRun,
    seedFunctions,
    embedded: ctx.embedded,
    resolved: preset?.resolved,
    deferNote: true,
  });
  let targetRun = opened;
  let disposeArchive = async () => {};
  const dispose = async () => {
    await disposeArchive();
    await opened.close();
  };
  try {
    for (const line of targetRun.uncredentialed) ctx.log.warn(`dry run: ${line}; input and zip were checked, credentials and the connection set-up were not`);

    ctx.progress?.(kind === "zip" ? `reading ${input.source}` : `packing ${input.source}`);
    const check = input.check === false ? undefined : contentsCheck(checkTargets(providers, architectures), ctx.log, "published");
    const built = await buildArchive(kind, source, { ...input, symlinks, check });
    disposeArchive = built.dispose;
    const { packed } = built;
    const size = packed.archive.zipBytes;

    // Inline or staged, per target; every limit (inline, or after staging) is checked here, before any call.
    const warned = new Set<string>();
    const tooBig = new Map<Provider, ReturnType<typeof inlineCheck>>();
    for (const [provider, runtimes] of providers) {
      const spec = { layerName, runtimes, architectures, description: input.description, license: input.license, size, unzippedSize: packed.archive.uncompressedBytes };
      const over = inlineCheck(provider, spec);
      tooBig.set(provider, over);
      const warnings = provider.validateLayer(over ? { ...spec, size: 0 } : spec);
      const layout = provider.layoutWarning([...packed.topLevel, ...packed.secondLevel], runtimes);
      for (const w of layout ? [...warnings, layout] : warnings) {
        if (!warned.has(w)) ctx.log.warn(w);
        warned.add(w);
      }
    }

    // --resume: the targets the record file shows holding this zip are left as they are.
    let resumed: ResumeSelection | undefined;
    if (input.resume !== undefined) {
      resumed = await selectForResume(input.resume, layerName, targetRun.targets, packed.archive.sha256, ctx.log);
      targetRun = targetRun.select(resumed.keep);
    }
    const { targets } = targetRun;

    const uploads = planUploads(targets, (t) => planTarget(staging, t, { zip: size }, tooBig.get(t.provider) ?? null, ctx.env, Boolean(input.emulator)));
    const archive: LayerArchive = { path: built.path, sha256: packed.archive.sha256, size };
    const plan = planPublish({ layerName, targets, runtimes: providers, architectures, input, archive, uploads });

    // --align-version reads every target first (a dry run too: reads create nothing) and plans N;
    // a target past --max-padding refuses the run here, before anything is published.
    let align: AlignPlan | undefined;
    if (input.alignVersion && targets.length > 0) {
      targetRun.sayNote();
      ctx.progress?.(`reading the newest version of ${layerName} in ${targets.length} targets`);
      const heads = await readHeads(targetRun, layerName, targetRun.concurrency(FLEET_CONCURRENCY));
      const local = { sha256: packed.archive.sha256, crc64: await archiveCrc64(archive), size };
      align = planAlign(targets, heads, local, { maxPadding, fixed: resumed?.alignedVersion });
      ctx.log.info(describeAlignPlan(layerName, targets, align));
    }

    // Every function to attach to exists, with room for the layer, in every target: after every
    // check that needs no call (a mistake found there calls nothing), before anything is published
    // (a config run prepares every layer, so every layer's functions are checked first).
    if (attach && !input.dryRun) await preflightFunctions(targetRun, layerName, attach);

    const run = async (): Promise<PublishDocument> => {
      if (input.dryRun) {
        const planned = attach ? { plannedAttachments: planAttachments(targets, layerName, attach) } : {};
        const results = plannedRecords(plan).map((r, i) => (align ? plannedAligned(r, align, i) : r));
        return { archive: packed.archive, results, ...planned, ...(align ? { alignedVersion: align.version } : {}) };
      }
      // The whole zip is read into memory only for inline uploads (and only now: a config run
      // prepares every layer first); staging streams it from disk.
      if (uploads.some((u) => u.upload === "inline")) archive.bytes = await readFile(built.path);
      targetRun.sayNote();
      const shares: ShareRecord[] = [];
      const budgets: Budget[] = [];
      const results = await executePublish(
        plan,
        {
          run: targetRun,
          budgets,
          concurrency: targetRun.concurrency(defaultConcurrencyFor(uploads, size)),
          skipUnchanged: Boolean(input.skipUnchanged),
          wait: input.wait !== false,
          grantees: (t) => grants.byProvider.get(t.provider.name) ?? [],
          onShare: (r) => shares.push(r),
          keepStaged: staging.keep,
          align,
        },
        ctx,
      );
      const aligned = align ? { alignedVersion: align.version } : {};
      const sharing = grants.asked ? { shares: sharesOf(targets, results, shares, grants.skipped, ctx.log) } : {};
      if (attach) {
        ctx.progress?.(`attaching ${layerName} to ${attach.functions.join(", ")}`);
        // Each target's attaching goes on within the budget its publish started.
        const attached = await targetRun.each(({ client, target: t, index: i, budget }) => attachPublished(client, t, results[i]!, attach, budget, ctx.log), {
          budgets,
          concurrency: targetRun.concurrency(),
        });
        return { archive: packed.archive, results, attachments: attached.flat(), ...sharing, ...aligned };
      }
      return { archive: packed.archive, results, ...sharing, ...aligned };
    };
    return { run, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/** What a publish will do: one request per target. Pure: --dry-run prints it, executePublish carries it out. */
export interface PublishPlan {
  layerName: string;
  /** `upload`: inline, or staged (in which bucket) first. */
  steps: Array<{ target: Target; request: PublishLayerRequest; upload: TargetPlan }>;
}

export function planPublish(p: {
  layerName: string;
  targets: Target[];
  /** Each provider's native runtime ids. */
  runtimes: Map<Provider, string[]>;
  architectures: string[];
  input: Pick<PublishInput, "description" | "license">;
  archive: LayerArchive;
  /** One per target (default: inline). */
  uploads?: TargetPlan[];
}): PublishPlan {
  const steps = p.targets.map((target, i) => ({
    target,
    upload: p.uploads?.[i] ?? ({ upload: "inline" } as const),
    request: {
      layerName: p.layerName,
      archive: p.archive,
      runtimes: p.runtimes.get(target.provider)!,
      architectures: target.provider.limits.architectures === null ? [] : [...new Set(p.architectures)],
      description: p.input.description,
      license: p.input.license,
    },
  }));
  return { layerName: p.layerName, steps };
}

/** The plan as records (status "planned"): what --dry-run prints. */
export function plannedRecords(plan: PublishPlan): LayerVersionRecord[] {
  return plan.steps.map(({ target, request, upload }) => ({
    ...blankRecord(target.provider.name, target.region, plan.layerName),
    status: "planned" as const,
    codeSha256: request.archive.sha256,
    codeSize: request.archive.size,
    compatibleRuntimes: request.runtimes,
    compatibleArchitectures: request.architectures,
    description: request.description ?? null,
    license: request.license ?? null,
    ...plannedStaging(upload, plan.layerName, request.archive.sha256),
  }));
}

/** Carries out a plan, every target in parallel (bounded); a failed target becomes a failed record. */
export async function executePublish(
  plan: PublishPlan,
  opts: {
    /** The run's targets, connected; each target's budget starts with its publish. */
    run: TargetRun;
    /** Filled with each target's budget, for what follows the publish (attaching). */
    budgets?: Budget[];
    /** Targets at once (default: --concurrency, else DEFAULT_CONCURRENCY). */
    concurrency?: number;
    skipUnchanged: boolean;
    wait: boolean;
    /** Share each version published (or found unchanged) with these (--public, --share-*), per target. */
    grantees?: (t: Target) => Grantee[];
    /** Each grant made or failed. */
    onShare?: (r: ShareRecord) => void;
    /** --keep-staged: leave staged objects in place after a successful publish. */
    keepStaged?: boolean;
    /** --align-version: what each target does to reach the plan's version (../release/align.ts). */
    align?: AlignPlan;
  },
  ctx: CommandContext,
): Promise<LayerVersionRecord[]> {
  const { layerName } = plan;
  const targets = plan.steps.map((s) => s.target);
  const { run } = opts;
  let done = 0;
  ctx.progress?.(`publishing ${layerName} to ${targets.map(describeTarget).join(", ")}`);
  return run.each(
    // --timeout is the target's budget from here: no attempt starts after it.
    async ({ target: t, index: i, client, budget }) => {
      if (opts.budgets) opts.budgets[i] = budget;
      const { upload } = plan.steps[i]!;
      const req = { ...plan.steps[i]!.request };
      const where = describeTarget(t);
      let staged: Awaited<ReturnType<typeof stageZip>> | undefined;
      let kept: Awaited<ReturnType<typeof removeStaged>> = {};
      const how = () => ({ upload: upload.upload, ...(staged ? { staged: { bucket: staged.staged.bucket, key: staged.staged.key, ...kept } } : {}) });
      // Ctrl-C: a staged object no publish has used yet is removed; one a publish under way may
      // read is named; a publish under way is named as a version that may exist.
      let publishing = false;
      /** The version exists and the staged object has been dealt with (what follows, sharing, needs neither). */
      let settled = false;
      const forget = onInterrupt({
        note: () => (publishing ? `${where}: a version of ${layerName} may exist (its publish was under way): check with \`${versionsCommand(t, layerName)}\`` : undefined),
        cleanup: {
          run: async () => {
            if (!staged || settled || opts.keepStaged || !staged.client.removable) return;
            if (publishing) throw new Error("in use");
            await staged.client.remove(staged.staged);
          },
          left: () =>
            staged
              ? `${where}: the staged object ${staged.staged.bucket}/${staged.staged.key} was left behind: remove it with \`${staged.client.removeCommand(staged.staged)}\``
              : "",
        },
      });
      const step = opts.align?.steps[i];
      try {
        if (step && step.kind !== "publish")
          return await alignedWithoutPublish(client, t, step, opts.align!.version, { grantees: opts.grantees?.(t) ?? [], log: ctx.log, onShare: opts.onShare });
        if (opts.skipUnchanged && !step) {
          // The zip, runtimes and architectures decide (the adapter compares them); description and
          // license do not, so a build number in --description does not defeat the skip.
          const same = await client.findUnchanged(req, { wait: opts.wait, waitTimeoutMs: budget.remaining(), pollIntervalMs: POLL_INTERVAL_MS });
          if (same) return await afterPublish(client, t, same, { grantees: opts.grantees?.(t) ?? [], log: ctx.log, onShare: opts.onShare });
        }
        if (upload.upload === "storage") {
          // Storage calls are paced and count against the upload budget like every other call.
          const connect = run.connectOptions(t, budget);
          staged = await stageZip(t.provider, upload, stagedFile(req.archive), layerName, { connect, log: ctx.log, where, progress: ctx.progress });
          req.staged = staged.staged;
        }
        const publishOpts = { wait: opts.wait, waitTimeoutMs: run.timeoutMs, pollIntervalMs: POLL_INTERVAL_MS };
        const onceCtx = {
          log: ctx.log,
          where,
          budget,
          policy: defaultRetryPolicy,
          checkCommand: versionsCommand(t, layerName),
          calling: () => {
            publishing = true;
          },
        };
        const { record: rec, unsettled } = step
          ? await publishAligned(client, req, step, opts.align!.version, publishOpts, onceCtx)
          : { record: await publishOnce(client, req, publishOpts, onceCtx), unsettled: [] };
        publishing = false;
        // The cloud keeps its own copy once the version is Active: the staged object can go then.
        // Padding versions were not waited for: one still publishing keeps it too.
        if (staged) {
          const reads = !opts.keepStaged && staged.client.removable && (rec.state === "Active" || rec.state === null);
          const reading = reads ? await stillPublishing(client, unsettled) : null;
          kept = await removeStaged(t.provider, staged.client, staged.staged, { log: ctx.log, where, keep: Boolean(opts.keepStaged), version: reading ?? rec });
        }
        settled = true;
        return { ...(await afterPublish(client, t, rec, { grantees: opts.grantees?.(t) ?? [], log: ctx.log, onShare: opts.onShare })), ...how() };
      } catch (err) {
        publishing = false;
        // Nothing left behind silently: the staged object goes, or is named with the command that removes it.
        const reported =
          staged && !settled
            ? await removeStagedAfterFailure(staged.client, staged.staged, err, { keep: Boolean(opts.keepStaged), asyncPublish: t.provider.features.asyncPublish })
            : err;
        const padding = paddingOf(err);
        return { ...failedRecord(t, layerName, reported), ...(padding ? { padding } : {}), ...how() };
      } finally {
        forget();
        done++;
        if (targets.length > 1) ctx.progress?.(`publishing ${layerName}: ${done}/${targets.length} targets done`);
      }
    },
    { concurrency: opts.concurrency },
  );
}

function stagedFile(archive: LayerArchive): StagedFile {
  if (!archive.path) throw new Error("internal: staging needs the zip on disk");
  return { path: archive.path, size: archive.size, sha256: archive.sha256 };
}

async function sourceKind(source: string, given: string): Promise<"dir" | "zip"> {
  const st = await stat(source).catch(() => null);
  if (!st) throw new UsageError(`${given} does not exist`, { code: "MissingSource", hint: "give a layer directory or a .zip file" });
  if (st.isDirectory()) return "dir";
  if (st.isFile() && source.toLowerCase().endsWith(".zip")) return "zip";
  throw new UsageError(`${given} is neither a directory nor a .zip file`, { code: "InvalidSource", hint: "give a layer directory or a .zip file" });
}

async function buildArchive(
  kind: "dir" | "zip",
  source: string,
  opts: { exclude?: string[]; prefix?: string; symlinks: "keep" | "follow"; out?: string; check?: (notes: NamedNote[]) => void },
): Promise<{ packed: PackResult; path: string; dispose: () => Promise<void> }> {
  if (kind === "zip") {
    const packed = await inspectZip(source, { check: opts.check });
    if (packed.archive.fileCount === 0) {
      throw new UsageError(`${source} holds no files`, { code: "EmptyZip", hint: "publish a zip with the layer's files, or a folder to pack" });
    }
    return { packed, path: source, dispose: async () => {} };
  }
  if (opts.out) {
    const packed = await pack({ dir: source, output: path.resolve(opts.out), exclude: opts.exclude, prefix: opts.prefix, symlinks: opts.symlinks, check: opts.check });
    return { packed, path: packed.archive.path!, dispose: async () => {} };
  }
  // A temporary zip, kept until every target is done with it (staging streams it from disk).
  const tmp = await mkdtemp(path.join(tmpdir(), "layerctl-"));
  const forget = removeOnInterrupt(tmp);
  const dispose = async () => {
    await rm(tmp, { recursive: true, force: true });
    forget();
  };
  try {
    const packed = await pack({ dir: source, output: path.join(tmp, "layer.zip"), exclude: opts.exclude, prefix: opts.prefix, symlinks: opts.symlinks, check: opts.check });
    return { packed: { ...packed, archive: { ...packed.archive, path: null } }, path: path.join(tmp, "layer.zip"), dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

export default defineCommand({
  arguments: [
    {
      name: "source",
      description: "layer directory, a .zip to publish as it is, or the name of a layer in the config file (none: every configured layer)",
      optional: true,
    },
  ],
  options: [
    { flags: "-n, --name <layer>", description: "layer name" },
    { flags: "--runtime <ids>", description: "compatible runtimes, e.g. python3.12,nodejs20 (see `layerctl providers`)", repeatable: true },
    { flags: "--arch <arch>", description: "x86_64 or arm64 (repeat for both; providers without architectures ignore it with a warning)", repeatable: true },
    { flags: "--description <text>", description: "version description" },
    { flags: "--license <text>", description: "license (SPDX id, URL or text)" },
    { flags: "--dry-run", description: "validate and pack, print what would be published, call nothing; needs no credentials (those set are checked)" },
    { flags: "--no-wait", description: "do not wait for asynchronous publishing to finish" },
    {
      flags: "--skip-unchanged",
      description:
        "if the newest version has this exact zip, runtimes and architectures, report it (status unchanged) instead of publishing; description and license are not compared",
    },
    { flags: "--no-skip-unchanged", description: "publish even when the newest version is the same (overrides the config's skipUnchanged)" },
    { flags: "--public", description: "share each published version with everyone, where the cloud can (Tencent cannot: skipped, with the reason)" },
    { flags: "--no-public", description: "do not share publicly (overrides the config's sharing.public)" },
    { flags: "--share-account <id>", description: "share each published version with this account; provider:ID for one provider (repeatable)", repeatable: true },
    { flags: "--share-organization <id>", description: "share each published version with this organization (AWS; repeatable)", repeatable: true },
    { flags: "-o, --out <file>", description: "also keep the built zip here (a path ending in .zip; for the print format see --output)" },
    { flags: "--exclude <glob>", description: "leave out paths matching this gitignore-style pattern (repeatable)", repeatable: true },
    { flags: "--prefix <path>", description: "put the contents under this folder in the zip (e.g. python, nodejs)" },
    // No default here: a default would override the config file's "symlinks" (parseSymlinkMode keeps links).
    { flags: "--symlinks <mode>", description: "keep links (inside the dir only) or store their targets (default: keep)", choices: ["keep", "follow"] },
    { flags: "--no-check", description: "skip the compatibility check of the binaries inside (see `layerctl check`)" },
    { flags: "--config <file>", description: 'config file (default: layerctl.config.json, .layerctlrc[.json|.yaml] or package.json "layerctl", searched upwards)' },
    { flags: "--record <file>", description: "merge the versions this run published into this record file (written atomically)" },
    { flags: "--attach <functions>", description: "then attach the published version to these functions (comma-separate or repeat)", repeatable: true },
    { flags: "--namespace <ns>", description: "with --attach: function namespace, where the provider has them (default: default)" },
    { flags: "--publish-version", description: "with --attach: publish a function version after the update (unless one with these layers exists)" },
    { flags: "--no-publish-version", description: "with --attach: no function version (overrides the config's attach.publishVersion)" },
    { flags: "--alias <name>", description: "with --attach: point this alias at the new function version (implies --publish-version)" },
    {
      flags: "--upload <mode>",
      description: "inline in the API call, or staged in the cloud's object storage first (default: auto, staged only over the inline limit)",
      choices: ["auto", "inline", "storage"],
    },
    { flags: "--bucket <spec>", description: "where to stage: NAME, provider=NAME or provider:region=NAME; {region} becomes the target's region (repeatable)", repeatable: true },
    { flags: "--keep-staged", description: "keep the staged object after publishing (default: removed)" },
    { flags: "--no-keep-staged", description: "remove the staged object (overrides the config's keepStaged)" },
    { flags: "--storage-endpoint <url>", description: "object storage endpoint override (path-style addressing), a full http(s)://host:port URL" },
    {
      flags: "--align-version",
      description: "publish until every target holds the same version number (the highest + 1), padding with this same zip; targets already holding it there are left alone",
    },
    { flags: "--max-padding <n>", description: "with --align-version: refuse (before any publish) when a target would need more padding versions than this (default 10)" },
    {
      flags: "--resume <file>",
      description: "a record file of an earlier run: publish only to the targets it does not show holding this zip (and merge the new versions into it)",
    },
  ],
  targets: true,
  progress: true,
  examples: [
    "layerctl publish ./my-layer --provider tencent --name deps --runtime python3.10",
    "layerctl publish ./site-packages --prefix python -p aws -n deps --runtime python3.12 --arch arm64",
    "layerctl publish layer.zip -p aws,aliyun -r aws:eu-west-1,aliyun:cn-shanghai -n deps --runtime nodejs20",
    "layerctl publish ./my-layer -p tencent -n deps --runtime python3.10 --emulator --output json",
    'echo "version=$(layerctl publish ./l -p aws -n deps --runtime nodejs20 --output version)" >> "$GITHUB_OUTPUT"',
    "layerctl publish                      # every layer of layerctl.config.json",
    "layerctl publish deps -p aws --record layers.lock.json --attach api --alias live",
    "layerctl publish ./l -n deps -p aws,aliyun --runtime aws:python3.11,aliyun:python3.10 --prefix aws:python,aliyun:python",
    "layerctl publish ./big-layer -p tencent,aws,aliyun -n deps --runtime python3.10 --bucket 'aws=my-layers-{region}' --bucket tencent=layers-1250000000",
    "layerctl publish ./l -n deps --runtime python3.12 -p aws -r aws:all --align-version --record layers.lock.json",
    "layerctl publish ./l -n deps --runtime python3.12 -p aws -r aws:all --align-version --resume layers.lock.json",
  ],
  notes: `Output: table (people), json ({"archive": {...}, "results": [record, ...]}; "archives" when several zips
were built, "attachments" with --attach ("plannedAttachments" with --dry-run), "recordFiles" with --record), version (the bare
number for one target; "provider region version" lines for several; "planned" on --dry-run),
env (KEY=value lines). Only the document goes to stdout; progress and warnings go to stderr.
A failed target is listed with status "failed" and reported on stderr; the exit code is then 1.
Before anything is uploaded, the binaries inside are checked for each provider's runtimes and
--arch (see layerctl check): a file that will not load is exit 2, one line each; --no-check skips it.
--public / --share-account / --share-organization share each version right after it is published
(see layerctl share), where the cloud can: Tencent's targets are listed as skipped under "shares"; if
sharing fails, the target is "failed", naming the version that was published.
With the config file (no source, or a layer's name): --provider and --region select among the
targets it declares (a layer with none left is skipped, under "skipped"); every layer of the file
puts the layer in each env key (LAYERCTL_DEPS_AWS_US_EAST_1_VERSION) and version line. With
--emulator its record goes to <record>.emulator.json, never the real one.

Big layers: over a cloud's inline limit the zip is staged in its object storage (S3, COS, OSS) and
published from there, then removed. Buckets: --bucket, or LAYERCTL_BUCKET_AWS / _TENCENT / _ALIYUN
(same syntax); a bucket must be in the target's region. Tencent bucket names carry the -APPID suffix.
Aliyun without a bucket uses FC's temporary bucket. Storage endpoints: --storage-endpoint, or
LAYERCTL_STORAGE_ENDPOINT_AWS / _TENCENT / _ALIYUN (AWS also AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL).

Fleets: --region aws:all (tencent:all, aliyun:all, or all) is every region the account may use, asked
of the cloud (layerctl's list, with a warning, when the credentials may not ask). --align-version reads
every target's newest version first, takes N = the highest + 1 (a target already holding this zip
stands at its version), and publishes this zip in each target until it holds version N; the versions
below N it creates are padding (same zip; "padding" in the record). A target that already has N or more
is reported (AlignOvershoot), never forced; one that could not be read fails and the same command later
catches it up. --max-padding (default 10) and Tencent's 200 versions per layer are checked before any
publish. --resume FILE publishes only to the targets FILE does not show holding this zip, and merges the
new versions into FILE; with --align-version, N is the version FILE holds.`,
  // With the config file: no source publishes every configured layer; flags override its keys.
  run: (input: ConfigPublishInput, ctx: CommandContext) => publishWithConfig(input, ctx, preparePublish),
  ...recordsOutput(
    (doc: ConfigPublishDocument, format) =>
      renderLayerDocument(doc, format) +
      (doc.attachments && format === "table" ? `\n${renderAttachTable(doc.attachments)}` : "") +
      (doc.plannedAttachments && format === "table" ? `\n${renderPlannedAttachTable(doc.plannedAttachments)}` : "") +
      (doc.shares?.length && format === "table" ? `\n${renderShares({ results: doc.shares }, "table")}` : "") +
      (doc.skipped && format === "table" ? `\n${doc.skipped.map((l) => `skipped ${l.layerName}: ${l.reason}\n`).join("")}` : ""),
  ),
  failures: (doc: ConfigPublishDocument) => [
    ...recordFailures(doc.results),
    ...recordFailures((doc.attachments ?? []).map((a) => ({ ...a, region: `${a.region} ${a.functionName}` }))),
    ...(doc.recordErrors ?? []).map(({ file, ...error }) => ({ where: `record ${file}`, ...error, message: `${error.message} (the versions listed were published)` })),
  ],
});
