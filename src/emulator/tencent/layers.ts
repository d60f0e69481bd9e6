// Layer actions: PublishLayerVersion, GetLayerVersion, ListLayerVersions, ListLayers, DeleteLayerVersion.
// Publishing is asynchronous (Publishing -> Active | PublishFailed) and, from COS, SCF reads the
// staged object while it publishes (release-apis.md: "Tencent publishing from COS is
// asynchronous: keep the staged object until the version is Active"). Here the object is checked
// when the call is made (the documented InvalidParameterValue.Cos* codes) and read again when
// publishing ends: deleted before then, the version ends PublishFailed, as the real service's
// would; overwritten, the version holds what was there at the end. (Whether SCF reads it at the
// start, the end or throughout is not documented: the end is the strictest reading.)
import type { IncomingCall } from "../types.js";
import type { TencentContext } from "./index.js";
import { TencentApiError } from "./errors.js";
import { optionalInteger, optionalObject, optionalString, optionalStringArray, requiredInteger, requiredString, type Params } from "./params.js";
import { isScfRuntime } from "./runtimes.js";
import type { LayerState, LayerVersionState, RegionState } from "./state.js";
import type { CosEmulator } from "./cos.js";
import { chinaTime } from "./time.js";
import { isZip } from "../zip.js";
import { base64Member } from "../json-body.js";

/** 1-64 letters, digits, - and _, starting with a letter, not ending with - or _. */
export const LAYER_NAME = /^[A-Za-z](?:[A-Za-z0-9_-]{0,62}[A-Za-z0-9])?$/;
export const MAX_VERSIONS_PER_LAYER = 200;
/** The console allows 5 compatible runtimes per layer version; the API reference gives no number. */
export const MAX_RUNTIMES = 5;
/** Inline ZipFile limit (decoded bytes): the documented 20 MB for ZipFile; larger code goes through COS. */
export const MAX_INLINE_ZIP_BYTES = 20 * 1024 * 1024;
/** Not documented for layers; the function Description limit (1000) is used for both texts. */
export const MAX_DESCRIPTION = 1000;
export const MAX_LICENSE = 1000;

export type LayerStatus = "Publishing" | "Active" | "PublishFailed" | "Deleting" | "DeleteFailed";

export class Layers {
  constructor(
    private readonly ctx: TencentContext,
    private readonly region: (name: string) => RegionState,
    private readonly cos: CosEmulator,
  ) {
    cos.watchRemovals((removing) => this.stagedObjectRemoved(removing));
  }

  async publish(regionName: string, p: Params, call: IncomingCall): Promise<Record<string, unknown>> {
    const name = layerName(p);
    const runtimes = compatibleRuntimes(p);
    const content = optionalObject(p, "Content");
    if (!content) throw new TencentApiError("MissingParameter", "The request is missing a required parameter `Content`.");
    const description = optionalString(p, "Description") ?? "";
    const license = optionalString(p, "LicenseInfo") ?? "";
    if (description.length > MAX_DESCRIPTION) {
      throw new TencentApiError("InvalidParameterValue.Description", `Description is ${description.length} characters; at most ${MAX_DESCRIPTION} are allowed.`);
    }
    if (license.length > MAX_LICENSE) {
      throw new TencentApiError("InvalidParameterValue", `LicenseInfo is ${license.length} characters; at most ${MAX_LICENSE} are allowed.`);
    }
    const fromCos = await this.cosContent(content, regionName);
    const zip = fromCos?.bytes ?? zipContent(content);

    const region = this.region(regionName);
    const existing = this.sweep(region.layers[name]);
    if (!existing || existing.versions.length === 0) this.checkLayerQuota(region, name);
    const layer: LayerState = existing ?? { nextVersion: 1, versions: [] };
    if (layer.versions.length >= MAX_VERSIONS_PER_LAYER) {
      throw new TencentApiError(
        "LimitExceeded.LayerVersions",
        `Layer ${name} already has ${layer.versions.length} versions, the most allowed; delete old versions with DeleteLayerVersion first.`,
      );
    }
    const sha256 = await this.ctx.blobs.put(zip);
    const version: LayerVersionState = {
      version: layer.nextVersion,
      sha256,
      size: zip.length,
      runtimes,
      description,
      license,
      createdAtMs: this.ctx.now().getTime(),
      failed: call.failPublish,
      corrupt: call.corruptChecksum,
      ...(fromCos ? { cos: fromCos.source } : {}),
    };
    layer.nextVersion++;
    layer.versions.push(version);
    region.layers[name] = layer;
    await this.ctx.save();
    return { LayerVersion: version.version };
  }

