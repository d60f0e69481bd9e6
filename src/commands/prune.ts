// layerctl prune <name> --keep N [--older-than 30d]: keep the newest N versions (and any younger
// than --older-than), delete the rest. Every page of versions is read, and by default a version
// that any function configuration still references is never deleted (`in-use`, naming them).
// Everything is planned on every target first; then one question (or --yes); then deletes.
import { LayerctlError, UsageError } from "../errors.js";
import type { LayerReference, LayerVersionRecord, ProviderClient } from "../providers/types.js";
import { askOnce, requireConsentPossible, type ConsentContext } from "./shared/consent.js";
import { parseDuration } from "./shared/duration.js";
import type { VersionActionRecord } from "../release/lifecycle-records.js";
import { deleteOne, failedVersion, versionRecord } from "./shared/version-actions.js";
import { describeTarget } from "../targets/describe.js";
import { runSettings, withTargets } from "../targets/runner.js";
import { selectProviders, type Target } from "../targets/resolve.js";
import { configRun, type ConfigInput } from "../release/config-targets.js";
import { markManyLayers } from "../output/env.js";
import { renderVersionActions } from "../output/lifecycle.js";
import { defineCommand } from "./shared/define.js";
import { recordsOutput } from "./shared/records.js";
import { configOption } from "./shared/target-options.js";

export interface PruneInput extends ConfigInput {
  /** Optional with the config file: every layer of it. */
  name?: string;
  keep?: string;
  olderThan?: string;
  dryRun?: boolean;
  includeInUse?: boolean;
  yes?: boolean;
  timeout?: string;
}

export interface PruneRules {
  keep: number;
  /** Versions younger than this (ms) are kept; null: age does not matter. */
  olderThanMs: number | null;
  olderThanText?: string;
  /** Delete versions that functions reference too. */
  includeInUse: boolean;
  now: number;
}

/** Lifecycle states of a version already on its way out: neither counted among the newest nor deleted again. */
const LEAVING = new Set(["Deleting", "Deleted"]);
/** A version still being created is never pruned. */
const ARRIVING = new Set(["Publishing"]);

export function describeReference(r: LayerReference): string {
  return `${r.namespace ? `${r.namespace}/` : ""}${r.functionName}:${r.qualifier}`;
}

/** Kept, in-use or planned for each version, newest first. Pure: the tests drive it directly. */
export function planVersions(t: Target, layerName: string, versions: LayerVersionRecord[], refs: LayerReference[], rules: PruneRules): VersionActionRecord[] {
  const live = versions.filter((v) => v.version !== null && !LEAVING.has(v.state ?? "")).sort((a, b) => b.version! - a.version!);
  return live.map((v, index) => {
    const rec = versionRecord(t, layerName, v);
    const users = refs.filter((r) => r.version === v.version && (r.arn === null || v.arn === null || r.arn === v.arn)).map(describeReference);
    rec.usedBy = [...new Set(users)];
    if (index < rules.keep) return { ...rec, reason: `newest ${rules.keep}` };
    if (ARRIVING.has(v.state ?? "")) return { ...rec, reason: `still ${v.state}` };
    if (rules.olderThanMs !== null) {
      const created = v.createdAt ? Date.parse(v.createdAt) : Number.NaN;
      if (Number.isNaN(created)) return { ...rec, reason: "creation time unknown" };
      if (rules.now - created < rules.olderThanMs) return { ...rec, reason: `younger than ${rules.olderThanText}` };
    }
    if (rec.usedBy.length > 0 && !rules.includeInUse) return { ...rec, status: "in-use", reason: `used by ${rec.usedBy.join(", ")}` };
    return { ...rec, status: "planned", reason: `not among the newest ${rules.keep}${rules.olderThanMs !== null ? ` and older than ${rules.olderThanText}` : ""}` };
  });
}

/** A planning failure: nothing was deleted in that target, because deciding needs every read whole. */
function nothingDeleted(err: unknown, t: Target): unknown {
  if (!(err instanceof LayerctlError)) return err;
  const why = `nothing was deleted in ${describeTarget(t)}: prune decides only on a complete list of versions and of the functions using them`;
  return err.with({ hint: err.hint ? `${why}; ${err.hint}` : why });
}

