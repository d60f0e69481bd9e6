// SCF's side of the layer lifecycle: ListLayers, the asynchronous DeleteLayerVersion (Deleting ->
// gone | DeleteFailed), and the in-use scan over every namespace (ListNamespaces, ListFunctions,
// ListVersionByFunction, GetFunction with its Layers). SCF has no layer sharing API.
import { CloudError } from "../../errors.js";
import { collectPages, mapLimit, nextOffset } from "../paging.js";
import type { ConnectOptions, DeleteOptions, DeleteOutcome, LayerReference, LayerVersionRecord } from "../types.js";
import { layerRecord, type LayerVersionFields } from "./records.js";
import type { ScfClient } from "./sdk.js";

export type LifecycleAction = "ListLayers" | "DeleteLayerVersion" | "GetLayerVersion" | "ListNamespaces" | "ListFunctions" | "ListVersionByFunction" | "GetFunction";

export interface TencentLifecycleDeps {
  opts: ConnectOptions;
  /** One API call through the client's retries and per-attempt timeout. */
  request<A extends LifecycleAction>(action: A, req: Parameters<ScfClient[A]>[0]): Promise<Awaited<ReturnType<ScfClient[A]>>>;
  sleep(ms: number): Promise<void>;
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
 * DeleteFailed). A `Deleted` status read back counts as gone too.
 */
export async function deleteLayerVersion(d: TencentLifecycleDeps, layerName: string, version: number, opts: DeleteOptions): Promise<DeleteOutcome> {
  let requestId: string | null;
  try {
    const res = await d.request("DeleteLayerVersion", { LayerName: layerName, LayerVersion: version });
    requestId = res.RequestId ?? null;
  } catch (err) {
    if (err instanceof CloudError && NOT_FOUND.has(err.code)) return { outcome: "absent", state: null, requestId: err.requestId ?? null };
    throw err;
  }
  if (!opts.wait) return { outcome: "deleted", state: "Deleting", requestId };
  const deadline = Date.now() + opts.waitTimeoutMs;
  for (;;) {
    let status: string | undefined;
    try {
      const got = await d.request("GetLayerVersion", { LayerName: layerName, LayerVersion: version });
      status = got.Status;
    } catch (err) {
      if (err instanceof CloudError && NOT_FOUND.has(err.code)) return { outcome: "deleted", state: "Deleted", requestId };
      throw err;
    }
    if (status === "Deleted") return { outcome: "deleted", state: "Deleted", requestId };
    if (status === "DeleteFailed") {
      throw new CloudError(`layer ${layerName} version ${version} ended in state DeleteFailed`, {
        code: "DeleteFailed",
        provider: "tencent",
        requestId: requestId ?? undefined,
        version,
        hint: `the version still exists; delete it again: layerctl delete ${layerName} ${version} -p tencent -r ${d.opts.region}`,
      });
    }
    if (Date.now() + opts.pollIntervalMs > deadline) {
      throw new CloudError(`layer ${layerName} version ${version} is still ${status ?? "Deleting"} after ${opts.waitTimeoutMs} ms`, {
        code: "DeleteTimeout",
        provider: "tencent",
        requestId: requestId ?? undefined,
        version,
        hint: `the delete was accepted and may still finish: check with layerctl versions ${layerName} -p tencent -r ${d.opts.region}`,
      });
    }
    await d.sleep(opts.pollIntervalMs);
  }
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
