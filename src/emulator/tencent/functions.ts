// Function actions, as much as layer publishing needs: CreateFunction and GetFunction (minimal),
// PublishVersion. Seeded functions exist in every region from the start.
import type { SeedFunction } from "../types.js";
import type { TencentContext } from "./index.js";
import { TencentApiError } from "./errors.js";
import { optionalInteger, optionalObject, optionalString, requiredString, type Params } from "./params.js";
import { isScfRuntime } from "./runtimes.js";
import { functionKey, type FunctionState, type FunctionLayerState, type RegionState } from "./state.js";
import { chinaTime } from "./time.js";
import { isZip } from "../zip.js";
import { base64Member } from "../json-body.js";
import { MAX_INLINE_ZIP_BYTES } from "./layers.js";
import type { FunctionUpdates } from "./function-updates.js";

export const DEFAULT_NAMESPACE = "default";
/** At most 5 layers per function version (release-apis.md, "Attach to functions"). */
const MAX_LAYERS = 5;
/** 2-60 letters, digits, - and _, starting with a letter, not ending with - or _. */
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/;
const MAX_FUNCTION_VERSIONS = 1000;

export class Functions {
  constructor(
    private readonly ctx: TencentContext,
    private readonly region: (name: string) => RegionState,
    private readonly seeds: SeedFunction[],
  ) {}

  /** Set once both exist (index.ts): GetFunction reports the update side's Status and Layers. */
  updates?: FunctionUpdates;

  async create(regionName: string, p: Params): Promise<Record<string, unknown>> {
    const name = requiredString(p, "FunctionName");
    if (!FUNCTION_NAME.test(name)) {
      throw new TencentApiError(
        "InvalidParameterValue.FunctionName",
        `FunctionName "${name}" is invalid: use 2-60 letters, digits, hyphens and underscores, starting with a letter and not ending with a hyphen or underscore.`,
      );
    }
    const namespace = optionalString(p, "Namespace") ?? DEFAULT_NAMESPACE;
    this.requireNamespace(regionName, namespace);
    const runtime = optionalString(p, "Runtime") ?? "Python2.7";
    if (!isScfRuntime(runtime)) throw new TencentApiError("InvalidParameterValue.Runtime", `Runtime ${runtime} is not supported.`);
    const description = optionalString(p, "Description") ?? "";
    if (description.length > 1000) throw new TencentApiError("InvalidParameterValue.Description", "Description is limited to 1000 characters.");
    const code = optionalObject(p, "Code");
    if (!code) throw new TencentApiError("MissingParameter", "The request is missing a required parameter `Code`.");
    const zip = functionZip(code);
    const layers = this.layersParam(regionName, p);
    if (this.find(regionName, namespace, name)) throw new TencentApiError("ResourceInUse.Function", `Function ${name} already exists in namespace ${namespace}.`);
    const fn: FunctionState = {
      name,
      namespace,
      runtime,
      handler: optionalString(p, "Handler") ?? "index.main_handler",
      description,
      memorySize: optionalInteger(p, "MemorySize") ?? 128,
      timeout: optionalInteger(p, "Timeout") ?? 3,
      codeSize: zip.length,
      codeSha256: await this.ctx.blobs.put(zip),
      createdAtMs: this.ctx.now().getTime(),
      nextVersion: 1,
      versions: [],
      layers,
    };
    this.region(regionName).functions[functionKey(namespace, name)] = fn;
    await this.ctx.save();
    return {};
  }

  get(regionName: string, p: Params): Record<string, unknown> {
    const name = requiredString(p, "FunctionName");
    const namespace = optionalString(p, "Namespace") ?? DEFAULT_NAMESPACE;
    const qualifier = optionalString(p, "Qualifier") ?? "$LATEST";
    const fn = this.find(regionName, namespace, name);
    if (!fn) throw notFound(name, namespace);
    const version = qualifier === "$LATEST" ? undefined : fn.versions.find((v) => v.version === qualifier);
    if (qualifier !== "$LATEST" && !version) throw new TencentApiError("ResourceNotFound.Version", `Version ${qualifier} of function ${name} does not exist.`);
    return {
      FunctionName: fn.name,
      Namespace: fn.namespace,
      FunctionVersion: qualifier,
      Qualifier: qualifier,
      Runtime: fn.runtime,
      Handler: fn.handler,
      Description: version?.description ?? fn.description,
      MemorySize: fn.memorySize,
      Timeout: fn.timeout,
      CodeSize: fn.codeSize,
      Status: !this.updates ? "Active" : version ? this.updates.versionStatus(version) : this.updates.status(fn),
      Type: "Event",
      AddTime: chinaTime(fn.createdAtMs),
      ModTime: chinaTime(version?.createdAtMs ?? fn.createdAtMs),
      Layers: this.layerInfo(regionName, (version ? version.layers : fn.layers) ?? []),
    };
  }