  /**
   * Content.CosBucketName (without the -APPID suffix) / CosObjectName (with a leading "/") /
   * CosBucketRegion: SCF reads the zip from COS. Codes are the PublishLayerVersion reference's
   * (InvalidParameterValue.CosBucketName / CosObjectName / CosBucketRegion / Cos); the messages
   * are ours (references silent on their wording). A region other than the layer's is refused:
   * the bucket must be in the function's region.
   */
  private async cosContent(content: Params, regionName: string): Promise<{ bytes: Buffer; source: NonNullable<LayerVersionState["cos"]> } | null> {
    if (["CosBucketName", "CosObjectName", "CosBucketRegion"].every((k) => content[k] === undefined || content[k] === null)) {
      if (content.TempCosObjectName !== undefined && content.TempCosObjectName !== null) {
        throw new TencentApiError("UnsupportedOperation.Cos", "TempCosObjectName is not emulated: pass CosBucketName, CosObjectName and CosBucketRegion.");
      }
      return null;
    }
    const bucket = optionalString(content, "CosBucketName");
    const object = optionalString(content, "CosObjectName");
    const bucketRegion = optionalString(content, "CosBucketRegion") ?? regionName;
    if (!bucket || /-\d+$/.test(bucket) || !/^[a-z0-9-]+$/.test(bucket)) {
      throw new TencentApiError("InvalidParameterValue.CosBucketName", `CosBucketName "${bucket ?? ""}" is invalid: give the bucket name without the -APPID suffix.`);
    }
    if (!object?.startsWith("/"))
      throw new TencentApiError("InvalidParameterValue.CosObjectName", `CosObjectName "${object ?? ""}" is invalid: give the object's path starting with "/".`);
    if (bucketRegion !== regionName) {
      throw new TencentApiError(
        "InvalidParameterValue.CosBucketRegion",
        `CosBucketRegion ${bucketRegion} is not the layer's region ${regionName}: the COS bucket must be in the same region.`,
      );
    }
    const got = await this.cos.readForScf(`${bucket}-${this.ctx.credentials.appId}`, object.slice(1), bucketRegion);
    if (!got.ok && got.reason === "no-key") throw new TencentApiError("InvalidParameterValue.CosObjectName", `COS object ${object} does not exist in bucket ${bucket}.`);
    if (!got.ok) throw new TencentApiError("InvalidParameterValue.Cos", `COS bucket ${bucket} does not exist in ${bucketRegion} (NoSuchBucket).`);
    if (!isZip(got.bytes)) throw new TencentApiError("InvalidParameterValue.Content", "The COS object is not a zip archive.");
    return { bytes: got.bytes, source: { bucket: `${bucket}-${this.ctx.credentials.appId}`, key: object.slice(1), region: bucketRegion } };
  }

  /**
   * "Number of layers per region: 20" (SCF quota limits, document 583/11637): a new layer past it
   * is refused. The error code is not documented (references silent; PublishLayerVersion's list
   * has LimitExceeded.LayerVersions only): LimitExceeded.Layer is our choice. A layer whose
   * versions are all deleted no longer counts.
   */
  private checkLayerQuota(region: RegionState, name: string): void {
    const max = this.ctx.tuning.layersPerRegion;
    const held = Object.entries(region.layers).filter(([n, l]) => n !== name && (this.sweep(l)?.versions.length ?? 0) > 0).length;
    if (held >= max) {
      throw new TencentApiError("LimitExceeded.Layer", `The region already holds ${held} layers, the most allowed (${max}); delete a layer before publishing ${name}.`);
    }
  }

  /** Publishing from COS ends: SCF reads the object now; gone, the version fails (see the header). */
  private settle(v: LayerVersionState): void {
    if (!v.cos || this.ctx.now().getTime() - v.createdAtMs < this.ctx.tuning.publishDelayMs) return;
    const o = this.cos.stagedObject(v.cos.bucket, v.cos.key, v.cos.region);
    if (o) {
      v.sha256 = o.blob;
      v.size = o.size;
    } else v.failed = true;
    delete v.cos;
  }

