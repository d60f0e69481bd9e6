// FC 3.0's side of the layer lifecycle: ListLayers, DeleteLayerVersion, the in-use scan
// (ListFunctions with each function's layers, ListFunctionVersions, GetFunction per version) and
// PutLayerACL, which makes the whole layer public or private (FC has no per-version or
// per-account grant).
import { CloudError } from "../../errors.js";
import { collectPages, mapLimit } from "../paging.js";
import { outcomeUnknown } from "../retry.js";
import type { ConnectOptions, DeleteOptions, DeleteOutcome, LayerReference, LayerVersionRecord, ShareOutcome, ShareRequest } from "../types.js";
import { layerRecord, type FcLayer } from "./records.js";
import type { AliyunSdk, FcClientInstance } from "./sdk.js";
import type { AliyunAction } from "./answers.js";
import { confirmedLayers, type FcFunction } from "./functions.js";

interface SdkResponse<T> {
  headers?: Record<string, string>;
  body?: T;
}

/** The SDK's per-call options, set by the client's call() to the attempt's timeout. */
type RuntimeOptions = Parameters<FcClientInstance["getLayerVersionWithOptions"]>[3];

export interface AliyunLifecycleDeps {
  sdk: AliyunSdk;
  client: FcClientInstance;
  opts: ConnectOptions;
  /** One API call through the client's retries; `fn` passes the runtime options on to the SDK. */
  call<T>(action: AliyunAction, fn: (runtime: RuntimeOptions) => Promise<SdkResponse<T>>, opts?: { creates?: boolean }): Promise<SdkResponse<T>>;
  requestIdOf(resp: SdkResponse<unknown>): string | null;
  /** The same calls under a lookup's own budget (after an unknown outcome the target's may be spent). */
  lookup(): AliyunLifecycleDeps;
}

/** ListLayers, ListFunctions and ListFunctionVersions take at most 100 per page. */
const PAGE = 100;
const SCAN_CONCURRENCY = 4;
const NOT_FOUND = new Set(["LayerVersionNotFound", "LayerNotFound"]);
const LAYER_VERSION_ARN = /^acs:fc:([a-z0-9-]+):(\d+):layers\/([^/]+)\/versions\/(\d+)$/;

export async function listLayers(d: AliyunLifecycleDeps): Promise<LayerVersionRecord[]> {
  const m = d.sdk.models;
  return collectPages("aliyun ListLayers", d.opts.log, async (nextToken) => {
    const resp = await d.call("ListLayers", (rt) => d.client.listLayersWithOptions(new m.ListLayersRequest({ limit: PAGE, nextToken }), {}, rt));
    const body = (resp.body ?? {}) as { layers?: FcLayer[]; nextToken?: string };
    const requestId = d.requestIdOf(resp);
    return { items: (body.layers ?? []).map((l) => layerRecord(d.opts.region, l.layerName ?? "", l, requestId, null)), next: body.nextToken || undefined };
  });
}

/**
 * FC answers LayerVersionNotFound for a version that is not there, so a plain delete tells
 * `absent` from `deleted`; but after a lost answer, "not there" may be this delete's work. A
 * version not just listed is therefore read first, and the delete is never repeated blindly: after
 * an unknown outcome the version is read, and gone means deleted by this run.
 */
export async function deleteLayerVersion(d: AliyunLifecycleDeps, layerName: string, version: number, opts: DeleteOptions): Promise<DeleteOutcome> {
  const read = async (on = d): Promise<boolean> => {
    try {
      await on.call("GetLayerVersion", (rt) => on.client.getLayerVersionWithOptions(layerName, String(version), {}, rt));
      return true;
    } catch (err) {
      if (err instanceof CloudError && NOT_FOUND.has(err.code)) return false;
      throw err;
    }
  };
  if (!opts.listed && !(await read())) return { outcome: "absent", state: null, requestId: null };
  for (let attempt = 1; ; attempt++) {
    try {
      const resp = await d.call("DeleteLayerVersion", (rt) => d.client.deleteLayerVersionWithOptions(layerName, String(version), {}, rt), { creates: true });
      return { outcome: "deleted", state: null, requestId: d.requestIdOf(resp) };
    } catch (err) {
      if (err instanceof CloudError && NOT_FOUND.has(err.code)) return { outcome: "absent", state: null, requestId: err.requestId ?? null };
      if (!outcomeUnknown(err)) throw err;
      let there: boolean;
      try {
        there = await read(d.lookup());
      } catch (lookErr) {
        const why = lookErr instanceof CloudError ? lookErr.code : String(lookErr);
        throw err.with({
          hint: `the delete may have been carried out, and reading the version failed too (${why}): check with \`layerctl versions ${layerName} -p aliyun -r ${d.opts.region}\``,
        });
      }
      if (!there) return { outcome: "deleted", state: null, requestId: null };
      // Still there: the delete had no effect, and deleting it is still what was asked.
      if (attempt >= 2) throw err;
    }
  }
}

