// layerctl layers: every layer of each target with its newest version (all pages). Where the cloud
// caps versions per layer (Tencent: 200), each layer's versions are counted and a layer close to
// the cap is flagged, in the record and on stderr.
import type { LayerVersionRecord, ProviderClient } from "../providers/types.js";
import { mapLimit } from "../providers/paging.js";
import type { LayerSummaryRecord } from "./shared/lifecycle-records.js";
import type { CommandContext } from "./shared/context.js";
import { withTargets } from "./shared/lifecycle-targets.js";
import { parseTimeout } from "./shared/options.js";
import { errorFields } from "./shared/records.js";
import { mapTargets } from "./shared/run-targets.js";
import type { Target, TargetOptions } from "./shared/targets.js";
import { layerQuotaWarning, versionQuotaWarning } from "./shared/version-quota.js";
import { renderLayerSummaries } from "../output/lifecycle.js";
import { defineCommand } from "./shared/define.js";
import { recordsOutput } from "./shared/records.js";

export interface LayersInput extends TargetOptions {
  timeout?: string;
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

async function listTarget(client: ProviderClient, t: Target, log: CommandContext["log"]): Promise<LayerSummaryRecord[]> {
  const layers = (await client.listLayers()).sort((a, b) => a.layerName.localeCompare(b.layerName));
  const nearCap = layerQuotaWarning(t.provider, t.region, layers.length);
  if (nearCap) log.warn(nearCap);
  if (t.provider.limits.maxVersionsPerLayer === null) return layers.map((r) => summary(t, r, null));
  return mapLimit(layers, COUNT_CONCURRENCY, async (r) => {
    const versions = await client.listLayerVersions(r.layerName);
    return summary(t, r, versions.filter((v) => !LEAVING.has(v.state ?? "")).length);
  });
}

export async function layersCommand(input: LayersInput, ctx: CommandContext): Promise<{ results: LayerSummaryRecord[] }> {
  const timeoutMs = parseTimeout(input.timeout);
  return withTargets(input, ctx, timeoutMs, async ({ targets, clients, policies }) => {
    const lists = await mapTargets(targets, async (t, i) => {
      policies[i]!.deadline = Date.now() + timeoutMs;
      try {
        return await listTarget(clients[i]!, t, ctx.log);
      } catch (err) {
        const error = errorFields(err);
        const failed: LayerSummaryRecord = {
          provider: t.provider.name,
          region: t.region,
          layerName: "",
          version: null,
          arn: null,
          state: null,
          createdAt: null,
          compatibleRuntimes: [],
          description: null,
          versionCount: null,
          versionLimit: t.provider.limits.maxVersionsPerLayer,
          warning: null,
          requestId: error.requestId,
          error,
        };
        return [failed];
      }
    });
    const results = lists.flat();
    for (const r of results) if (r.warning) ctx.log.warn(r.warning);
    return { results };
  });
}

export default defineCommand({
  targets: true,
  examples: ["layerctl layers -p aws,aliyun -r aws:eu-west-1", "layerctl layers -p tencent --output json | jq -r '.results[] | select(.warning) | .layerName'"],
  notes: `Every page of each target's layers, each with its newest version. Where a cloud caps versions
per layer (Tencent: 200), each layer's versions are counted (VERSIONS) and a layer holding more
than 90% of the cap is flagged: WARNING in the table, "warning" in JSON, and a line on stderr.
Where it caps layers per region (Tencent: 20), a region holding more than 90% of them is a line
on stderr.`,
  run: layersCommand,
  ...recordsOutput(renderLayerSummaries),
});
