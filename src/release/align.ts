// `publish --align-version`: the same version number in every target, so docs and scripts can
// name one ARN pattern instead of a table per region (bref #725, Powertools #1642).
//
// Plan first: every target's newest version is read (ProviderClient.layerHead). A target whose
// newest version already holds this zip stands at that number; any other will get a number above
// its highest. N is the largest of those. Each target then publishes *this* zip until it holds
// version N: the versions below N that this creates are padding (the same zip, never an old one)
// and records name them. Nothing is published before the whole plan is known to fit: a target
// needing more than --max-padding padding versions, or more versions than the cloud keeps per
// layer (Tencent: 200), refuses the run before any creating call.
//
// A target that already has N or more (a concurrent publish got there) is reported, not forced;
// a target that could not be read is failed and the rest proceed: running the same command later
// catches it up to N (the others hold the zip at N already: unchanged), and with --resume N comes
// from the record file of the first run.
import { CloudError, UsageError } from "../errors.js";
import type { LocalDigest } from "../providers/content.js";
import { holdsZip } from "../providers/content.js";
import type { LayerHead, LayerVersionRecord, ProviderClient, PublishLayerRequest, PublishOptions } from "../providers/types.js";
import { publishOnce, type PublishOnceContext } from "./publish-once.js";
import { describeTarget } from "../targets/describe.js";
import type { TargetRun } from "../targets/runner.js";
import type { Target } from "../targets/resolve.js";

export const DEFAULT_MAX_PADDING = 10;

export type AlignStep =
  /** Its newest version is N and holds this zip: nothing to publish. */
  | { kind: "done"; record: LayerVersionRecord }
  /** `count` publishes of this zip (count - 1 of them padding), from above `highest` up to N. */
  | { kind: "publish"; highest: number; count: number }
  /** It already has N or more: not forced past N. */
  | { kind: "overshoot"; highest: number }
  /** Its newest version could not be read. */
  | { kind: "unread"; error: unknown };

export interface AlignPlan {
  version: number;
  steps: AlignStep[];
}

/** Every target's head, read at once (paced per region by the run's Traffic); a failure stays per target. */
export function readHeads(run: TargetRun, layerName: string, concurrency: number): Promise<Array<LayerHead | { error: unknown }>> {
  return run.each<LayerHead | { error: unknown }>(({ client }) => client.layerHead(layerName), { failed: (_t, error) => ({ error }), concurrency });
}

export function planAlign(targets: Target[], heads: Array<LayerHead | { error: unknown }>, local: LocalDigest, opts: { maxPadding: number; fixed?: number }): AlignPlan {
  const standing = heads.map((h) => {
    if ("error" in h) return null;
    const holds = h.newest?.version != null && holdsZip(h.digest, local) === true;
    return holds ? h.newest!.version! : h.highest + 1;
  });
  const readable = standing.filter((v): v is number => v !== null);
  const version = opts.fixed ?? (readable.length > 0 ? Math.max(...readable) : 1);
  const steps: AlignStep[] = heads.map((h) => {
    if ("error" in h) return { kind: "unread", error: h.error };
    // It holds exactly this zip: its SHA-256 is ours where the cloud reports none (FC's CRC-64),
    // as --skip-unchanged says, so a record file sees the same entry and keeps it as it is.
    if (h.newest?.version === version && holdsZip(h.digest, local) === true)
      return { kind: "done", record: { ...h.newest, codeSha256: h.newest.codeSha256 ?? local.sha256, status: "unchanged" } };
    if (h.highest >= version) return { kind: "overshoot", highest: h.highest };
    return { kind: "publish", highest: h.highest, count: version - h.highest };
  });
  // The cost of padding and the clouds' caps, for every target, before any creating call.
  const tooMuch: string[] = [];
  const overCap: string[] = [];
  steps.forEach((s, i) => {
    if (s.kind !== "publish") return;
    const t = targets[i]!;
    if (s.count - 1 > opts.maxPadding) tooMuch.push(`${describeTarget(t)} (at ${s.highest}: ${s.count - 1} padding versions)`);
    const cap = t.provider.limits.maxVersionsPerLayer;
    const count = (heads[i] as LayerHead).versionCount;
    if (cap !== null && count !== null && count + s.count > cap) overCap.push(`${describeTarget(t)} (${count} versions + ${s.count} > ${cap})`);
  });
  if (overCap.length > 0) {
    throw new UsageError(`aligning at version ${version} would pass the cloud's cap on versions per layer in ${overCap.join(", ")}`, {
      code: "VersionCapExceeded",
      hint: "delete old versions first (layerctl prune), or publish without --align-version",
    });
  }
  if (tooMuch.length > 0) {
    const most = Math.max(...steps.map((s) => (s.kind === "publish" ? s.count - 1 : 0)));
    throw new UsageError(`aligning at version ${version} needs more than --max-padding ${opts.maxPadding} padding versions in ${tooMuch.join(", ")}`, {
      code: "PaddingExceeded",
      hint: `allow them with --max-padding ${most}, or publish without --align-version`,
    });
  }
  return { version, steps };
}