/**
 * Each function's current configuration (ListFunctions carries `layers`) and each published
 * version (ListFunctionVersions, then GetFunction with that qualifier: versions carry no layers in
 * the list). Aliases point at published versions, which are read already. A configuration
 * without its `layers` is read once more before it counts as using none (./functions.ts).
 */
export async function layerReferences(d: AliyunLifecycleDeps, layerName: string): Promise<LayerReference[]> {
  const m = d.sdk.models;
  const functions = await collectPages("aliyun ListFunctions", d.opts.log, async (nextToken) => {
    const resp = await d.call("ListFunctions", (rt) => d.client.listFunctionsWithOptions(new m.ListFunctionsRequest({ limit: PAGE, nextToken }), {}, rt));
    const body = (resp.body ?? {}) as { functions?: FcFunction[]; nextToken?: string };
    return { items: body.functions ?? [], next: body.nextToken || undefined };
  });
  const refsOf = (fn: FcFunction, name: string, qualifier: string): LayerReference[] =>
    (fn.layers ?? []).flatMap((l) => {
      const match = LAYER_VERSION_ARN.exec(l.arn ?? "");
      if (!match || match[1] !== d.opts.region || match[3] !== layerName) return [];
      return [{ version: Number(match[4]), arn: l.arn!, functionName: name, namespace: null, qualifier }];
    });
  const getFunction = async (name: string, qualifier?: string): Promise<{ body: FcFunction }> => {
    const resp = await d.call("GetFunction", (rt) => d.client.getFunctionWithOptions(name, new m.GetFunctionRequest({ qualifier }), {}, rt));
    return { body: (resp.body ?? {}) as FcFunction };
  };
  const perFunction = await mapLimit(functions, SCAN_CONCURRENCY, async (fn) => {
    const name = fn.functionName ?? "";
    if (!name) return [];
    const latest = await confirmedLayers({ body: fn }, () => getFunction(name));
    const refs = refsOf(latest.body, name, "LATEST");
    const versions = await collectPages(`aliyun ListFunctionVersions ${name}`, d.opts.log, async (nextToken) => {
      const resp = await d.call("ListFunctionVersions", (rt) =>
        d.client.listFunctionVersionsWithOptions(name, new m.ListFunctionVersionsRequest({ limit: PAGE, nextToken }), {}, rt),
      );
      const body = (resp.body ?? {}) as { versions?: Array<{ versionId?: string }>; nextToken?: string };
      return { items: (body.versions ?? []).map((v) => v.versionId ?? "").filter(Boolean), next: body.nextToken || undefined };
    });
    for (const versionId of versions) {
      const got = await confirmedLayers(await getFunction(name, versionId), () => getFunction(name, versionId));
      refs.push(...refsOf(got.body, name, versionId));
    }
    return refs;
  });
  return perFunction.flat();
}

/**
 * PutLayerACL `acl` "1" public / "0" private, for the whole layer (API reference: PutLayerACL;
 * the older `public` parameter is deprecated). The reply has no body, so whether it changed
 * anything is unknown.
 */
export async function shareLayer(d: AliyunLifecycleDeps, req: ShareRequest): Promise<ShareOutcome> {
  const m = d.sdk.models;
  const resp = await d.call("PutLayerACL", (rt) => d.client.putLayerACLWithOptions(req.layerName, new m.PutLayerACLRequest({ acl: req.revoke ? "0" : "1" }), {}, rt));
  return { statementId: null, changed: null, requestId: d.requestIdOf(resp) };
}
