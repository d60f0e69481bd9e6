// Attaching layers to an SCF function: GetFunction (Layers, Status), UpdateFunctionConfiguration
// with Layers [{LayerName, LayerVersion}] (the whole list, in order), a wait while Status is
// Creating|Updating|Publishing|Deleting, then UpdateAlias (CreateAlias when it does not exist).
// PublishVersion is asynchronous: before an alias points at a new version, GetFunction with
// Qualifier = that version is polled until its Status is Active, as Tencent's own
// tencent-component-toolkit (src/modules/scf) does (release-apis.md, "Attach to functions").
import { CloudError } from "../../errors.js";
import { invalid, newestFirst, waitForUpdate, type UpdateProgress } from "../function-update.js";
import { collectPages, nextOffset } from "../paging.js";
import type { Logger } from "../../output/log.js";
import type { AttachedLayer, FunctionRef, FunctionUpdater, UpdateWaitOptions } from "../types.js";
import type { ScfClient } from "./sdk.js";

type Call = <T>(action: string, fn: () => Promise<T>, opts?: { creates?: boolean }) => Promise<T>;

interface FunctionFields {
  Status?: string;
  StatusDesc?: string;
  Layers?: Array<{ LayerName?: string; LayerVersion?: number }>;
  RequestId?: string;
}

const BUSY = new Set(["Creating", "Updating", "Publishing", "Deleting"]);
/** What SCF answers for a function (or its namespace) that is not there. */
const FUNCTION_NOT_FOUND = new Set(["ResourceNotFound.Function", "ResourceNotFound.FunctionName", "ResourceNotFound.Namespace"]);
/** ListVersionByFunction pages (20 stays within every documented limit). */
const PAGE = 20;

export class TencentFunctions implements FunctionUpdater {
  constructor(
    private readonly sdk: ScfClient,
    private readonly call: Call,
    private readonly log: Logger,
  ) {}

  async getLayers(fn: FunctionRef, opts: UpdateWaitOptions): Promise<AttachedLayer[]> {
    return layersOf(await this.settled(fn, opts));
  }

  async setLayers(fn: FunctionRef, layers: AttachedLayer[], opts: UpdateWaitOptions): Promise<{ requestId: string | null }> {
    // SCF ignores an empty Layers list; removing every layer takes one empty entry.
    const list = layers.length > 0 ? layers.map((l) => ({ LayerName: l.layerName, LayerVersion: l.version })) : [{ LayerName: "", LayerVersion: 0 }];
    const res = await this.call("UpdateFunctionConfiguration", () =>
      this.sdk.UpdateFunctionConfiguration({ FunctionName: fn.functionName, Namespace: fn.namespace, Layers: list }),
    );
    await this.settled(fn, opts);
    return { requestId: res.RequestId ?? null };
  }

  async pointAlias(fn: FunctionRef, alias: string, version: string, opts: UpdateWaitOptions): Promise<{ created: boolean; requestId: string | null }> {
    if (version !== "$LATEST") await this.settled(fn, opts, version);
    const ref = { FunctionName: fn.functionName, Namespace: fn.namespace, Name: alias, FunctionVersion: version };
    try {
      const res = await this.call("UpdateAlias", () => this.sdk.UpdateAlias(ref));
      return { created: false, requestId: res.RequestId ?? null };
    } catch (err) {
      if (!(err instanceof CloudError) || err.code !== "ResourceNotFound.Alias") throw err;
    }
    const res = await this.call("CreateAlias", () => this.sdk.CreateAlias(ref), { creates: true });
    return { created: true, requestId: res.RequestId ?? null };
  }

  async findLayers(fn: FunctionRef, opts: UpdateWaitOptions): Promise<AttachedLayer[] | null> {
    try {
      return await this.getLayers(fn, opts);
    } catch (err) {
      if (err instanceof CloudError && FUNCTION_NOT_FOUND.has(err.code)) return null;
      throw err;
    }
  }

  async aliasVersion(fn: FunctionRef, alias: string): Promise<string | null> {
    try {
      const res = await this.call("GetAlias", () => this.sdk.GetAlias({ FunctionName: fn.functionName, Namespace: fn.namespace, Name: alias }));
      if (!res.FunctionVersion) throw invalid("GetAlias", "FunctionVersion", res.RequestId, "tencent");
      return res.FunctionVersion;
    } catch (err) {
      if (err instanceof CloudError && err.code === "ResourceNotFound.Alias") return null;
      throw err;
    }
  }

  async listVersions(fn: FunctionRef): Promise<string[]> {
    const versions = await collectPages(`tencent ListVersionByFunction ${fn.functionName}`, this.log, async (token) => {
      const offset = Number(token ?? 0);
      const res = await this.call("ListVersionByFunction", () =>
        this.sdk.ListVersionByFunction({ FunctionName: fn.functionName, Namespace: fn.namespace, Offset: offset, Limit: PAGE }),
      );
      const list = res.Versions?.map((v) => v.Version) ?? res.FunctionVersion ?? [];
      // Decisions (which version to keep, or go back to) rest on this list: every item must say which it is.
      if (list.some((v) => !v)) throw invalid("ListVersionByFunction", "Versions[].Version", res.RequestId, "tencent");
      return { items: list as string[], next: nextOffset(offset, list.length, res.TotalCount) };
    });
    return newestFirst(versions);
  }

  async versionLayers(fn: FunctionRef, version: string): Promise<AttachedLayer[]> {
    const got = (await this.call("GetFunction", () => this.sdk.GetFunction({ FunctionName: fn.functionName, Namespace: fn.namespace, Qualifier: version }))) as FunctionFields;
    return layersOf(got);
  }

  /** GetFunction ($LATEST, or one version with `qualifier`) until its Status leaves the busy states. */
  private settled(fn: FunctionRef, opts: UpdateWaitOptions, qualifier?: string): Promise<FunctionFields> {
    return waitForUpdate(
      {
        provider: "tencent",
        functionName: qualifier ? `${fn.functionName} version ${qualifier}` : fn.functionName,
        read: () =>
          this.call("GetFunction", () => this.sdk.GetFunction({ FunctionName: fn.functionName, Namespace: fn.namespace, Qualifier: qualifier })) as Promise<FunctionFields>,
        progress: progressOf,
        requestId: (f) => f.RequestId,
      },
      opts,
    );
  }
}

function layersOf(got: FunctionFields): AttachedLayer[] {
  return (got.Layers ?? []).filter((l) => l.LayerName && typeof l.LayerVersion === "number").map((l) => ({ layerName: l.LayerName!, version: l.LayerVersion!, arn: null }));
}

/** Status: Active when done; Creating/Updating/Publishing/Deleting while busy; *Failed on failure. */
function progressOf(f: FunctionFields): UpdateProgress {
  const status = f.Status ?? "";
  if (status.endsWith("Failed")) return { failed: `Status ${status}${f.StatusDesc ? `: ${f.StatusDesc}` : ""}` };
  if (BUSY.has(status)) return { done: false };
  return { done: true };
}
