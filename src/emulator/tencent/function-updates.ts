// The update side of SCF functions: UpdateFunctionConfiguration (Layers, Description), the
// function's Status (Updating for functionUpdateDelayMs, then Active), and CreateAlias /
// UpdateAlias / GetAlias. (GetFunction's Layers are the read side's: functions.ts.)
// References: UpdateFunctionConfiguration takes Layers [{LayerName, LayerVersion}] and ignores an
// empty list (removing every layer takes [{LayerName: "", LayerVersion: 0}]); at most 5 layers per
// function version. Error codes for a busy function and for too many layers are not documented
// per action: FailedOperation.UpdateFunctionConfiguration and InvalidParameterValue.Layers are
// our choice (unconfirmed).
// PublishVersion is asynchronous: the new version's Status (GetFunction with Qualifier) is
// Publishing, then Active; Tencent's own tooling (tencent-component-toolkit src/modules/scf)
// polls it until Active before pointing an alias at it. Here a version is Publishing for
// functionUpdateDelayMs after its publish (computed from the clock, no timers), and an alias is
// not pointed at a version that is not Active yet. The code for that refusal is not documented
// (references silent): FailedOperation.CreateAlias / FailedOperation.UpdateAlias are our choice.
import { setAlias, updateInProgress, type AliasState } from "../function-updates.js";
import { TencentApiError } from "./errors.js";
import type { Functions } from "./functions.js";
import type { TencentContext } from "./index.js";
import type { Layers } from "./layers.js";
import { optionalString, requiredString, type Params } from "./params.js";
import { functionKey, type FunctionState, type FunctionVersionState, type RegionState } from "./state.js";
import { chinaTime } from "./time.js";

const DEFAULT_NAMESPACE = "default";
const MAX_LAYERS = 5;
const ALIAS_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}[A-Za-z0-9]$/;

export class FunctionUpdates {
  constructor(
    private readonly ctx: TencentContext,
    private readonly region: (name: string) => RegionState,
    private readonly functions: Functions,
    private readonly layers: Layers,
  ) {}

  /** Status as GetFunction reports it. */
  status(fn: FunctionState): string {
    return updateInProgress(fn, this.ctx.now(), this.ctx.tuning.functionUpdateDelayMs) ? "Updating" : "Active";
  }

  /** A published version's Status: Publishing for functionUpdateDelayMs after PublishVersion, then Active. */
  versionStatus(v: FunctionVersionState): string {
    return this.ctx.now().getTime() - v.createdAtMs < this.ctx.tuning.functionUpdateDelayMs ? "Publishing" : "Active";
  }

  async updateConfiguration(regionName: string, p: Params): Promise<Record<string, unknown>> {
    const { fn, namespace, name } = this.require(regionName, p);
    if (this.status(fn) !== "Active") {
      throw new TencentApiError("FailedOperation.UpdateFunctionConfiguration", `Function ${name} is ${this.status(fn)}; try again when it is Active.`);
    }
    const description = optionalString(p, "Description");
    if (description !== undefined && description.length > 1000) throw new TencentApiError("InvalidParameterValue.Description", "Description is limited to 1000 characters.");
    const layers = this.layerList(regionName, p.Layers);
    if (layers !== undefined) fn.layers = layers;
    if (description !== undefined) fn.description = description;
    fn.updateStartedAtMs = this.ctx.now().getTime();
    this.region(regionName).functions[functionKey(namespace, name)] = fn;
    await this.ctx.save();
    return {};
  }

  async createAlias(regionName: string, p: Params): Promise<Record<string, unknown>> {
    const { fn, namespace, name } = this.require(regionName, p);
    const alias = aliasName(p);
    const version = requiredString(p, "FunctionVersion");
    this.requireVersion(fn, version, "CreateAlias");
    if (fn.aliases?.[alias]) throw new TencentApiError("ResourceInUse.Alias", `Alias ${alias} of function ${name} already exists.`);
    setAlias(fn, alias, version, optionalString(p, "Description"), this.ctx.now());
    this.region(regionName).functions[functionKey(namespace, name)] = fn;
    await this.ctx.save();
    return {};
  }

  async updateAlias(regionName: string, p: Params): Promise<Record<string, unknown>> {
    const { fn, name } = this.require(regionName, p);
    const alias = requiredString(p, "Name");
    const version = requiredString(p, "FunctionVersion");
    if (!fn.aliases?.[alias]) throw aliasNotFound(name, alias);
    this.requireVersion(fn, version, "UpdateAlias");
    setAlias(fn, alias, version, optionalString(p, "Description"), this.ctx.now());
    await this.ctx.save();
    return {};
  }

  getAlias(regionName: string, p: Params): Record<string, unknown> {
    const { fn, name } = this.require(regionName, p);
    const alias = requiredString(p, "Name");
    const a = fn.aliases?.[alias];
    if (!a) throw aliasNotFound(name, alias);
    return aliasFields(a);
  }

