// publish's fleet options: how many targets go at once by default, --max-padding, and what
// --align-version reports for a target it publishes nothing to (./publish-execute.ts).
import { UsageError } from "../errors.js";
import { UPLOAD_BUDGET_BYTES } from "../providers/traffic.js";
import type { LayerVersionRecord, ProviderClient } from "../providers/types.js";
import { errorFields } from "../targets/failed-records.js";
import { afterPublish, type AfterPublish } from "./publish-after.js";
import { DEFAULT_CONCURRENCY, FLEET_CONCURRENCY } from "../targets/run-options.js";
import { describeTarget } from "../targets/describe.js";
import type { TargetPlan } from "./staging.js";
import type { Target } from "../targets/resolve.js";
import { DEFAULT_MAX_PADDING, overshootError, type AlignPlan, type AlignStep } from "./align.js";

/**
 * Targets at once when --concurrency is not given: as many as the run's upload budget lets upload
 * together (every region of three clouds for a small layer: its targets wait on nothing but the
 * pacing), and the old 16 for big inline layers, whose uploads wait for the budget anyway and
 * whose --timeout clocks would run while they wait.
 */
export function defaultConcurrencyFor(uploads: TargetPlan[], zipBytes: number): number {
  if (!uploads.some((u) => u.upload === "inline")) return FLEET_CONCURRENCY;
  const body = Math.max(1, Math.ceil((zipBytes * 4) / 3));
  return Math.max(DEFAULT_CONCURRENCY, Math.min(FLEET_CONCURRENCY, Math.floor(UPLOAD_BUDGET_BYTES / body)));
}

export function parseMaxPadding(value: string | undefined, align: boolean | undefined): number {
  if (value === undefined) return DEFAULT_MAX_PADDING;
  if (!align) throw new UsageError("--max-padding has no use without --align-version", { code: "ConflictingOptions", hint: "add --align-version, or drop --max-padding" });
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 0 && n <= 1000)) throw new UsageError(`--max-padding must be a whole number from 0 to 1000, not "${value}"`, { code: "InvalidOption" });
  return n;
}

/** A target --align-version publishes nothing to: unchanged (shared again, as --skip-unchanged does), or an error. */
export async function alignedWithoutPublish(
  client: ProviderClient,
  t: Target,
  step: Exclude<AlignStep, { kind: "publish" }>,
  version: number,
  opts: AfterPublish,
): Promise<LayerVersionRecord> {
  if (step.kind === "done") return afterPublish(client, t, step.record, opts);
  if (step.kind === "overshoot") throw overshootError(t, step.highest, version);
  throw step.error;
}

/** A dry run's record for one target of an aligned plan: the version it would reach and the padding it would take. */
export function plannedAligned(r: LayerVersionRecord, plan: AlignPlan, i: number): LayerVersionRecord {
  const step = plan.steps[i]!;
  if (step.kind === "publish") {
    const padding = Array.from({ length: step.count - 1 }, (_, k) => step.highest + 1 + k);
    return { ...r, version: plan.version, ...(padding.length > 0 ? { padding } : {}) };
  }
  if (step.kind === "done") return step.record;
  const error = errorFields(
    step.kind === "unread" ? step.error : overshootError({ provider: { name: r.provider } as Target["provider"], region: r.region } as Target, step.highest, plan.version),
  );
  return { ...r, status: "failed", requestId: error.requestId, error };
}

/** One line before anything is published: N, and what reaching it costs. */
export function describeAlignPlan(layerName: string, targets: Target[], plan: AlignPlan): string {
  const n = (kind: AlignStep["kind"]) => plan.steps.filter((s) => s.kind === kind).length;
  const padding = plan.steps.reduce((sum, s) => sum + (s.kind === "publish" ? s.count - 1 : 0), 0);
  const parts = [`${n("publish")} to publish${padding > 0 ? ` (${padding} padding version${padding === 1 ? "" : "s"} in all)` : ""}`, `${n("done")} already there`];
  if (n("overshoot") > 0) parts.push(`${n("overshoot")} past it`);
  const unread = plan.steps.flatMap((s, i) => (s.kind === "unread" ? [describeTarget(targets[i]!)] : []));
  if (unread.length > 0) parts.push(`${unread.length} not read (${unread.join(", ")}): run the same command again later to catch ${unread.length === 1 ? "it" : "them"} up`);
  return `aligning ${layerName} at version ${plan.version}: ${parts.join(", ")}`;
}