  /** A staged object is being deleted: versions still reading it fail; those whose publishing has ended read it first. */
  private stagedObjectRemoved(removing: (bucket: string, key: string, region: string) => boolean): void {
    for (const region of Object.values(this.ctx.regions())) {
      for (const layer of Object.values(region.layers)) {
        for (const v of layer.versions) {
          if (!v.cos || !removing(v.cos.bucket, v.cos.key, v.cos.region)) continue;
          this.settle(v);
          if (v.cos) {
            v.failed = true;
            delete v.cos;
          }
        }
      }
    }
  }

  get(regionName: string, p: Params, call: IncomingCall): Record<string, unknown> {
    const name = requiredString(p, "LayerName");
    const number = requiredInteger(p, "LayerVersion");
    const v = this.sweep(this.region(regionName).layers[name])?.versions.find((x) => x.version === number);
    if (!v) throw new TencentApiError("ResourceNotFound.LayerVersion", `Version ${number} of layer ${name} does not exist.`);
    return {
      ...this.fields(name, v),
      CodeSha256: v.corrupt || call.corruptChecksum ? corruptChecksum(v.sha256) : v.sha256,
      Location: this.ctx.blobUrl(v.sha256),
    };
  }

  list(regionName: string, p: Params): Record<string, unknown> {
    const name = requiredString(p, "LayerName");
    const filter = optionalStringArray(p, "CompatibleRuntime") ?? [];
    const layer = this.sweep(this.region(regionName).layers[name]);
    if (!layer || layer.versions.length === 0) throw new TencentApiError("ResourceNotFound.Layer", `Layer ${name} does not exist.`);
    const versions = [...layer.versions].filter((v) => filter.length === 0 || v.runtimes.some((r) => filter.includes(r))).sort((a, b) => b.version - a.version);
    return { LayerVersions: versions.map((v) => this.info(name, v)) };
  }

  listLayers(regionName: string, p: Params): Record<string, unknown> {
    const runtime = optionalString(p, "CompatibleRuntime");
    const searchKey = optionalString(p, "SearchKey");
    const offset = optionalInteger(p, "Offset") ?? 0;
    const limit = optionalInteger(p, "Limit") ?? 10;
    if (offset < 0) throw new TencentApiError("InvalidParameterValue", "Offset must not be negative.");
    if (limit < 0) throw new TencentApiError("InvalidParameterValue", "Limit must not be negative.");
    const latest: Array<{ name: string; v: LayerVersionState }> = [];
    for (const [name, layer] of Object.entries(this.region(regionName).layers).sort(([a], [b]) => a.localeCompare(b))) {
      this.sweep(layer);
      const candidates = layer.versions.filter((v) => !runtime || v.runtimes.includes(runtime));
      const newest = candidates.reduce<LayerVersionState | undefined>((best, v) => (!best || v.version > best.version ? v : best), undefined);
      if (!newest) continue;
      if (searchKey && !name.toLowerCase().includes(searchKey.toLowerCase())) continue;
      latest.push({ name, v: newest });
    }
    return {
      Layers: latest.slice(offset, offset + limit).map(({ name, v }) => ({ ...this.info(name, v), Tags: [] })),
      TotalCount: latest.length,
    };
  }

  /**
   * Asynchronous, as SCF's: the version shows `Deleting` for the same delay a publish takes (SCF
   * documents neither figure), then is gone, or stays as `DeleteFailed` under the publish-failed
   * fault. The reply is only a RequestId (API reference: DeleteLayerVersion, output parameters).
   * Version numbers are never reused (nextVersion only grows).
   */
  async delete(regionName: string, p: Params, call: IncomingCall): Promise<Record<string, unknown>> {
    const name = requiredString(p, "LayerName");
    const number = requiredInteger(p, "LayerVersion");
    const version = this.sweep(this.region(regionName).layers[name])?.versions.find((x) => x.version === number);
    if (!version) throw new TencentApiError("ResourceNotFound.LayerVersion", `Version ${number} of layer ${name} does not exist.`);
    // A second delete while one is under way changes nothing; after DeleteFailed it starts again.
    if (this.status(version) !== "Deleting") {
      version.deletedAtMs = this.ctx.now().getTime();
      version.deleteFails = call.failPublish;
      await this.ctx.save();
    }
    return {};
  }

