// Step 3 of a publish: what it will do, decided before anything is created. Each target's request
// and upload (inline, or staged: where), the limits after staging, --resume's targets,
// --align-version's N (its reads create nothing), and --attach's functions checked in every target.
import type { PackResult } from "../archive/types.js";
import type { CommandContext } from "../targets/context.js";
import type { Logger } from "../output/log.js";
import { archiveCrc64 } from "../providers/archive-content.js";
import { blankRecord } from "../providers/record.js";
import type { LayerArchive, LayerVersionRecord, Provider, PublishLayerRequest } from "../providers/types.js";
import type { Target } from "../targets/resolve.js";
import { FLEET_CONCURRENCY } from "../targets/run-options.js";
import type { TargetRun } from "../targets/runner.js";
import { planAlign, readHeads, type AlignPlan } from "./align.js";
import type { BuiltArchive } from "./publish-archive.js";
import { preflightFunctions } from "./publish-attach.js";
import { describeAlignPlan } from "./publish-fleet.js";
import type { PublishInput } from "./publish-input.js";
import type { CheckedPublish } from "./publish-validate.js";
import { selectForResume, type ResumeSelection } from "./resume.js";
import { inlineCheck, planTarget, planUploads, plannedStaging, type TargetPlan } from "./staging.js";

/** A publish planned: every check that can refuse it has passed, and nothing has been created. */
export interface PlannedRun {
  /** The targets it publishes to (with --resume, those the record file does not show done). */
  run: TargetRun;
  plan: PublishPlan;
  uploads: TargetPlan[];
  archive: LayerArchive;
  align?: AlignPlan;
}

export async function planRun(p: CheckedPublish, opened: TargetRun, built: BuiltArchive, ctx: CommandContext): Promise<PlannedRun> {
  const { packed } = built;
  const size = packed.archive.zipBytes;
  const tooBig = checkLimits(p, packed, ctx.log);
  // --resume: the targets the record file shows holding this zip are left as they are.
  let run = opened;
  let resumed: ResumeSelection | undefined;
  if (p.input.resume !== undefined) {
    resumed = await selectForResume(p.input.resume, p.layerName, run.targets, packed.archive.sha256, ctx.log);
    run = run.select(resumed.keep);
  }
  const { targets } = run;
  const uploads = planUploads(targets, (t) => planTarget(p.staging, t, { zip: size }, tooBig.get(t.provider) ?? null, ctx.env, Boolean(p.input.emulator)));
  // Never read whole: an inline upload's body is encoded from the file (providers/inline-body.ts), staging streams it.
  const archive: LayerArchive = { path: built.path, sha256: packed.archive.sha256, size };
  const plan = planPublish({ layerName: p.layerName, targets, runtimes: p.providers, architectures: p.architectures, input: p.input, archive, uploads });
  // --align-version reads every target first (a dry run too: reads create nothing) and plans N;
  // a target past --max-padding refuses the run here, before anything is published.
  const align = p.input.alignVersion && targets.length > 0 ? await planAligned(p, run, archive, resumed, ctx) : undefined;
  // Every function to attach to exists, with room for the layer, in every target: after every
  // check that needs no call (a mistake found there calls nothing), before anything is published
  // (a config run prepares every layer, so every layer's functions are checked first).
  if (p.attach && !p.input.dryRun) await preflightFunctions(run, p.layerName, p.attach);
  return { run, plan, uploads, archive, align };
}

/**
 * Inline or staged, per provider: every limit (inline, or after staging) is checked here, before
 * any call; each warning is said once. The providers whose zip is over the inline limit, and why.
 */
function checkLimits(p: CheckedPublish, packed: PackResult, log: Logger): Map<Provider, ReturnType<typeof inlineCheck>> {
  const warned = new Set<string>();
  const tooBig = new Map<Provider, ReturnType<typeof inlineCheck>>();
  for (const [provider, runtimes] of p.providers) {
    const { layerName, architectures } = p;
    const spec = {
      layerName,
      runtimes,
      architectures,
      description: p.input.description,
      license: p.input.license,
      size: packed.archive.zipBytes,
      unzippedSize: packed.archive.uncompressedBytes,
    };
    const over = inlineCheck(provider, spec);
    tooBig.set(provider, over);
    const warnings = provider.validateLayer(over ? { ...spec, size: 0 } : spec);
    const layout = provider.layoutWarning([...packed.topLevel, ...packed.secondLevel], runtimes);
    for (const w of layout ? [...warnings, layout] : warnings) {
      if (!warned.has(w)) log.warn(w);
      warned.add(w);
    }
  }
  return tooBig;
}

/** --align-version: every target's newest version read, and the version N they are to reach. */
async function planAligned(p: CheckedPublish, run: TargetRun, archive: LayerArchive, resumed: ResumeSelection | undefined, ctx: CommandContext): Promise<AlignPlan> {
  const { targets } = run;
  run.sayNote();
  ctx.progress?.(`reading the newest version of ${p.layerName} in ${targets.length} targets`);
  const heads = await readHeads(run, p.layerName, run.concurrency(FLEET_CONCURRENCY));
  const local = { sha256: archive.sha256, crc64: await archiveCrc64(archive), size: archive.size };
  const align = planAlign(targets, heads, local, { maxPadding: p.maxPadding, fixed: resumed?.alignedVersion });
  ctx.log.info(describeAlignPlan(p.layerName, targets, align));
  return align;
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
