// What delete and prune share: the delete call within the target's budget, and records for a
// version acted on or one that failed.
import type { Budget } from "../../providers/budget.js";
import type { DeleteOptions, LayerVersionRecord, ProviderClient } from "../../providers/types.js";
import type { VersionActionRecord } from "../../release/lifecycle-records.js";
import { failedTarget } from "../../targets/failed-records.js";
import type { Target } from "../../targets/resolve.js";

/** Asynchronous deletes (Tencent) are polled at 2 calls/s per target, far below the 20/s limit. */
export const DELETE_POLL_INTERVAL_MS = 500;

export function versionRecord(t: Target, layerName: string, v: Partial<LayerVersionRecord> & { version: number | null }): VersionActionRecord {
  return {
    provider: t.provider.name,
    region: t.region,
    layerName,
    version: v.version,
    arn: v.arn ?? null,
    status: "kept",
    state: v.state ?? null,
    createdAt: v.createdAt ?? null,
    reason: null,
    usedBy: [],
    requestId: v.requestId ?? null,
  };
}

export function failedVersion(t: Target, layerName: string, version: number | null, err: unknown, base?: VersionActionRecord): VersionActionRecord {
  const known = (err as { version?: number }).version;
  return { ...(base ?? versionRecord(t, layerName, { version: known ?? version })), status: "failed", ...failedTarget(t, err) };
}

/** Deletes one version within the target's budget and says what happened. */
export async function deleteOne(client: ProviderClient, t: Target, base: VersionActionRecord, budget: Budget, opts: Partial<DeleteOptions> = {}): Promise<VersionActionRecord> {
  const version = base.version!;
  try {
    const out = await client.deleteLayerVersion(base.layerName, version, {
      wait: true,
      waitTimeoutMs: budget.remaining(),
      pollIntervalMs: DELETE_POLL_INTERVAL_MS,
      ...opts,
    });
    if (out.outcome === "absent") return { ...base, status: "not-found", state: null, reason: "no such version", requestId: out.requestId };
    // A synchronous delete leaves no lifecycle state to report (the listed `Active` is no longer true).
    return { ...base, status: "deleted", state: out.state, requestId: out.requestId };
  } catch (err) {
    return failedVersion(t, base.layerName, version, err, base);
  }
}