  async publishVersion(regionName: string, p: Params): Promise<Record<string, unknown>> {
    const name = requiredString(p, "FunctionName");
    const namespace = optionalString(p, "Namespace") ?? DEFAULT_NAMESPACE;
    const description = optionalString(p, "Description");
    if (description !== undefined && description.length > 1000) {
      throw new TencentApiError("InvalidParameterValue.Description", "Description is limited to 1000 characters.");
    }
    this.requireNamespace(regionName, namespace);
    const fn = this.find(regionName, namespace, name);
    if (!fn) throw notFound(name, namespace);
    // PublishVersion's error codes: "FailedOperation.PublishVersion: You cannot publish a version in
    // the current function state".
    if (this.updates && this.updates.status(fn) !== "Active") {
      throw new TencentApiError("FailedOperation.PublishVersion", `You cannot publish a version of ${name} while it is ${this.updates.status(fn)}; try again when it is Active.`);
    }
    if (fn.versions.length >= MAX_FUNCTION_VERSIONS) {
      throw new TencentApiError("LimitExceeded.Version", `Function ${name} already has ${MAX_FUNCTION_VERSIONS} versions.`);
    }
    const version = { version: String(fn.nextVersion), description: description ?? fn.description, createdAtMs: this.ctx.now().getTime(), layers: [...(fn.layers ?? [])] };
    fn.nextVersion++;
    fn.versions.push(version);
    // A seeded function becomes regional state the first time it changes.
    this.region(regionName).functions[functionKey(namespace, name)] = fn;
    await this.ctx.save();
    return {
      FunctionVersion: version.version,
      CodeSize: fn.codeSize,
      MemorySize: fn.memorySize,
      Description: version.description,
      Handler: fn.handler,
      Timeout: fn.timeout,
      Runtime: fn.runtime,
      Namespace: fn.namespace,
    };
  }

  /** Every function of a namespace in this region, stored or seeded, by name. */
  all(regionName: string, namespace: string): FunctionState[] {
    const names = new Set(
      Object.values(this.region(regionName).functions)
        .filter((f) => f.namespace === namespace)
        .map((f) => f.name),
    );
    for (const s of this.seeds) if ((s.namespace ?? DEFAULT_NAMESPACE) === namespace) names.add(s.name);
    return [...names].sort().map((n) => this.find(regionName, namespace, n)!);
  }

  /** Namespaces that exist in this region: `default` always, and any a function lives in. */
  namespaces(regionName: string): string[] {
    const names = new Set([DEFAULT_NAMESPACE, ...this.seeds.map((s) => s.namespace ?? DEFAULT_NAMESPACE)]);
    for (const f of Object.values(this.region(regionName).functions)) names.add(f.namespace);
    return [...names].sort((a, b) => (a === DEFAULT_NAMESPACE ? -1 : b === DEFAULT_NAMESPACE ? 1 : a.localeCompare(b)));
  }

  /** The function in this region, or a fresh copy of a seed (not stored until it changes). */
  find(regionName: string, namespace: string, name: string): FunctionState | undefined {
    const stored = this.region(regionName).functions[functionKey(namespace, name)];
    if (stored) return stored;
    const seed = this.seeds.find((s) => s.name === name && (s.namespace ?? DEFAULT_NAMESPACE) === namespace);
    if (!seed) return undefined;
    const links = (layers: SeedFunction["layers"] = []): FunctionLayerState[] => layers.map((l) => ({ name: l.name, version: l.version }));
    const versions = (seed.versions ?? []).map((v, i) => ({ version: String(i + 1), description: v.description ?? "", createdAtMs: 0, layers: links(v.layers) }));
    return {
      name,
      namespace,
      runtime: "Python3.9",
      handler: "index.main_handler",
      description: "",
      memorySize: 128,
      timeout: 3,
      codeSize: 0,
      codeSha256: null,
      createdAtMs: 0,
      nextVersion: versions.length + 1,
      versions,
      layers: links(seed.layers),
    };
  }

