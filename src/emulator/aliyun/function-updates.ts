// The update side of FC 3.0 functions: UpdateFunction (layers, description) with
// lastUpdateStatus InProgress for functionUpdateDelayMs then Successful, and CreateAlias /
// UpdateAlias / GetAlias (the `Alias` structure {aliasName, versionId, description, createdTime,
// lastModifiedTime}). (GetFunction's layers are the read side's: functions.ts.)
// FC documents at most 5 layers per function; its error for more, and for an update while one is
// in progress, are not documented: InvalidArgument and 409 ConcurrentUpdateError are our choice
// (unconfirmed).
import type { Reply } from "../types.js";
import type { AliyunContext } from "./index.js";
import { setAlias, updateInProgress, type AliasState } from "../function-updates.js";
import { FcError, fcErrors, requestIdHeaders } from "./errors.js";
import type { OpContext } from "./layers.js";
import { fcTime, type FunctionState } from "./state.js";
import { jsonBody, limits, listLimit, optionalString } from "./validate.js";

/** At most 5 layers per function (release-apis.md, "Attach to functions"). */
const MAX_LAYERS = 5;
/** A layer version ARN: this account's, another's (a shared public layer), or FC's official ones (account "official"). */
const LAYER_ARN = /^acs:fc:([a-z0-9-]+):(\d+|official):layers\/([^/]+)\/versions\/(\d+)$/;

/**
 * A function's `layers` entries (CreateFunction and UpdateFunction alike): ARNs of layer versions
 * in the function's region; this account's must exist. Another account's public layer or FC's
 * official ones (acs:fc:<region>:official:layers/<name>/versions/<n>) are accepted as FC accepts
 * them: the emulator holds no other account's layers to check against. The references are silent
 * on the errors: InvalidArgument for a malformed list and LayerVersionNotFound for a missing version
 * are our choices.
 */
export function functionLayers(op: OpContext, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((l) => typeof l !== "string")) throw fcErrors.invalidArgument("layers must be an array of layer version ARNs");
  if (value.length > MAX_LAYERS) throw fcErrors.invalidArgument(`layers can hold at most ${MAX_LAYERS} items, got ${value.length}`);
  const seen = new Set<string>();
  for (const arn of value as string[]) {
    const m = LAYER_ARN.exec(arn);
    if (!m) throw fcErrors.invalidArgument(`'${arn}' is not a layer version ARN (acs:fc:{region}:{accountId}:layers/{layerName}/versions/{version})`);
    const [, region, account, name, version] = m as unknown as [string, string, string, string, string];
    const own = account === op.accountId;
    if (region !== op.region || (own && !op.regionState.layers[name]?.versions.some((v) => v.version === Number(version)))) {
      throw fcErrors.layerVersionNotFound(name, version);
    }
    // The same layer is its ARN without the version: a same-named layer of another account is another layer.
    const layer = arn.replace(/\/versions\/\d+$/, "");
    if (seen.has(layer)) throw fcErrors.invalidArgument(`layers names layer '${name}' more than once`);
    seen.add(layer);
  }
  return [...(value as string[])];
}
const ALIAS_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]{0,127}$/;

export class FunctionUpdates {
  constructor(private readonly ctx: AliyunContext) {}

  lastUpdateStatus(fn: FunctionState): "InProgress" | "Successful" {
    return updateInProgress(fn, this.ctx.now(), this.ctx.tuning.functionUpdateDelayMs) ? "InProgress" : "Successful";
  }

  /** UpdateFunction: PUT /2023-03-30/functions/{functionName}; answers the Function structure (rendered by the caller). */
  async update(op: OpContext, fn: FunctionState): Promise<void> {
    if (this.lastUpdateStatus(fn) === "InProgress") {
      throw new FcError(409, "ConcurrentUpdateError", `function '${fn.name}' is being updated; try again when lastUpdateStatus is Successful`);
    }
    const body = jsonBody(op.call);
    const description = optionalString(body, "description", limits.maxDescription);
    if (body.layers !== undefined && body.layers !== null) fn.layers = functionLayers(op, body.layers);
    if (description !== undefined) fn.description = description;
    fn.lastModifiedTime = fcTime(this.ctx.now());
    fn.updateStartedAtMs = this.ctx.now().getTime();
    await this.ctx.save();
  }

