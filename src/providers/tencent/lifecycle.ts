// SCF's side of the layer lifecycle: ListLayers, the asynchronous DeleteLayerVersion (Deleting ->
// gone | DeleteFailed), and the in-use scan over every namespace (ListNamespaces, ListFunctions,
// ListVersionByFunction, GetFunction with its Layers). SCF has no layer sharing API.
import { CloudError } from "../../errors.js";
import { collectPages, mapLimit, nextOffset } from "../paging.js";
import { outcomeUnknown } from "../retry.js";
import type { ConnectOptions, DeleteOptions, DeleteOutcome, LayerReference, LayerVersionRecord } from "../types.js";
import { layerRecord, type LayerVersionFields } from "./records.js";
import type { ScfClient } from "./sdk.js";

export type LifecycleAction = "ListLayers" | "DeleteLayerVersion" | "GetLayerVersion" | "ListNamespaces" | "ListFunctions" | "ListVersionByFunction" | "GetFunction";

export interface TencentLifecycleDeps {
  opts: ConnectOptions;
  /** One API call through the client's retries and per-attempt timeout. */
  request<A extends LifecycleAction>(action: A, req: Parameters<ScfClient[A]>[0], opts?: { creates?: boolean }): Promise<Awaited<ReturnType<ScfClient[A]>>>;
  sleep(ms: number): Promise<void>;
  /** The same calls under a lookup's own budget (after an unknown outcome the target's may be spent). */
  lookup(): TencentLifecycleDeps;
}

/** ListLayers/ListFunctions/ListNamespaces default to 10-20 per page; 20 stays within every documented limit. */
const PAGE = 20;
const SCAN_CONCURRENCY = 4;
/** What SCF answers for a version (or a layer) that is not there. */
const NOT_FOUND = new Set(["ResourceNotFound.LayerVersion", "ResourceNotFound.Layer"]);

export async function listLayers(d: TencentLifecycleDeps): Promise<LayerVersionRecord[]> {
  return collectPages("tencent ListLayers", d.opts.log, async (token) => {
    const offset = Number(token ?? 0);
    const res = await d.request("ListLayers", { Offset: offset, Limit: PAGE });
    const layers = res.Layers ?? [];
    return {
      items: layers.map((l) => ({ ...layerRecord(d.opts.region, l.LayerName ?? "", l as LayerVersionFields), requestId: res.RequestId ?? null })),
      next: nextOffset(offset, layers.length, res.TotalCount ?? 0, "tencent ListLayers"),
    };
  });
}

/**
 * SCF deletes asynchronously: the version shows `Deleting`, then is gone (GetLayerVersion answers
 * ResourceNotFound.LayerVersion) or shows `DeleteFailed` (release-apis.md: Deleting -> Deleted /
 * DeleteFailed). A `Deleted` status read back counts as gone too. A version not just listed is
 * read first, so that "gone" after a lost answer means this delete, not a version never there.
 */
export async function deleteLayerVersion(d: TencentLifecycleDeps, layerName: string, version: number, opts: DeleteOptions): Promise<DeleteOutcome> {
  const again = `layerctl delete ${layerName} ${version} -p tencent -r ${d.opts.region}`;
  const check = `layerctl versions ${layerName} -p tencent -r ${d.opts.region}`;
  if (!opts.listed) {
    const before = await statusOf(d, layerName, version);
    if (before === null) return { outcome: "absent", state: null, requestId: null };
  }
  let requestId: string | null = null;
  for (let attempt = 1; ; attempt++) {
    try {
      // Not repeated blindly: after an unknown outcome the version is read to learn what happened.
      const res = await d.request("DeleteLayerVersion", { LayerName: layerName, LayerVersion: version }, { creates: true });
      requestId = res.RequestId ?? null;
      break;
    } catch (err) {
      if (err instanceof CloudError && NOT_FOUND.has(err.code)) return { outcome: "absent", state: null, requestId: err.requestId ?? null };
      if (!outcomeUnknown(err)) throw err;
      let status: string | null;
      try {
        status = await statusOf(d.lookup(), layerName, version);
      } catch (lookErr) {
        throw err.with({ hint: `the delete may have been accepted, and reading the version failed too (${codeOf(lookErr)}): check with \`${check}\`` });
      }
      // Gone, or on its way: the delete was accepted.
      if (status === null || status === "Deleted") return { outcome: "deleted", state: "Deleted", requestId };
      if (status === "Deleting" || status === "DeleteFailed") break;
      // Still there as it was: the delete had no effect, and deleting it is still what was asked.
      if (attempt >= 2) throw err.with({ hint: `version ${version} is still ${status}: delete it again with \`${again}\`` });
    }
  }
  if (!opts.wait) return { outcome: "deleted", state: "Deleting", requestId };
  const deadline = Date.now() + opts.waitTimeoutMs;
  for (;;) {
    let status: string | null;
    try {
      status = await statusOf(d, layerName, version);
    } catch (err) {
      // The delete was accepted; only the wait for its end could not be read.
      if (err instanceof CloudError) throw err.with({ hint: `the delete was accepted and may have finished: check with \`${check}\`` });
      throw err;
    }
    if (status === null || status === "Deleted") return { outcome: "deleted", state: "Deleted", requestId };
    if (status === "DeleteFailed") {
      throw new CloudError(`layer ${layerName} version ${version} ended in state DeleteFailed`, {
        code: "DeleteFailed",
        provider: "tencent",
        requestId: requestId ?? undefined,
        version,
        hint: `the version still exists; delete it again: ${again}`,
      });
    }
    if (Date.now() + opts.pollIntervalMs > deadline) {
      throw new CloudError(`layer ${layerName} version ${version} is still ${status} after ${opts.waitTimeoutMs} ms`, {
        code: "DeleteTimeout",
        provider: "tencent",
        requestId: requestId ?? undefined,
        version,
        hint: `the delete was accepted and may still finish: check with ${check}`,
      });
    }
    await d.sleep(opts.pollIntervalMs);
  }
}

