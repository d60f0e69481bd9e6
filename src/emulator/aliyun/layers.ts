// Layer operations of FC 3.0: CreateLayerVersion, GetLayerVersion, GetLayerVersionByArn,
// ListLayerVersions, ListLayers, DeleteLayerVersion. Replies are the `Layer` structure of the
// 2023-03-30 API (see @alicloud/fc20230330 models/Layer.ts and the CreateLayerVersion reference).
import type { IncomingCall, Reply } from "../types.js";
import type { AliyunContext } from "./index.js";
import { fcErrors, requestIdHeaders } from "./errors.js";
import { fcTime, type LayerState, type LayerVersionState, type RegionState } from "./state.js";
import { checkLayerName, compatibleRuntimes, decodeCode, jsonBody, limits, listLimit, optionalString } from "./validate.js";
import type { OssEmulator } from "./oss.js";

export interface OpContext {
  call: IncomingCall;
  /** Path labels of the route, percent-decoded. */
  params: Record<string, string>;
  region: string;
  accountId: string;
  regionState: RegionState;
}

const ARN = /^acs:fc:([a-z0-9-]+):(\d+):layers\/([^/]+)\/versions\/(\d+)$/;

export function layerVersionArn(region: string, accountId: string, name: string, version: number): string {
  return `acs:fc:${region}:${accountId}:layers/${name}/versions/${version}`;
}

export class LayerOps {
  constructor(
    private readonly ctx: AliyunContext,
    private readonly oss: OssEmulator,
  ) {}

  async create(op: OpContext): Promise<Reply> {
    const name = op.params.layerName!;
    checkLayerName(name);
    const body = jsonBody(op.call);
    const runtimes = compatibleRuntimes(body);
    const description = optionalString(body, "description", limits.maxDescription) ?? "";
    const license = optionalString(body, "license", limits.maxLicense) ?? "";
    const code = decodeCode(body.code, true, await this.ossContent(body.code, op.region))!;

    const blob = await this.ctx.blobs.put(code.zip);
    const layer = (op.regionState.layers[name] ??= { name, lastVersion: 0, versions: [] });
    const version: LayerVersionState = {
      version: layer.lastVersion + 1,
      description,
      license,
      compatibleRuntime: runtimes,
      blob,
      codeSize: code.zip.length,
      codeChecksum: code.checksum,
      createTime: fcTime(this.ctx.now()),
      // The ACL is the layer's: a new version is as public as the layer already is.
      acl: layer.acl ?? "0",
    };
    layer.lastVersion = version.version;
    layer.versions.push(version);
    await this.ctx.save();
    return this.ok(op, this.render(op, layer, version));
  }

  /**
   * code.ossBucketName/ossObjectName: FC reads the zip from OSS in its own region. FC's references
   * are silent on the errors for a missing bucket or object; InvalidArgument (400) quoting OSS's
   * code is used, as FC answers other bad code locations.
   */
  private async ossContent(value: unknown, region: string): Promise<Buffer | undefined> {
    if (!value || typeof value !== "object") return undefined;
    const code = value as Record<string, unknown>;
    if (code.ossBucketName === undefined && code.ossObjectName === undefined) return undefined;
    const bucket = code.ossBucketName;
    const object = code.ossObjectName;
    if (typeof bucket !== "string" || bucket === "" || typeof object !== "string" || object === "") {
      throw fcErrors.invalidArgument("code.ossBucketName and code.ossObjectName must both be given");
    }
    const got = await this.oss.readForFc(bucket, object, region);
    if (got.ok) return got.bytes;
    if (got.reason === "no-key") throw fcErrors.invalidArgument(`failed to get object '${object}' from OSS bucket '${bucket}': NoSuchKey`);
    if (got.reason === "other-region") throw fcErrors.invalidArgument(`OSS bucket '${bucket}' is not in region ${region}: the code must be in a bucket of the function's region`);
    throw fcErrors.invalidArgument(`failed to get object '${object}' from OSS bucket '${bucket}': NoSuchBucket`);
  }

  get(op: OpContext): Reply {
    const { layerName: name, version: raw } = op.params as { layerName: string; version: string };
    const [layer, version] = this.layerVersion(op, name, raw);
    return this.ok(op, this.render(op, layer, version));
  }

