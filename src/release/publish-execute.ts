// Step 4 of a publish: carrying out the plan. Each target publishes (staging first where planned,
// an ambiguous failure looked into, never repeated blindly), then shares and attaches; a --dry-run
// returns the plan as records instead.
import type { CommandContext } from "../targets/context.js";
import type { ShareRecord } from "./lifecycle-records.js";
import { onInterrupt } from "../interrupt.js";
import type { Budget } from "../providers/budget.js";
import { defaultRetryPolicy } from "../providers/retry.js";
import type { Grantee, LayerArchive, LayerVersionRecord, StagedFile } from "../providers/types.js";
import { describeTarget, versionsCommand } from "../targets/describe.js";
import { failedRecord } from "../targets/failed-records.js";
import type { Target } from "../targets/resolve.js";
import type { TargetRun, TargetWork } from "../targets/runner.js";
import { paddingOf, publishAligned, stillPublishing, type AlignPlan } from "./align.js";
import type { BuiltArchive } from "./publish-archive.js";
import { afterPublish } from "./publish-after.js";
import { attachPublished, planAttachments } from "./publish-attach.js";
import { alignedWithoutPublish, defaultConcurrencyFor, plannedAligned } from "./publish-fleet.js";
import type { PublishDocument, PublishPreset } from "./publish-input.js";
import { publishOnce } from "./publish-once.js";
import { plannedRecords, type PlannedRun, type PublishPlan } from "./publish-plan.js";
import type { CheckedPublish } from "./publish-validate.js";
import { sharesOf } from "./sharing.js";
import { removeStaged, removeStagedAfterFailure, stageZip } from "./staging.js";

/** Runs a planned publish (or, with --dry-run, returns its plan as records). */
export async function runPublish(
  p: CheckedPublish,
  planned: PlannedRun,
  built: BuiltArchive,
  ctx: CommandContext,
  baselines?: PublishPreset["baselines"],
): Promise<PublishDocument> {
  const { run, plan, uploads, archive, align } = planned;
  const { archive: summary } = built.packed;
  const aligned = align ? { alignedVersion: align.version } : {};
  if (p.input.dryRun) {
    const attaching = p.attach ? { plannedAttachments: planAttachments(run.targets, p.layerName, p.attach) } : {};
    const results = plannedRecords(plan).map((r, i) => (align ? plannedAligned(r, align, i) : r));
    return { archive: summary, results, ...attaching, ...aligned };
  }
  run.sayNote();
  const shares: ShareRecord[] = [];
  const budgets: Budget[] = [];
  const results = await executePublish(
    plan,
    {
      run,
      budgets,
      concurrency: run.concurrency(defaultConcurrencyFor(uploads, archive.size)),
      skipUnchanged: Boolean(p.input.skipUnchanged),
      wait: p.input.wait !== false,
      grantees: (t) => p.grants.byProvider.get(t.provider.name) ?? [],
      onShare: (r) => shares.push(r),
      keepStaged: p.staging.keep,
      align,
      baselines,
    },
    ctx,
  );
  const sharing = p.grants.asked ? { shares: sharesOf(run.targets, results, shares, p.grants.skipped, ctx.log) } : {};
  if (!p.attach) return { archive: summary, results, ...sharing, ...aligned };
  const attach = p.attach;
  ctx.progress?.(`attaching ${p.layerName} to ${attach.functions.join(", ")}`);
  // Each target's attaching goes on within the budget its publish started.
  const attached = await run.each(({ client, target: t, index: i, budget }) => attachPublished(client, t, results[i]!, attach, budget, ctx.log), {
    budgets,
    concurrency: run.concurrency(),
  });
  return { archive: summary, results, attachments: attached.flat(), ...sharing, ...aligned };
}

/** Asynchronous publishing (Tencent) is polled at 2 calls/s per target, far below its 20/s limit. */
const POLL_INTERVAL_MS = 500;

/** What executePublish is told besides the plan. */
export interface ExecuteOptions {
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
  /** Targets' baselines read before the run (PublishPreset.baselines). */
  baselines?: PublishPreset["baselines"];
  /** --align-version: what each target does to reach the plan's version (./align.ts). */
  align?: AlignPlan;
}

/** Carries out a plan, every target in parallel (bounded); a failed target becomes a failed record. */
export async function executePublish(plan: PublishPlan, opts: ExecuteOptions, ctx: CommandContext): Promise<LayerVersionRecord[]> {
  const { layerName } = plan;
  const targets = plan.steps.map((s) => s.target);
  let done = 0;
  ctx.progress?.(`publishing ${layerName} to ${targets.map(describeTarget).join(", ")}`);
  return opts.run.each(
    // --timeout is the target's budget from here: no attempt starts after it.
    async (w) => {
      if (opts.budgets) opts.budgets[w.index] = w.budget;
      try {
        return await publishTarget(plan, w, opts, ctx);
      } finally {
        done++;
        if (targets.length > 1) ctx.progress?.(`publishing ${layerName}: ${done}/${targets.length} targets done`);
      }
    },
    { concurrency: opts.concurrency },
  );
}

/**
 * One target's publish: skipped when unchanged, staged first where planned, published once (or
 * up to the aligned version), the staged object dealt with, then shared. Its failure is its record.
 */
async function publishTarget(plan: PublishPlan, { target: t, index: i, client, budget }: TargetWork, opts: ExecuteOptions, ctx: CommandContext): Promise<LayerVersionRecord> {
  const { run } = opts;
  const { upload } = plan.steps[i]!;
  const req = { ...plan.steps[i]!.request };
  const { layerName } = plan;
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
        staged ? `${where}: the staged object ${staged.staged.bucket}/${staged.staged.key} was left behind: remove it with \`${staged.client.removeCommand(staged.staged)}\`` : "",
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
      baseline: opts.baselines?.get(t),
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
  }
}

function stagedFile(archive: LayerArchive): StagedFile {
  if (!archive.path) throw new Error("internal: staging needs the zip on disk");
  return { path: archive.path, size: archive.size, sha256: archive.sha256 };
}