  /**
   * CreateFunction's Layers: existing versions that are not being deleted. The DeleteLayerVersion
   * reference says a deleted version cannot be associated with a function again, but gives no
   * error code for trying: ResourceNotFound.LayerVersion (GetLayerVersion's) is our choice, as is
   * InvalidParameterValue.Layers for more than 5 (the references are silent on that code too).
   */
  private layersParam(regionName: string, p: Params): FunctionLayerState[] {
    const raw = p.Layers;
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) throw new TencentApiError("InvalidParameter", "The parameter `Layers` must be an array.");
    if (raw.length > MAX_LAYERS) throw new TencentApiError("InvalidParameterValue.Layers", `At most ${MAX_LAYERS} layers can be bound to a function.`);
    return raw.map((item) => {
      const link = (item ?? {}) as Params;
      const name = requiredString(link, "LayerName");
      const version = optionalInteger(link, "LayerVersion");
      if (version === undefined) throw new TencentApiError("MissingParameter", "The request is missing a required parameter `Layers.LayerVersion`.");
      const v = this.region(regionName).layers[name]?.versions.find((x) => x.version === version);
      if (!v || v.deletedAtMs !== undefined) throw new TencentApiError("ResourceNotFound.LayerVersion", `Version ${version} of layer ${name} does not exist.`);
      return { name, version };
    });
  }

  /** GetFunction's Layers: LayerVersionInfo of each bound version; one deleted since keeps its name and number (functions keep working). */
  private layerInfo(regionName: string, links: FunctionLayerState[]): Array<Record<string, unknown>> {
    return links.map((l) => {
      const v = this.region(regionName).layers[l.name]?.versions.find((x) => x.version === l.version);
      return {
        LayerName: l.name,
        LayerVersion: l.version,
        CompatibleRuntimes: v?.runtimes ?? [],
        Description: v?.description ?? "",
        LicenseInfo: v?.license ?? "",
        AddTime: v ? chinaTime(v.createdAtMs) : "",
        Status: v ? "Active" : "Deleted",
        Stamp: "default",
      };
    });
  }

  private requireNamespace(regionName: string, namespace: string): void {
    if (namespace === DEFAULT_NAMESPACE) return;
    const known = this.seeds.some((s) => s.namespace === namespace) || Object.values(this.region(regionName).functions).some((f) => f.namespace === namespace);
    if (!known) throw new TencentApiError("ResourceNotFound.Namespace", `Namespace ${namespace} does not exist.`);
  }
}

function notFound(name: string, namespace: string): TencentApiError {
  return new TencentApiError("ResourceNotFound.Function", `Function ${name} does not exist in namespace ${namespace}.`);
}

function functionZip(code: Params): Buffer {
  if (["CosBucketName", "CosObjectName", "CosBucketRegion", "TempCosObjectName"].some((k) => code[k] !== undefined && code[k] !== null)) {
    throw new TencentApiError("UnsupportedOperation.Cos", "The emulator has no COS: pass the code inline in Code.ZipFile.");
  }
  const text = optionalString(code, "ZipFile");
  if (!text) throw new TencentApiError("InvalidParameterValue.Code", "Code must carry ZipFile (base64 of a zip) or a COS object.");
  const bytes = base64Member(code, "ZipFile", text);
  if (!bytes) throw new TencentApiError("InvalidParameterValue.ZipFileBase64BinasciiError", "Code.ZipFile could not be base64-decoded: incorrect padding or characters.");
  if (bytes.length > MAX_INLINE_ZIP_BYTES) throw new TencentApiError("InvalidParameterValue.Code", `Code.ZipFile is larger than ${MAX_INLINE_ZIP_BYTES} bytes.`);
  if (!isZip(bytes)) throw new TencentApiError("InvalidParameterValue.Code", "Code.ZipFile is not a zip archive.");
  return bytes;
}