/** The version's Status, or null when it is not there. */
async function statusOf(d: TencentLifecycleDeps, layerName: string, version: number): Promise<string | null> {
  try {
    return (await d.request("GetLayerVersion", { LayerName: layerName, LayerVersion: version })).Status ?? null;
  } catch (err) {
    if (err instanceof CloudError && NOT_FOUND.has(err.code)) return null;
    throw err;
  }
}

function codeOf(err: unknown): string {
  return err instanceof CloudError ? err.code : err instanceof Error ? err.message : String(err);
}

interface LayerLink {
  LayerName?: string;
  LayerVersion?: number;
}

/**
 * Every namespace, every function in it, its current configuration ($LATEST) and each published
 * version, each read with GetFunction (the only read that carries Layers). Aliases point at
 * published versions, which are read already.
 */
export async function layerReferences(d: TencentLifecycleDeps, layerName: string): Promise<LayerReference[]> {
  const namespaces = await collectPages("tencent ListNamespaces", d.opts.log, async (token) => {
    const offset = Number(token ?? 0);
    const res = await d.request("ListNamespaces", { Offset: offset, Limit: PAGE });
    const items = (res.Namespaces ?? []).map((n) => n.Name ?? "").filter(Boolean);
    return { items, next: nextOffset(offset, res.Namespaces?.length ?? 0, res.TotalCount ?? 0, "tencent ListNamespaces") };
  });
  const functions = (
    await mapLimit(namespaces, SCAN_CONCURRENCY, (namespace) =>
      collectPages(`tencent ListFunctions ${namespace}`, d.opts.log, async (token) => {
        const offset = Number(token ?? 0);
        const res = await d.request("ListFunctions", { Namespace: namespace, Offset: offset, Limit: PAGE });
        const items = (res.Functions ?? []).map((f) => ({ namespace, name: f.FunctionName ?? "" })).filter((f) => f.name);
        return { items, next: nextOffset(offset, res.Functions?.length ?? 0, res.TotalCount ?? 0, `tencent ListFunctions ${namespace}`) };
      }),
    )
  ).flat();

  const perFunction = await mapLimit(functions, SCAN_CONCURRENCY, async ({ namespace, name }) => {
    const versions = await collectPages(`tencent ListVersionByFunction ${namespace}/${name}`, d.opts.log, async (token) => {
      const offset = Number(token ?? 0);
      const res = await d.request("ListVersionByFunction", { FunctionName: name, Namespace: namespace, Offset: offset, Limit: PAGE });
      const list = res.Versions?.map((v) => v.Version) ?? res.FunctionVersion ?? [];
      return { items: list, next: nextOffset(offset, list.length, res.TotalCount ?? 0, `tencent ListVersionByFunction ${namespace}/${name}`) };
    });
    const qualifiers = ["$LATEST", ...new Set(versions.filter((v) => v && v !== "$LATEST"))];
    const refs: LayerReference[] = [];
    for (const qualifier of qualifiers) {
      const fn = await d.request("GetFunction", { FunctionName: name, Namespace: namespace, Qualifier: qualifier });
      for (const l of (fn.Layers ?? []) as LayerLink[]) {
        if (l.LayerName === layerName && typeof l.LayerVersion === "number") {
          refs.push({ version: l.LayerVersion, arn: null, functionName: name, namespace, qualifier });
        }
      }
    }
    return refs;
  });
  return perFunction.flat();
}
