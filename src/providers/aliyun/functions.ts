// Attaching layers to an FC 3.0 function: GetFunction (layers[].arn, state, lastUpdateStatus),
// UpdateFunction with body.layers (the whole list of version ARNs, in order), a wait while state
// is Pending or lastUpdateStatus InProgress (whether zip functions ever report InProgress is not
// documented: we wait the same way for every function), then UpdateAlias / CreateAlias.
// FC has no revision to condition an update on: the list is read back once the update has
// settled, and the caller compares it with what it wrote.
import { CloudError } from "../../errors.js";
import { shellWord } from "../../output/shell-word.js";
import { acceptedButUnsettled, concurrentUpdate, layersIfFound, layersFromArns, newestFirstItems, waitForUpdate, type UpdateProgress } from "../function-update.js";
import { collectPages } from "../paging.js";
import type { AttachedLayer, ConnectOptions, FunctionLayers, FunctionRef, FunctionUpdater, FunctionVersionItem, UpdateWaitOptions } from "../types.js";
import type { AliyunSdk, FcClientInstance } from "./sdk.js";
import type { AliyunAction } from "./answers.js";
import { endpointUrl } from "../endpoint.js";

interface SdkResponse<T> {
  headers?: Record<string, string>;
  body?: T;
}
type Call = <T>(action: AliyunAction, fn: () => Promise<SdkResponse<T>>, opts?: { creates?: boolean }) => Promise<SdkResponse<T>>;

export interface FcFunction {
  functionName?: string;
  layers?: Array<{ arn?: string }> | null;
  state?: string;
  stateReason?: string;
  lastUpdateStatus?: string;
  lastUpdateStatusReason?: string;
}

/** FC refuses an update while another runs (409; the code is not documented: ours, unconfirmed). */
const BUSY_CODES = new Set(["ConcurrentUpdateError"]);

/**
 * The references are silent on whether FC sends `layers` for a function without layers, so an
 * answer without the list cannot tell "none" from "lost" by itself: it is read once more, and
 * only a second answer without it (or with `[]`) means none. A list is never written or a version
 * deleted on the strength of one answer that may have lost it.
 */
export async function confirmedLayers<R extends { body: FcFunction }>(first: R, reread: () => Promise<R>): Promise<R> {
  if (Array.isArray(first.body.layers)) return first;
  return reread();
}

export class AliyunFunctions implements FunctionUpdater {
  constructor(
    private readonly sdk: AliyunSdk,
    private readonly client: FcClientInstance,
    private readonly opts: Pick<ConnectOptions, "region" | "endpoint" | "log">,
    private readonly call: Call,
    private readonly requestIdOf: (resp: SdkResponse<unknown>) => string | null,
  ) {}

  async getLayers(fn: FunctionRef, opts: UpdateWaitOptions): Promise<FunctionLayers> {
    return { layers: await this.wholeLayers(fn, opts), revision: null };
  }

  /**
   * The function's list once no update is in progress. Two answers without it: the function's
   * entry in ListFunctions, a second source, says whether it has layers (a list lost from every
   * GetFunction is not then read as none).
   */
  private async wholeLayers(fn: FunctionRef, opts: UpdateWaitOptions): Promise<AttachedLayer[]> {
    const got = await confirmedLayers(await this.settled(fn, opts), () => this.settled(fn, opts));
    if (Array.isArray(got.body.layers)) return this.layersOf(fn, got);
    const listed = await this.listedLayers(fn);
    return this.layersOf(fn, listed ? { body: { layers: listed }, requestId: got.requestId } : got);
  }

  /** The function's `layers` as ListFunctions gives them; null when its entry has none either. */
  private async listedLayers(fn: FunctionRef): Promise<Array<{ arn?: string }> | null> {
    const m = this.sdk.models;
    const all = await collectPages(`aliyun ListFunctions ${fn.functionName}`, this.opts.log, async (nextToken) => {
      const resp = await this.call("ListFunctions", () => this.client.listFunctions(new m.ListFunctionsRequest({ prefix: fn.functionName, limit: 100, nextToken })));
      const body = (resp.body ?? {}) as { functions?: FcFunction[]; nextToken?: string };
      return { items: body.functions ?? [], next: body.nextToken || undefined };
    });
    const entry = all.find((f) => f.functionName === fn.functionName);
    return Array.isArray(entry?.layers) ? entry.layers : null;
  }

  async setLayers(fn: FunctionRef, layers: AttachedLayer[], opts: UpdateWaitOptions): Promise<{ requestId: string | null; layers: AttachedLayer[] }> {
    const m = this.sdk.models;
    const request = new m.UpdateFunctionRequest({ body: new m.UpdateFunctionInput({ layers: layers.map((l) => l.arn!) }) });
    let requestId: string | null;
    try {
      // Not repeated after an unknown outcome: the caller reads the function and decides.
      const resp = await this.call("UpdateFunction", () => this.client.updateFunction(fn.functionName, request), { creates: true });
      requestId = this.requestIdOf(resp);
    } catch (err) {
      if (err instanceof CloudError && BUSY_CODES.has(err.code)) throw concurrentUpdate("aliyun", fn.functionName, `${err.code}: ${err.message}`, err.requestId);
      throw err;
    }
    let after: AttachedLayer[];
    try {
      after = await this.wholeLayers(fn, opts);
    } catch (err) {
      throw acceptedButUnsettled(err, fn.functionName);
    }
    return { requestId, layers: after };
  }