  getByArn(op: OpContext): Reply {
    const arn = op.params.arn!;
    const m = ARN.exec(arn);
    if (!m) throw fcErrors.invalidArgument(`'${arn}' is not a layer version ARN (acs:fc:{region}:{accountId}:layers/{layerName}/versions/{version})`);
    const [, region, account, name, version] = m as unknown as [string, string, string, string, string];
    // Only this account's layers in this region are known here (no public or official layers).
    if (region !== op.region || account !== op.accountId) throw fcErrors.layerVersionNotFound(name, version);
    const [layer, found] = this.layerVersion(op, name, version);
    return this.ok(op, this.render(op, layer, found));
  }

  list(op: OpContext): Reply {
    const name = op.params.layerName!;
    const layer = this.layer(op, name);
    const limit = listLimit(op.call);
    const startRaw = op.call.url.searchParams.get("startVersion");
    let start = 1;
    if (startRaw !== null && startRaw !== "") {
      start = Number(startRaw);
      if (!Number.isInteger(start) || start < 1) throw fcErrors.invalidArgument("startVersion must be a positive integer");
    }
    // Ascending from startVersion; nextVersion is where the next page starts.
    const from = layer.versions.filter((v) => v.version >= start);
    const page = from.slice(0, limit);
    const out: Record<string, unknown> = { layers: page.map((v) => this.render(op, layer, v)) };
    if (from.length > limit) out.nextVersion = from[limit]!.version;
    return this.ok(op, out);
  }

  listLayers(op: OpContext): Reply {
    const q = op.call.url.searchParams;
    const limit = listLimit(op.call);
    const prefix = q.get("prefix") ?? "";
    const token = q.get("nextToken") ?? "";
    // This account has no official layers; public=true lists its layers made public with PutLayerACL.
    if (q.get("official") === "true") return this.ok(op, { layers: [] });
    const onlyPublic = q.get("public") === "true";
    const names = Object.keys(op.regionState.layers)
      .filter((n) => n.startsWith(prefix) && n >= token && op.regionState.layers[n]!.versions.length > 0)
      .filter((n) => !onlyPublic || op.regionState.layers[n]!.acl === "1")
      .sort();
    const page = names.slice(0, limit);
    const out: Record<string, unknown> = {
      // Each layer is shown by its newest version.
      layers: page.map((n) => {
        const layer = op.regionState.layers[n]!;
        return this.render(op, layer, layer.versions[layer.versions.length - 1]!);
      }),
    };
    if (names.length > limit) out.nextToken = names[limit];
    return this.ok(op, out);
  }

  async delete(op: OpContext): Promise<Reply> {
    const { layerName: name, version: raw } = op.params as { layerName: string; version: string };
    const [layer, version] = this.layerVersion(op, name, raw);
    layer.versions = layer.versions.filter((v) => v !== version);
    await this.ctx.save();
    // DeleteLayerVersion's reply has no body (the SDK reads it as bodyType "none").
    return { status: 204, headers: requestIdHeaders(op.call.requestId), body: Buffer.alloc(0) };
  }

  private layer(op: OpContext, name: string): LayerState {
    const layer = op.regionState.layers[name];
    if (!layer) throw fcErrors.layerNotFound(name);
    return layer;
  }

  // Operations on one version answer LayerVersionNotFound whether the version or the whole
  // layer is missing; LayerNotFound is for operations on the layer (ListLayerVersions).
  private layerVersion(op: OpContext, name: string, raw: string): [LayerState, LayerVersionState] {
    const layer = op.regionState.layers[name];
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    const found = layer?.versions.find((v) => v.version === n);
    if (!layer || !found) throw fcErrors.layerVersionNotFound(name, raw);
    return [layer, found];
  }

  private render(op: OpContext, layer: LayerState, v: LayerVersionState): Record<string, unknown> {
    return {
      acl: v.acl,
      code: { location: this.ctx.blobUrl(v.blob), repositoryType: "OSS" },
      codeChecksum: op.call.corruptChecksum ? corrupt(v.codeChecksum) : v.codeChecksum,
      codeSize: v.codeSize,
      compatibleRuntime: v.compatibleRuntime,
      createTime: v.createTime,
      description: v.description,
      layerName: layer.name,
      layerVersionArn: layerVersionArn(op.region, op.accountId, layer.name, v.version),
      license: v.license,
      version: v.version,
    };
  }

  private ok(op: OpContext, body: unknown): Reply {
    return { status: 200, headers: requestIdHeaders(op.call.requestId), body };
  }
}

/** A checksum that is certainly not the stored zip's (one bit flipped), for the bad-checksum fault. */
function corrupt(checksum: string): string {
  return (BigInt(checksum) ^ 1n).toString(10);
}