  /** Drops versions whose deletion has finished; returns the layer for chaining. */
  private sweep(layer: LayerState | undefined): LayerState | undefined {
    if (layer) layer.versions = layer.versions.filter((v) => !(v.deletedAtMs !== undefined && !v.deleteFails && this.deleteDone(v)));
    return layer;
  }

  private deleteDone(v: LayerVersionState): boolean {
    return v.deletedAtMs !== undefined && this.ctx.now().getTime() - v.deletedAtMs >= this.ctx.tuning.publishDelayMs;
  }

  /** Publishing for tuning.publishDelayMs after the publish, then Active (or PublishFailed); Deleting / DeleteFailed once deleted. */
  status(v: LayerVersionState): LayerStatus {
    this.settle(v);
    if (v.deletedAtMs !== undefined) return this.deleteDone(v) ? "DeleteFailed" : "Deleting";
    if (this.ctx.now().getTime() - v.createdAtMs < this.ctx.tuning.publishDelayMs) return "Publishing";
    return v.failed ? "PublishFailed" : "Active";
  }

  /** What GetLayerVersion and the list items (LayerVersionInfo) share. */
  private fields(name: string, v: LayerVersionState): Record<string, unknown> {
    return {
      CompatibleRuntimes: v.runtimes,
      AddTime: chinaTime(v.createdAtMs),
      Description: v.description,
      LicenseInfo: v.license,
      LayerVersion: v.version,
      LayerName: name,
      Status: this.status(v),
    };
  }

  private info(name: string, v: LayerVersionState): Record<string, unknown> {
    return { ...this.fields(name, v), Stamp: "default" };
  }
}

function layerName(p: Params): string {
  const name = requiredString(p, "LayerName");
  if (!LAYER_NAME.test(name)) {
    throw new TencentApiError(
      "InvalidParameterValue.LayerName",
      `LayerName "${name}" is invalid: use 1-64 letters, digits, hyphens and underscores, starting with a letter and not ending with a hyphen or underscore.`,
    );
  }
  return name;
}

function compatibleRuntimes(p: Params): string[] {
  const runtimes = optionalStringArray(p, "CompatibleRuntimes");
  if (runtimes === undefined) throw new TencentApiError("MissingParameter", "The request is missing a required parameter `CompatibleRuntimes`.");
  if (runtimes.length === 0) throw new TencentApiError("InvalidParameterValue.CompatibleRuntimes", "CompatibleRuntimes must name at least one runtime.");
  const unique = [...new Set(runtimes)];
  if (unique.length > MAX_RUNTIMES) {
    throw new TencentApiError("InvalidParameterValue.CompatibleRuntimes", `CompatibleRuntimes has ${unique.length} runtimes; at most ${MAX_RUNTIMES} are allowed.`);
  }
  const unknown = unique.find((r) => !isScfRuntime(r));
  if (unknown !== undefined) throw new TencentApiError("InvalidParameterValue.CompatibleRuntimes", `CompatibleRuntimes contains an unsupported runtime: ${unknown}.`);
  return unique;
}

function zipContent(content: Params): Buffer {
  const text = optionalString(content, "ZipFile");
  if (!text) throw new TencentApiError("InvalidParameterValue.Content", "Content must carry ZipFile (base64 of a zip) or a COS object.");
  const bytes = base64Member(content, "ZipFile", text);
  if (!bytes) throw new TencentApiError("InvalidParameterValue.ZipFileBase64BinasciiError", "Content.ZipFile could not be base64-decoded: incorrect padding or characters.");
  if (bytes.length > MAX_INLINE_ZIP_BYTES) {
    throw new TencentApiError(
      "InvalidParameterValue.Content",
      `Content.ZipFile is ${bytes.length} bytes; inline zips are limited to ${MAX_INLINE_ZIP_BYTES} bytes, upload larger ones to COS.`,
    );
  }
  if (!isZip(bytes)) throw new TencentApiError("InvalidParameterValue.Content", "Content.ZipFile is not a zip archive.");
  return bytes;
}

/** A well-formed hex digest that is certainly not the stored zip's. */
function corruptChecksum(sha256: string): string {
  const last = sha256.at(-1) === "0" ? "1" : "0";
  return `${sha256.slice(0, -1)}${last}`;
}