  async createAlias(op: OpContext, fn: FunctionState): Promise<Reply> {
    const body = jsonBody(op.call);
    const name = body.aliasName;
    if (typeof name !== "string" || !ALIAS_NAME.test(name)) throw fcErrors.invalidArgument("aliasName is required: 1-128 letters, digits, _ and -, starting with a letter or _");
    const version = body.versionId;
    if (typeof version !== "string" || version === "") throw fcErrors.invalidArgument("versionId is required");
    requireVersion(fn, version);
    if (fn.aliases?.[name]) throw new FcError(409, "AliasAlreadyExists", `alias '${name}' of function '${fn.name}' already exists`);
    const alias = setAlias(fn, name, version, optionalString(body, "description", limits.maxDescription), this.ctx.now());
    await this.ctx.save();
    return ok(op, aliasBody(alias));
  }

  async updateAlias(op: OpContext, fn: FunctionState, name: string): Promise<Reply> {
    const existing = fn.aliases?.[name];
    if (!existing) throw aliasNotFound(fn.name, name);
    const body = jsonBody(op.call);
    const version = body.versionId;
    if (version !== undefined && (typeof version !== "string" || version === "")) throw fcErrors.invalidArgument("versionId must be a version id");
    if (typeof version === "string") requireVersion(fn, version);
    const alias = setAlias(fn, name, (version as string | undefined) ?? existing.version, optionalString(body, "description", limits.maxDescription), this.ctx.now());
    await this.ctx.save();
    return ok(op, aliasBody(alias));
  }

  /**
   * ListAliases GET /2023-03-30/functions/{name}/aliases?limit&nextToken&prefix -> {aliases:
   * [Alias], nextToken} (the SDK's ListAliasesOutput): what `aliyun fc` scripts read. By name;
   * nextToken is the name the next page starts at (opaque to clients; references silent on its form).
   */
  listAliases(op: OpContext, fn: FunctionState): Reply {
    const q = op.call.url.searchParams;
    const limit = listLimit(op.call);
    const prefix = q.get("prefix") ?? "";
    const token = q.get("nextToken") ?? "";
    const names = Object.keys(fn.aliases ?? {})
      .filter((n) => n.startsWith(prefix) && n >= token)
      .sort();
    const out: Record<string, unknown> = { aliases: names.slice(0, limit).map((n) => aliasBody(fn.aliases![n]!)) };
    if (names.length > limit) out.nextToken = names[limit];
    return ok(op, out);
  }

  getAlias(op: OpContext, fn: FunctionState, name: string): Reply {
    const alias = fn.aliases?.[name];
    if (!alias) throw aliasNotFound(fn.name, name);
    return ok(op, aliasBody(alias));
  }
}

function requireVersion(fn: FunctionState, version: string): void {
  if (!fn.versions.some((v) => v.versionId === version)) throw fcErrors.functionVersionNotFound(fn.name, version);
}

function aliasNotFound(fn: string, alias: string): FcError {
  return new FcError(404, "AliasNotFound", `alias '${alias}' of function '${fn}' does not exist`);
}

function aliasBody(a: AliasState): Record<string, unknown> {
  return {
    aliasName: a.name,
    versionId: a.version,
    description: a.description,
    createdTime: fcTime(new Date(a.createdAtMs)),
    lastModifiedTime: fcTime(new Date(a.updatedAtMs)),
    additionalVersionWeight: {},
  };
}

function ok(op: OpContext, body: unknown): Reply {
  return { status: 200, headers: requestIdHeaders(op.call.requestId), body };
}