  /**
   * ListAliases (what `tccli scf ListAliases` scripts read): {Aliases: [Alias], TotalCount}, an
   * optional FunctionVersion filter, Offset / Limit paging. The SDK's model types Offset and Limit
   * as strings (scf_models.d.ts ListAliasesRequest); numbers are taken too. Default limit and
   * order are not documented (references silent): 20, by name.
   */
  listAliases(regionName: string, p: Params): Record<string, unknown> {
    const { fn } = this.require(regionName, p);
    const only = optionalString(p, "FunctionVersion");
    const offset = whole(p.Offset, "Offset") ?? 0;
    const limit = whole(p.Limit, "Limit") ?? 20;
    const all = Object.values(fn.aliases ?? {})
      .filter((a) => only === undefined || a.version === only)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { Aliases: all.slice(offset, offset + limit).map(aliasFields), TotalCount: all.length };
  }

  private require(regionName: string, p: Params): { fn: FunctionState; namespace: string; name: string } {
    const name = requiredString(p, "FunctionName");
    const namespace = optionalString(p, "Namespace") ?? DEFAULT_NAMESPACE;
    const fn = this.functions.find(regionName, namespace, name);
    if (!fn) throw new TencentApiError("ResourceNotFound.Function", `Function ${name} does not exist in namespace ${namespace}.`);
    return { fn, namespace, name };
  }

  /** The version an alias may point at: $LATEST, or a published version that is Active. */
  private requireVersion(fn: FunctionState, version: string, action: "CreateAlias" | "UpdateAlias"): void {
    if (version === "$LATEST") return;
    const v = fn.versions.find((x) => x.version === version);
    if (!v) throw new TencentApiError("ResourceNotFound.Version", `Version ${version} of function ${fn.name} does not exist.`);
    const status = this.versionStatus(v);
    if (status !== "Active") {
      throw new TencentApiError(`FailedOperation.${action}`, `Version ${version} of function ${fn.name} is ${status}; point an alias at it once it is Active.`);
    }
  }

  /** undefined: leave the layers as they are (absent or empty list). */
  private layerList(regionName: string, raw: unknown): Array<{ name: string; version: number }> | undefined {
    if (raw === undefined || raw === null) return undefined;
    if (!Array.isArray(raw)) throw new TencentApiError("InvalidParameter", "Layers must be an array of {LayerName, LayerVersion}.");
    if (raw.length === 0) return undefined;
    const items = raw.map((x) => {
      const o = (x ?? {}) as Params;
      if (typeof o.LayerName !== "string" || typeof o.LayerVersion !== "number" || !Number.isSafeInteger(o.LayerVersion)) {
        throw new TencentApiError("InvalidParameter", "Each Layers item needs LayerName (string) and LayerVersion (integer).");
      }
      return { name: o.LayerName, version: o.LayerVersion };
    });
    if (items.length === 1 && items[0]!.name === "" && items[0]!.version === 0) return [];
    if (items.length > MAX_LAYERS) throw new TencentApiError("InvalidParameterValue.Layers", `A function can use at most ${MAX_LAYERS} layers; ${items.length} were given.`);
    if (new Set(items.map((i) => i.name)).size !== items.length) {
      throw new TencentApiError("InvalidParameterValue.Layers", "Layers names the same layer more than once.");
    }
    for (const i of items) {
      const layer = this.region(regionName).layers[i.name];
      if (!layer) throw new TencentApiError("ResourceNotFound.Layer", `Layer ${i.name} does not exist.`);
      const v = layer.versions.find((x) => x.version === i.version);
      if (!v) throw new TencentApiError("ResourceNotFound.LayerVersion", `Version ${i.version} of layer ${i.name} does not exist.`);
      if (this.layers.status(v) !== "Active") {
        throw new TencentApiError("FailedOperation.UpdateFunctionConfiguration", `Version ${i.version} of layer ${i.name} is ${this.layers.status(v)}, not Active.`);
      }
    }
    return items;
  }
}

/** A non-negative whole number given as a number or a decimal string; undefined when absent. */
function whole(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw new TencentApiError(`InvalidParameterValue.${name}`, `${name} must be a non-negative whole number.`);
  return n;
}

function aliasName(p: Params): string {
  const name = requiredString(p, "Name");
  if (!ALIAS_NAME.test(name))
    throw new TencentApiError("InvalidParameterValue.Name", `Alias name "${name}" is invalid: use 2-64 letters, digits, - and _, starting with a letter.`);
  return name;
}

function aliasNotFound(fn: string, alias: string): TencentApiError {
  return new TencentApiError("ResourceNotFound.Alias", `Alias ${alias} of function ${fn} does not exist.`);
}

function aliasFields(a: AliasState): Record<string, unknown> {
  return {
    Name: a.name,
    FunctionVersion: a.version,
    Description: a.description,
    AddTime: chinaTime(a.createdAtMs),
    ModTime: chinaTime(a.updatedAtMs),
    RoutingConfig: { AdditionalVersionWeights: [], AddtionVersionMatchs: [] },
  };
}
