// The minimal function side of FC 3.0: CreateFunction and GetFunction (so there is something to
// version) and PublishFunctionVersion, whose reply is the `Version` structure
// {versionId, description, createdTime, lastModifiedTime} (no ARN in the 2023-03-30 model).
import { randomUUID } from "node:crypto";
import type { Reply } from "../types.js";
import type { AliyunContext } from "./index.js";
import { fcErrors, requestIdHeaders } from "./errors.js";
import { FunctionUpdates, functionLayers } from "./function-updates.js";
import type { OpContext } from "./layers.js";
import { FC_FUNCTION_RUNTIMES } from "./runtimes.js";
import { fcTime, type FunctionState, type FunctionVersionState } from "./state.js";
import { checkFunctionName, decodeCode, jsonBody, limits, optionalString } from "./validate.js";

export class FunctionOps {
  private readonly updates: FunctionUpdates;

  constructor(private readonly ctx: AliyunContext) {
    this.updates = new FunctionUpdates(ctx);
  }

  async update(op: OpContext): Promise<Reply> {
    const fn = this.fn(op, op.params.functionName!);
    await this.updates.update(op, fn);
    return this.ok(op, this.render(op, fn));
  }

  createAlias(op: OpContext): Promise<Reply> {
    return this.updates.createAlias(op, this.fn(op, op.params.functionName!));
  }

  updateAlias(op: OpContext): Promise<Reply> {
    return this.updates.updateAlias(op, this.fn(op, op.params.functionName!), op.params.aliasName!);
  }

  listAliases(op: OpContext): Reply {
    return this.updates.listAliases(op, this.fn(op, op.params.functionName!));
  }

  getAlias(op: OpContext): Reply {
    return this.updates.getAlias(op, this.fn(op, op.params.functionName!), op.params.aliasName!);
  }

  async create(op: OpContext): Promise<Reply> {
    const body = jsonBody(op.call);
    const name = body.functionName;
    if (typeof name !== "string" || name === "") throw fcErrors.invalidArgument("functionName is required");
    checkFunctionName(name);
    const runtime = body.runtime;
    if (typeof runtime !== "string" || runtime === "") throw fcErrors.invalidArgument("runtime is required");
    if (!FC_FUNCTION_RUNTIMES.includes(runtime)) throw fcErrors.invalidArgument(`runtime '${runtime}' is not supported; valid values: ${FC_FUNCTION_RUNTIMES.join(", ")}`);
    const handler = body.handler;
    if (typeof handler !== "string" || handler === "") throw fcErrors.invalidArgument("handler is required");
    const description = optionalString(body, "description", limits.maxDescription) ?? "";
    const memorySize = positiveInt(body, "memorySize", 128);
    const timeout = positiveInt(body, "timeout", 3);
    const code = decodeCode(body.code, false);
    const layers = body.layers === undefined || body.layers === null ? [] : functionLayers(op, body.layers);
    if (op.regionState.functions[name]) throw fcErrors.functionExists(name);
    if (code) await this.ctx.blobs.put(code.zip);

    const t = fcTime(this.ctx.now());
    const fn: FunctionState = {
      name,
      functionId: randomUUID(),
      runtime,
      handler,
      description,
      memorySize,
      timeout,
      codeChecksum: code?.checksum ?? "0",
      codeSize: code?.zip.length ?? 0,
      createdTime: t,
      lastModifiedTime: t,
      lastVersion: 0,
      versions: [],
      layers,
    };
    op.regionState.functions[name] = fn;
    await this.ctx.save();
    return this.ok(op, this.render(op, fn));
  }

  get(op: OpContext): Reply {
    const name = op.params.functionName!;
    const fn = this.fn(op, name);
    const qualifier = op.call.url.searchParams.get("qualifier");
    const version = qualifier && qualifier !== "LATEST" ? fn.versions.find((v) => v.versionId === qualifier) : undefined;
    if (qualifier && qualifier !== "LATEST" && !version) throw fcErrors.functionVersionNotFound(name, qualifier);
    return this.ok(op, this.render(op, fn, version));
  }

  async publishVersion(op: OpContext): Promise<Reply> {
    const name = op.params.functionName!;
    const fn = this.fn(op, name);
    const body = jsonBody(op.call);
    const description = optionalString(body, "description", limits.maxDescription) ?? "";
    const t = fcTime(this.ctx.now());
    fn.lastVersion += 1;
    const version = { versionId: String(fn.lastVersion), description, createdTime: t, lastModifiedTime: t, layers: [...(fn.layers ?? [])] };
    fn.versions.push(version);
    await this.ctx.save();
    const { layers: _kept, ...reply } = version;
    return this.ok(op, reply);
  }

  private fn(op: OpContext, name: string): FunctionState {
    const fn = op.regionState.functions[name];
    if (!fn) throw fcErrors.functionNotFound(name);
    return fn;
  }

  /** The `Function` structure; a published version shows its own layers (FunctionLayer: {arn, size}). */
  render(op: OpContext, fn: FunctionState, version?: FunctionVersionState): Record<string, unknown> {
    return {
      functionName: fn.name,
      functionId: fn.functionId,
      functionArn: `acs:fc:${op.region}:${op.accountId}:functions/${fn.name}`,
      runtime: fn.runtime,
      handler: fn.handler,
      description: fn.description,
      memorySize: fn.memorySize,
      timeout: fn.timeout,
      codeChecksum: fn.codeChecksum,
      codeSize: fn.codeSize,
      createdTime: fn.createdTime,
      lastModifiedTime: fn.lastModifiedTime,
      layers: ((version ? version.layers : fn.layers) ?? []).map((arn) => ({ arn, size: layerSize(op, arn) })),
      environmentVariables: {},
      state: "Active",
      lastUpdateStatus: this.updates.lastUpdateStatus(fn),
    };
  }

  private ok(op: OpContext, body: unknown): Reply {
    return { status: 200, headers: requestIdHeaders(op.call.requestId), body };
  }
}

function positiveInt(body: Record<string, unknown>, field: string, fallback: number): number {
  const v = body[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw fcErrors.invalidArgument(`${field} must be a positive integer`);
  return v;
}

const LAYER_ARN = /^acs:fc:([a-z0-9-]+):(\d+):layers\/([^/]+)\/versions\/(\d+)$/;

/** This account's layer version an ARN names, if any (another account's or an official one: not known here). */
function findLayerVersion(op: OpContext, arn: string) {
  const m = LAYER_ARN.exec(arn);
  if (!m || m[1] !== op.region || m[2] !== op.accountId) return undefined;
  return op.regionState.layers[m[3]!]?.versions.find((v) => v.version === Number(m[4]));
}

/** Size of a layer version a function uses; 0 once the version is deleted (the function keeps working). */
function layerSize(op: OpContext, arn: string): number {
  return findLayerVersion(op, arn)?.codeSize ?? 0;
}