/** Padding versions created before a failure, for the failed record (see paddingOf). */
const paddingByError = new WeakMap<object, number[]>();

export function paddingOf(err: unknown): number[] | undefined {
  return typeof err === "object" && err !== null ? paddingByError.get(err) : undefined;
}

/**
 * Publishes this zip until the target holds version `target`. Padding versions are not waited
 * for (an asynchronous cloud numbers a version when it accepts it); the last one is, as publish
 * waits. A number past `target` (someone else published meanwhile) stops it: the version exists
 * and holds this zip, but the target is not aligned, and the error says so.
 *
 * `unsettled` are the padding versions whose answers did not say Active: a staged object they
 * were published from may still be read (Tencent) until they are (see stillPublishing).
 */
export async function publishAligned(
  client: ProviderClient,
  req: PublishLayerRequest,
  step: Extract<AlignStep, { kind: "publish" }>,
  target: number,
  opts: PublishOptions,
  ctx: PublishOnceContext,
): Promise<{ record: LayerVersionRecord; unsettled: LayerVersionRecord[] }> {
  const padding: number[] = [];
  const unsettled: LayerVersionRecord[] = [];
  try {
    for (let n = 1; ; n++) {
      const last = n >= step.count;
      const rec = await publishOnce(client, req, last ? opts : { ...opts, wait: false }, ctx);
      const v = rec.version;
      if (v === null) throw new CloudError("the publish answered without a version number", { code: "InvalidResponse", provider: rec.provider });
      if (v === target) return { record: padding.length > 0 ? { ...rec, padding } : rec, unsettled };
      if (!last && rec.state !== null && rec.state !== "Active") unsettled.push(rec);
      if (v > target) {
        throw new CloudError(`published version ${v}, past the aligned version ${target}: another publish got there first; stopped here`, {
          code: "AlignOvershoot",
          provider: rec.provider,
          requestId: rec.requestId ?? undefined,
          version: v,
          arn: rec.arn ?? undefined,
          hint: "version numbers moved meanwhile: run publish --align-version again to align every target at the new highest version",
        });
      }
      padding.push(v);
      // Numbers never go backwards; more publishes than planned means the plan's reading was stale.
      if (n >= step.count + 2) {
        throw new CloudError(`version ${v} after ${n} publishes, still below the aligned version ${target}`, { code: "AlignStalled", provider: rec.provider, version: v });
      }
    }
  } catch (err) {
    if (padding.length > 0 && typeof err === "object" && err !== null) paddingByError.set(err, padding);
    throw err;
  }
}

/**
 * The first padding version still being published, read again once the aligned version is Active
 * (one read each, only for versions whose publish answer was not Active); null when every one is.
 * A version that cannot be read counts as still publishing: the staged object it may read is kept.
 */
export async function stillPublishing(client: ProviderClient, unsettled: LayerVersionRecord[]): Promise<LayerVersionRecord | null> {
  for (const rec of unsettled) {
    const now = await client.getLayerVersion(rec.layerName, rec.version!).catch(() => rec);
    if (now.state !== "Active") return now;
  }
  return null;
}

/** What a target that publishes nothing reports: done (unchanged), overshoot or unread (failed). */
export function overshootError(t: Target, highest: number, version: number): CloudError {
  return new CloudError(`${describeTarget(t)} already has version ${highest}, past the aligned version ${version}: not published (not forced past it)`, {
    code: "AlignOvershoot",
    provider: t.provider.name,
    hint: "another publish got there first: run publish --align-version again to align every target at the new highest version",
  });
}