export function parseKeep(value: string | undefined): number {
  if (value === undefined) throw new UsageError("prune needs --keep N (how many of the newest versions to keep)", { code: "MissingKeep", hint: "e.g. --keep 5" });
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--keep must be a whole number, not "${value}"`, { code: "InvalidKeep" });
  return Number(value);
}

async function planTarget(client: ProviderClient, t: Target, name: string, rules: PruneRules): Promise<VersionActionRecord[]> {
  const versions = await client.listLayerVersions(name);
  // Listing first: a layer without versions needs no scan of the account's functions.
  if (versions.length === 0) return [];
  const refs = rules.includeInUse ? [] : await client.layerReferences(name);
  return planVersions(t, name, versions, refs, rules);
}

export async function pruneCommand(input: PruneInput, ctx: ConsentContext): Promise<{ results: VersionActionRecord[] }> {
  const name = input.name?.trim() || undefined;
  const keep = parseKeep(input.keep);
  const olderThanMs = input.olderThan === undefined ? null : parseDuration("--older-than", input.olderThan);
  const settings = runSettings(input);
  // In a folder with a config file: its layers (or the one named) in their targets.
  const run = await configRun(input, name, ctx);
  if (!run && !name) throw new UsageError("no layer name given", { code: "MissingLayerName", hint: "name the layer, or run it where a config file declares the layers" });
  const targetOptions = run?.options ?? input;
  const layersOf = (t: Target) => run?.layersOf(t) ?? [name!];
  const label = name ?? "every layer of the config";
  selectProviders(targetOptions.provider);
  if (!input.dryRun) requireConsentPossible(input.yes, ctx, "prune");
  const rules: PruneRules = { keep, olderThanMs, olderThanText: input.olderThan?.trim(), includeInUse: Boolean(input.includeInUse), now: Date.now() };

  const doc = await withTargets(targetOptions, ctx, { settings }, async (targetRun) => {
    const { targets } = targetRun;
    if (rules.includeInUse) ctx.log.warn("--include-in-use: versions that functions still reference will be deleted too");

    // Plan every target; a target whose listing or scan fails (or any of whose reads could not be
    // read whole) deletes nothing, and says so.
    const plans = await targetRun.each(async ({ target: t, client }) => {
      const out: VersionActionRecord[] = [];
      for (const layer of layersOf(t)) {
        try {
          out.push(...(await planTarget(client, t, layer, rules)));
        } catch (err) {
          out.push(failedVersion(t, layer, null, nothingDeleted(err, t)));
        }
      }
      return out;
    });
    const planned = plans.map((records) => records.filter((r) => r.status === "planned"));
    const count = planned.reduce((n, p) => n + p.length, 0);
    if (input.dryRun || count === 0) return { results: plans.flat() };

    const summary = targets
      .map((t, i) => (planned[i]!.length ? `${describeTarget(t)}: ${planned[i]!.map((r) => (name ? `${r.version}` : `${r.layerName}:${r.version}`)).join(", ")}` : ""))
      .filter(Boolean)
      .join("; ");
    await askOnce(input.yes, ctx, `delete ${count} version${count > 1 ? "s" : ""} of ${name ? `layer ${name}` : label} (${summary})?`);

    // The deletes start each target's clock anew (a new budget): the question may have waited.
    const done = await targetRun.each(async ({ target: t, index: i, client, budget }) => {
      const out: VersionActionRecord[] = [];
      // One at a time per target: the cloud's rate limit is per account, shared with the scan's reads.
      for (const rec of plans[i]!) out.push(rec.status === "planned" ? await deleteOne(client, t, rec, budget, { listed: true }) : rec);
      return out;
    });
    return { results: done.flat() };
  });
  return run?.allLayers ? markManyLayers(doc) : doc;
}

export default defineCommand({
  arguments: [{ name: "name", description: "layer name (with the config file: default every layer of it)", optional: true }],
  options: [
    { flags: "--keep <n>", description: "how many of the newest versions to keep" },
    { flags: "--older-than <age>", description: "also keep every version younger than this, e.g. 30d, 12h, 2w" },
    { flags: "--dry-run", description: "list what would be deleted (status planned), delete nothing" },
    { flags: "--include-in-use", description: "delete versions that functions still reference too" },
    { flags: "-y, --yes", description: "delete without asking (required when stdin is not a terminal)" },
    configOption,
  ],
  targets: true,
  examples: [
    "layerctl prune deps --keep 5 -p aws,tencent --dry-run",
    "layerctl prune deps --keep 3 --older-than 30d -p aliyun -r cn-shanghai --yes",
    "layerctl prune --keep 3 --yes          # every layer of layerctl.config.json, in its targets",
  ],
  notes: `Every page of versions is read. Before deleting, every function of the target is read (AWS:
$LATEST, published versions and aliases; Tencent: every namespace, current configuration and
published versions; Aliyun: current configuration and published versions): a version one of them
references is kept with status in-use, naming the functions, unless --include-in-use. A target
whose scan fails deletes nothing. Every target is planned first, then one question on a terminal
(--yes when stdin is not one). One record per version: kept, in-use, planned (--dry-run), deleted,
not-found or failed. --output version prints the versions deleted (or planned); env gives comma
lists per target (LAYERCTL_AWS_US_EAST_1_DELETED=1,2; with every layer of the config file, per layer
and target: LAYERCTL_DEPS_AWS_US_EAST_1_DELETED=1,2). With the config file, no name prunes every
layer of it in its own targets (--provider / --region select among them).`,
  run: pruneCommand,
  ...recordsOutput(renderVersionActions),
});
