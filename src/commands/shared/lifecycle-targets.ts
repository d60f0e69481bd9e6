// What the lifecycle commands (layers, delete, prune, share) share: running on every target, the
// delete call with the target's budget, and records for a target or a version that failed.
import type { DeleteOptions, LayerVersionRecord, ProviderClient, RetryPolicy } from "../../providers/types.js";
import { defaultRetryPolicy } from "../../providers/retry.js";
import type { VersionActionRecord } from "./lifecycle-records.js";
import { errorFields } from "./records.js";
import type { CommandContext } from "./context.js";
import { Traffic } from "../../providers/traffic.js";
import { connectTarget } from "./run-targets.js";
import { resolveTargets, type Target, type TargetOptions } from "./targets.js";

/** Asynchronous deletes (Tencent) are polled at 2 calls/s per target, far below the 20/s limit. */
export const DELETE_POLL_INTERVAL_MS = 500;

export function freshPolicy(): RetryPolicy {
  return { ...defaultRetryPolicy };
}

export interface ConnectedTargets {
  targets: Target[];
  clients: ProviderClient[];
  /** Each target's own retry policy: a command starts the target's clock by setting its deadline. */
  policies: RetryPolicy[];
}

/**
 * Resolves and connects every target (local work: a mistake there is a usage error before any
 * call), says where calls go when that is the embedded emulator, runs `body`, and stops the
 * embedded emulator however `body` ends.
 */
export async function withTargets<R>(input: TargetOptions, ctx: CommandContext, timeoutMs: number, body: (c: ConnectedTargets) => Promise<R>): Promise<R> {
  const { targets, close, note } = await resolveTargets(input, { env: ctx.env, log: ctx.log });
  try {
    const policies = targets.map(freshPolicy);
    // One Traffic for the run: deletes, lists and shares are paced per provider and region like
    // publish's calls (a prune of 40 versions in one region otherwise sets off throttling).
    const traffic = new Traffic();
    const clients = await Promise.all(targets.map((t, i) => connectTarget(t, { timeoutMs, log: ctx.log, retry: policies[i], traffic })));
    if (note) ctx.log.info(note);
    return await body({ targets, clients, policies });
  } finally {
    await close();
  }
}

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
  const error = errorFields(err);
  const known = (err as { version?: number }).version;
  return { ...(base ?? versionRecord(t, layerName, { version: known ?? version })), status: "failed", requestId: error.requestId, error };
}

/** Deletes one version within the target's deadline and says what happened. */
export async function deleteOne(client: ProviderClient, t: Target, base: VersionActionRecord, deadline: number, opts: Partial<DeleteOptions> = {}): Promise<VersionActionRecord> {
  const version = base.version!;
  try {
    const out = await client.deleteLayerVersion(base.layerName, version, {
      wait: true,
      waitTimeoutMs: Math.max(0, deadline - Date.now()),
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
