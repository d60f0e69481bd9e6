// Attaching layers to an FC 3.0 function: GetFunction (layers[].arn, state, lastUpdateStatus),
// UpdateFunction with body.layers (the whole list of version ARNs, in order), a wait while state
// is Pending or lastUpdateStatus InProgress (whether zip functions ever report InProgress is not
// documented: we wait the same way for every function), then UpdateAlias / CreateAlias.
import { CloudError } from "../../errors.js";
import { invalid, layersFromArns, newestFirst, waitForUpdate, type UpdateProgress } from "../function-update.js";
import { collectPages } from "../paging.js";
import type { Logger } from "../../output/log.js";

/** ListFunctionVersions takes at most 100 per page. */
const PAGE = 100;
import type { AttachedLayer, FunctionRef, FunctionUpdater, UpdateWaitOptions } from "../types.js";
import type { AliyunSdk, FcClientInstance } from "./sdk.js";

interface SdkResponse<T> {
  headers?: Record<string, string>;
  body?: T;
}
type Call = <T>(action: string, fn: () => Promise<SdkResponse<T>>, opts?: { creates?: boolean }) => Promise<SdkResponse<T>>;

interface FcFunction {
  layers?: Array<{ arn?: string }>;
  state?: string;
  stateReason?: string;
  lastUpdateStatus?: string;
  lastUpdateStatusReason?: string;
}

export class AliyunFunctions implements FunctionUpdater {
  constructor(
    private readonly sdk: AliyunSdk,
    private readonly client: FcClientInstance,
    private readonly call: Call,
    private readonly requestIdOf: (resp: SdkResponse<unknown>) => string | null,
    private readonly log: Logger,
  ) {}

  async getLayers(fn: FunctionRef, opts: UpdateWaitOptions): Promise<AttachedLayer[]> {
    const { body, requestId } = await this.settled(fn, opts);
    return layersFromArns(
      (body.layers ?? []).map((l) => l.arn),
      { provider: "aliyun", functionName: fn.functionName, requestId: requestId ?? undefined },
    );
  }

  async setLayers(fn: FunctionRef, layers: AttachedLayer[], opts: UpdateWaitOptions): Promise<{ requestId: string | null }> {
    const m = this.sdk.models;
    const request = new m.UpdateFunctionRequest({ body: new m.UpdateFunctionInput({ layers: layers.map((l) => l.arn!) }) });
    const resp = await this.call("UpdateFunction", () => this.client.updateFunction(fn.functionName, request));
    await this.settled(fn, opts);
    return { requestId: this.requestIdOf(resp) };
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

  async findLayers(fn: FunctionRef, opts: UpdateWaitOptions): Promise<AttachedLayer[] | null> {
    try {
      return await this.getLayers(fn, opts);
    } catch (err) {
      if (err instanceof CloudError && err.code === "FunctionNotFound") return null;
      throw err;
    }
  }

  async aliasVersion(fn: FunctionRef, alias: string): Promise<string | null> {
    try {
      const resp = await this.call("GetAlias", () => this.client.getAlias(fn.functionName, alias));
      const versionId = (resp.body as { versionId?: string } | undefined)?.versionId;
      if (!versionId) throw invalid("GetAlias", "versionId", this.requestIdOf(resp), "aliyun");
      return versionId;
    } catch (err) {
      if (err instanceof CloudError && err.code === "AliasNotFound") return null;
      throw err;
    }
  }

  async listVersions(fn: FunctionRef): Promise<string[]> {
    const m = this.sdk.models;
    const versions = await collectPages(`aliyun ListFunctionVersions ${fn.functionName}`, this.log, async (nextToken) => {
      const resp = await this.call("ListFunctionVersions", () => this.client.listFunctionVersions(fn.functionName, new m.ListFunctionVersionsRequest({ limit: PAGE, nextToken })));
      const body = (resp.body ?? {}) as { versions?: Array<{ versionId?: string }>; nextToken?: string };
      const items = (body.versions ?? []).map((v) => v.versionId);
      // Decisions (which version to keep, or go back to) rest on this list: every item must say which it is.
      if (items.some((v) => !v)) throw invalid("ListFunctionVersions", "versions[].versionId", this.requestIdOf(resp), "aliyun");
      return { items: items as string[], next: body.nextToken || undefined };
    });
    return newestFirst(versions);
  }

  async versionLayers(fn: FunctionRef, version: string): Promise<AttachedLayer[]> {
    const m = this.sdk.models;
    const resp = await this.call("GetFunction", () => this.client.getFunction(fn.functionName, new m.GetFunctionRequest({ qualifier: version })));
    const body = (resp.body ?? {}) as FcFunction;
    return layersFromArns(
      (body.layers ?? []).map((l) => l.arn),
      { provider: "aliyun", functionName: `${fn.functionName}:${version}`, requestId: this.requestIdOf(resp) ?? undefined },
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
