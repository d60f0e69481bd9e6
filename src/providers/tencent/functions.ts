// Attaching layers to an SCF function: GetFunction (Layers, Status), UpdateFunctionConfiguration
// with Layers [{LayerName, LayerVersion}] (the whole list, in order), a wait while Status is
// Creating|Updating|Publishing|Deleting, then UpdateAlias (CreateAlias when it does not exist).
// PublishVersion is asynchronous: before an alias points at a new version, GetFunction with
// Qualifier = that version is polled until its Status is Active, as Tencent's own
// tencent-component-toolkit (src/modules/scf) does (release-apis.md, "Attach to functions").
import { CloudError } from "../../errors.js";
import { shellWord } from "../../output/shell-word.js";
import { acceptedButUnsettled, concurrentUpdate, layersIfFound, invalid, newestFirstItems, waitForUpdate, type UpdateProgress } from "../function-update.js";
import { collectPages, nextOffset } from "../paging.js";
import type { AttachedLayer, ConnectOptions, FunctionLayers, FunctionRef, FunctionUpdater, FunctionVersionItem, UpdateWaitOptions } from "../types.js";
import type { ScfClient } from "./sdk.js";
import type { TencentAction } from "./answers.js";

type Call = <T>(action: TencentAction, fn: () => Promise<T>, opts?: { creates?: boolean }) => Promise<T>;

interface FunctionFields {
  Status?: string;
  StatusDesc?: string;
  Layers?: Array<{ LayerName?: string; LayerVersion?: number }>;
  RequestId?: string;
}

const BUSY = new Set(["Creating", "Updating", "Publishing", "Deleting"]);
/** SCF refuses an update while another runs (the code is not documented per action: ours, unconfirmed). */
const BUSY_CODES = new Set(["FailedOperation.UpdateFunctionConfiguration"]);
/** What SCF answers for a function (or its namespace) that is not there. */
const FUNCTION_NOT_FOUND = new Set(["ResourceNotFound.Function", "ResourceNotFound.FunctionName", "ResourceNotFound.Namespace"]);
/** ListVersionByFunction pages (20 stays within every documented limit). */
const PAGE = 20;

export class TencentFunctions implements FunctionUpdater {
  constructor(
    private readonly sdk: ScfClient,
    private readonly opts: Pick<ConnectOptions, "region" | "log">,
    private readonly call: Call,
  ) {}

  async getLayers(fn: FunctionRef, opts: UpdateWaitOptions): Promise<FunctionLayers> {
    return { layers: layersOf(await this.settled(fn, opts)), revision: null };
  }

  async setLayers(fn: FunctionRef, layers: AttachedLayer[], opts: UpdateWaitOptions): Promise<{ requestId: string | null; layers: AttachedLayer[] }> {
    // SCF ignores an empty Layers list; removing every layer takes one empty entry.
    const list = layers.length > 0 ? layers.map((l) => ({ LayerName: l.layerName, LayerVersion: l.version })) : [{ LayerName: "", LayerVersion: 0 }];
    let requestId: string | null;
    try {
      // Not repeated after an unknown outcome: the caller reads the function and decides.
      const res = await this.call(
        "UpdateFunctionConfiguration",
        () => this.sdk.UpdateFunctionConfiguration({ FunctionName: fn.functionName, Namespace: fn.namespace, Layers: list }),
        { creates: true },
      );
      requestId = res.RequestId ?? null;
    } catch (err) {
      if (err instanceof CloudError && BUSY_CODES.has(err.code)) throw concurrentUpdate("tencent", fn.functionName, `${err.code}: ${err.message}`, err.requestId);
      throw err;
    }
    const after = await this.settled(fn, opts).catch((err: unknown) => Promise.reject(acceptedButUnsettled(err, fn.functionName)));
    return { requestId, layers: layersOf(after) };
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

  findLayers(fn: FunctionRef, opts: UpdateWaitOptions): Promise<AttachedLayer[] | null> {
    return layersIfFound(() => this.getLayers(fn, opts), FUNCTION_NOT_FOUND);
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

  async listVersions(fn: FunctionRef): Promise<FunctionVersionItem[]> {
    const name = `tencent ListVersionByFunction ${fn.namespace ?? "default"}/${fn.functionName}`;
    const all = await collectPages(name, this.opts.log, async (token) => {
      const offset = Number(token ?? 0);
      const res = await this.call("ListVersionByFunction", () =>
        this.sdk.ListVersionByFunction({ FunctionName: fn.functionName, Namespace: fn.namespace, Offset: offset, Limit: PAGE }),
      );
      const items: FunctionVersionItem[] = res.Versions
        ? res.Versions.map((v) => ({ version: v.Version ?? "", description: v.Description ?? null }))
        : (res.FunctionVersion ?? []).map((v) => ({ version: v, description: null }));
      return { items, next: nextOffset(offset, items.length, res.TotalCount ?? 0, name) };
    });
    return newestFirstItems(all);
  }

  versionsCommand(fn: FunctionRef): string {
    return `tccli scf ListVersionByFunction --region ${shellWord(this.opts.region)} --FunctionName ${shellWord(fn.functionName)} --Namespace ${shellWord(fn.namespace ?? "default")}`;
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
