// layerctl layers: every layer of each target with its newest version (all pages). Where the cloud
// caps versions per layer (Tencent: 200), each layer's versions are counted and a layer close to
// the cap is flagged, in the record and on stderr.
import type { LayerVersionRecord, ProviderClient } from "../providers/types.js";
import { mapLimit } from "../providers/paging.js";
import type { LayerSummaryRecord } from "../release/lifecycle-records.js";
import type { CommandContext } from "../targets/context.js";
import { failedTarget } from "../targets/failed-records.js";
import { runSettings, withTargets } from "../targets/runner.js";
import type { Target } from "../targets/resolve.js";
import { blankRecord } from "../providers/record.js";
import { configRun, type ConfigInput } from "../release/config-targets.js";
import { layerQuotaWarning, versionQuotaWarning } from "../release/version-quota.js";
import { renderLayerSummaries } from "../output/lifecycle.js";
import { defineCommand } from "./shared/define.js";
import { recordsOutput } from "./shared/records.js";
import { configOption } from "./shared/target-options.js";

export interface LayersInput extends ConfigInput {
  timeout?: string;
  /** With the config file: every layer of its targets, not only the file's. */
  all?: boolean;
}

/** Counting versions is one list call per layer: a few at a time. */
const COUNT_CONCURRENCY = 4;
const LEAVING = new Set(["Deleting", "Deleted"]);

function summary(t: Target, r: LayerVersionRecord, count: number | null): LayerSummaryRecord {
  return {
    provider: r.provider,
    region: r.region,
    layerName: r.layerName,
    version: r.version,
    arn: r.arn,
    state: r.state,
    createdAt: r.createdAt,
    compatibleRuntimes: r.compatibleRuntimes,
    description: r.description,
    versionCount: count,
    versionLimit: t.provider.limits.maxVersionsPerLayer,
    warning: count === null ? null : versionQuotaWarning(t.provider, t.region, r.layerName, count),
    requestId: r.requestId,
  };
}

/** `only`: the config's layers for this target (each listed, with no version where it has none yet); undefined: every layer. */
async function listTarget(client: ProviderClient, t: Target, log: CommandContext["log"], only?: string[]): Promise<LayerSummaryRecord[]> {
  const listed = (await client.listLayers()).sort((a, b) => a.layerName.localeCompare(b.layerName));
  const nearCap = layerQuotaWarning(t.provider, t.region, listed.length);
  if (nearCap) log.warn(nearCap);
  const layers = only === undefined ? listed : only.map((name) => listed.find((r) => r.layerName === name) ?? blankRecord(t.provider.name, t.region, name));
  const none = new Set(only?.filter((name) => !listed.some((r) => r.layerName === name)));
  if (t.provider.limits.maxVersionsPerLayer === null) return layers.map((r) => summary(t, r, null));
  return mapLimit(layers, COUNT_CONCURRENCY, async (r) => {
    if (none.has(r.layerName)) return summary(t, r, 0);
    const versions = await client.listLayerVersions(r.layerName);
    return summary(t, r, versions.filter((v) => !LEAVING.has(v.state ?? "")).length);
  });
}

export async function layersCommand(input: LayersInput, ctx: CommandContext): Promise<{ results: LayerSummaryRecord[] }> {
  const settings = runSettings(input);
  // In a folder with a config file: its layers, in their targets (--all: every layer there).
  const run = await configRun(input, undefined, ctx);
  return withTargets(run?.options ?? input, ctx, { settings }, async (targets) => {
    const lists = await targets.each(({ target: t, client }) => listTarget(client, t, ctx.log, run && !input.all ? run.layersOf(t) : undefined), {
      // Where the layers could not be listed: one record with no layer, the target's error.
      failed: (t, err): LayerSummaryRecord[] => [{ ...summary(t, blankRecord(t.provider.name, t.region, ""), null), ...failedTarget(t, err) }],
    });
    const results = lists.flat();
    for (const r of results) if (r.warning) ctx.log.warn(r.warning);
    return { results };
  });
}

export default defineCommand({
  options: [{ flags: "--all", description: "with the config file: every layer of its targets, not only the file's" }, configOption],
  targets: true,
  examples: [
    "layerctl layers -p aws,aliyun -r aws:eu-west-1",
    "layerctl layers -p tencent --output json | jq -r '.results[] | select(.warning) | .layerName'",
    "layerctl layers                       # the layers of layerctl.config.json, in their targets",
  ],
  notes: `Every page of each target's layers, each with its newest version. Where a cloud caps versions
per layer (Tencent: 200), each layer's versions are counted (VERSIONS) and a layer holding more
than 90% of the cap is flagged: WARNING in the table, "warning" in JSON, and a line on stderr.
Where it caps layers per region (Tencent: 20), a region holding more than 90% of them is a line
on stderr. With the config file: its layers in their targets (one not published there yet has no
version); --all lists every layer of those targets.`,
  run: layersCommand,
  ...recordsOutput(renderLayerSummaries),
});