  /** FC 3.0 publishes function versions synchronously (the Version structure has no state): nothing to wait for. */
  async pointAlias(fn: FunctionRef, alias: string, version: string, _opts: UpdateWaitOptions): Promise<{ created: boolean; requestId: string | null }> {
    const m = this.sdk.models;
    try {
      const request = new m.UpdateAliasRequest({ body: new m.UpdateAliasInput({ versionId: version }) });
      const resp = await this.call("UpdateAlias", () => this.client.updateAlias(fn.functionName, alias, request));
      return { created: false, requestId: this.requestIdOf(resp) };
    } catch (err) {
      if (!(err instanceof CloudError) || err.code !== "AliasNotFound") throw err;
    }
    const request = new m.CreateAliasRequest({ body: new m.CreateAliasInput({ aliasName: alias, versionId: version }) });
    const resp = await this.call("CreateAlias", () => this.client.createAlias(fn.functionName, request), { creates: true });
    return { created: true, requestId: this.requestIdOf(resp) };
  }

  async aliasVersion(fn: FunctionRef, alias: string): Promise<string | null> {
    try {
      const resp = await this.call("GetAlias", () => this.client.getAlias(fn.functionName, alias));
      return (resp.body as { versionId?: string } | undefined)?.versionId ?? null;
    } catch (err) {
      if (err instanceof CloudError && err.code === "AliasNotFound") return null;
      throw err;
    }
  }

  findLayers(fn: FunctionRef, opts: UpdateWaitOptions): Promise<AttachedLayer[] | null> {
    return layersIfFound(() => this.getLayers(fn, opts), new Set(["FunctionNotFound"]));
  }

  async listVersions(fn: FunctionRef): Promise<FunctionVersionItem[]> {
    const m = this.sdk.models;
    const all = await collectPages(`aliyun ListFunctionVersions ${fn.functionName}`, this.opts.log, async (nextToken) => {
      const resp = await this.call("ListFunctionVersions", () => this.client.listFunctionVersions(fn.functionName, new m.ListFunctionVersionsRequest({ limit: 100, nextToken })));
      const body = (resp.body ?? {}) as { versions?: Array<{ versionId?: string; description?: string }>; nextToken?: string };
      return { items: (body.versions ?? []).map((v) => ({ version: v.versionId ?? "", description: v.description ?? null })), next: body.nextToken || undefined };
    });
    return newestFirstItems(all);
  }

  async versionLayers(fn: FunctionRef, version: string): Promise<AttachedLayer[]> {
    const m = this.sdk.models;
    const read = async () => {
      const resp = await this.call("GetFunction", () => this.client.getFunction(fn.functionName, new m.GetFunctionRequest({ qualifier: version })));
      return { body: (resp.body ?? {}) as FcFunction, requestId: this.requestIdOf(resp) };
    };
    const got = await confirmedLayers(await read(), read);
    return layersFromArns(
      (got.body.layers ?? []).map((l) => l.arn),
      { provider: "aliyun", functionName: `${fn.functionName}:${version}`, requestId: got.requestId ?? undefined },
    );
  }

  versionsCommand(fn: FunctionRef): string {
    const endpoint = this.opts.endpoint ? ` --endpoint ${shellWord(endpointUrl(this.opts.endpoint, "the Function Compute endpoint", "aliyun").host)}` : "";
    return `aliyun fc GET /2023-03-30/functions/${shellWord(fn.functionName)}/versions --region ${shellWord(this.opts.region)}${endpoint}`;
  }

  private layersOf(fn: FunctionRef, got: { body: FcFunction; requestId: string | null }): AttachedLayer[] {
    return layersFromArns(
      (got.body.layers ?? []).map((l) => l.arn),
      { provider: "aliyun", functionName: fn.functionName, requestId: got.requestId ?? undefined },
    );
  }

  private settled(fn: FunctionRef, opts: UpdateWaitOptions): Promise<{ body: FcFunction; requestId: string | null }> {
    const m = this.sdk.models;
    return waitForUpdate(
      {
        provider: "aliyun",
        functionName: fn.functionName,
        read: async () => {
          const resp = await this.call("GetFunction", () => this.client.getFunction(fn.functionName, new m.GetFunctionRequest({})));
          return { body: (resp.body ?? {}) as FcFunction, requestId: this.requestIdOf(resp) };
        },
        progress: ({ body }) => progressOf(body),
        requestId: (r) => r.requestId ?? undefined,
      },
      opts,
    );
  }
}

function progressOf(f: FcFunction): UpdateProgress {
  if (f.lastUpdateStatus === "Failed") return { failed: f.lastUpdateStatusReason || "lastUpdateStatus Failed" };
  if (f.state === "Failed") return { failed: f.stateReason || "state Failed" };
  if (f.state === "Pending" || f.lastUpdateStatus === "InProgress") return { done: false };
  return { done: true };
}
