// The reads an in-use scan needs, and PutLayerACL. Shapes from the 2023-03-30 API reference:
// ListFunctions GET /2023-03-30/functions?limit&nextToken&prefix -> {functions: [Function],
// nextToken}; ListFunctionVersions GET /2023-03-30/functions/{name}/versions?limit&nextToken&direction
// -> {direction, nextToken, versions: [{versionId, description, createdTime, lastModifiedTime}]};
// PutLayerACL PUT /2023-03-30/layers/{name}/acl?acl=1|0 (or the deprecated public=true|false),
// answered with `{}` ("当前API暂无返回参数"; the SDK reads no body: bodyType "none").
import type { EmulatorContext, Reply } from "../types.js";
import { fcErrors, requestIdHeaders } from "./errors.js";
import type { FunctionOps } from "./functions.js";
import type { OpContext } from "./layers.js";
import { listLimit } from "./validate.js";

function ok(op: OpContext, body: unknown): Reply {
  return { status: 200, headers: requestIdHeaders(op.call.requestId), body };
}

/** By name; nextToken is the name the next page starts at (opaque to clients). */
export function listFunctions(op: OpContext, functions: FunctionOps): Reply {
  const q = op.call.url.searchParams;
  const limit = listLimit(op.call);
  const prefix = q.get("prefix") ?? "";
  const token = q.get("nextToken") ?? "";
  const names = Object.keys(op.regionState.functions)
    .filter((n) => n.startsWith(prefix) && n >= token)
    .sort();
  const page = names.slice(0, limit);
  const out: Record<string, unknown> = { functions: page.map((n) => functions.render(op, op.regionState.functions[n]!)) };
  if (names.length > limit) out.nextToken = names[limit];
  return ok(op, out);
}

/** Newest first by default (direction BACKWARD); nextToken is the version id the next page starts at. */
export function listFunctionVersions(op: OpContext): Reply {
  const name = op.params.functionName!;
  const fn = op.regionState.functions[name];
  if (!fn) throw fcErrors.functionNotFound(name);
  const q = op.call.url.searchParams;
  const limit = listLimit(op.call);
  const direction = q.get("direction") || "BACKWARD";
  if (direction !== "BACKWARD" && direction !== "FORWARD") throw fcErrors.invalidArgument("direction must be BACKWARD or FORWARD");
  const ordered = [...fn.versions].sort((a, b) => (Number(a.versionId) - Number(b.versionId)) * (direction === "FORWARD" ? 1 : -1));
  const token = q.get("nextToken");
  const start = token ? ordered.findIndex((v) => v.versionId === token) : 0;
  if (start === -1) throw fcErrors.invalidArgument(`nextToken '${token}' is not valid`);
  const page = ordered.slice(start, start + limit);
  const out: Record<string, unknown> = {
    direction,
    versions: page.map((v) => ({ versionId: v.versionId, description: v.description, createdTime: v.createdTime, lastModifiedTime: v.lastModifiedTime })),
  };
  if (start + limit < ordered.length) out.nextToken = ordered[start + limit]!.versionId;
  return ok(op, out);
}

/** The ACL belongs to the layer: every version, and versions published later, get it. */
export async function putLayerAcl(op: OpContext, ctx: EmulatorContext): Promise<Reply> {
  const name = op.params.layerName!;
  const layer = op.regionState.layers[name];
  if (!layer || layer.versions.length === 0) throw fcErrors.layerNotFound(name);
  const q = op.call.url.searchParams;
  const acl = q.get("acl");
  const legacy = q.get("public");
  let value: "0" | "1";
  if (acl !== null && acl !== "") {
    if (acl !== "0" && acl !== "1") throw fcErrors.invalidArgument("acl must be 1 (public) or 0 (private)");
    value = acl;
  } else if (legacy === "true" || legacy === "false") {
    value = legacy === "true" ? "1" : "0";
  } else {
    throw fcErrors.invalidArgument("acl is required: 1 (public) or 0 (private)");
  }
  layer.acl = value;
  for (const v of layer.versions) v.acl = value;
  await ctx.save();
  return ok(op, {});
}
