// Tencent Cloud SCF (API 2018-04-16) as the official SDK sees it: every call is POST / with
// X-TC-Action, signed with TC3-HMAC-SHA256, answered with HTTP 200 and {"Response": ...}.
import type { CloudEmulator, EmulatorContext, IncomingCall, Reply, SeedFunction } from "../types.js";
import { TencentApiError, errorReply, missing, okReply } from "./errors.js";
import { Functions } from "./functions.js";
import { Layers } from "./layers.js";
import type { Params } from "./params.js";
import { header, verifySignature } from "./signature.js";
import { loadState, regionState } from "./state.js";

export const API_VERSION = "2018-04-16";
const DEFAULT_REGION = "ap-guangzhou";

export function createTencentEmulator(ctx: EmulatorContext, saved: unknown, seeds: SeedFunction[]): CloudEmulator {
  const state = loadState(saved);
  const region = (name: string) => regionState(state, name);
  const layers = new Layers(ctx, region);
  const functions = new Functions(ctx, region, seeds);

  type Handler = (regionName: string, params: Params, call: IncomingCall) => Record<string, unknown> | Promise<Record<string, unknown>>;
  const actions: Record<string, Handler> = {
    PublishLayerVersion: (r, p, c) => layers.publish(r, p, c),
    GetLayerVersion: (r, p, c) => layers.get(r, p, c),
    ListLayerVersions: (r, p) => layers.list(r, p),
    ListLayers: (r, p) => layers.listLayers(r, p),
    DeleteLayerVersion: (r, p) => layers.delete(r, p),
    CreateFunction: (r, p) => functions.create(r, p),
    GetFunction: (r, p) => functions.get(r, p),
    PublishVersion: (r, p) => functions.publishVersion(r, p),
  };

  return {
    provider: "tencent",

    // API 3.0 has a single path; AWS and Aliyun put a dated version in theirs, so POST / is ours.
    route(call) {
      if (call.method !== "POST" || call.rawPath !== "/") return null;
      return header(call, "x-tc-action") ?? "(no X-TC-Action)";
    },

    async handle(call, action) {
      try {
        if (!header(call, "x-tc-action")) throw missing("X-TC-Action");
        const version = header(call, "x-tc-version");
        if (!version) throw missing("X-TC-Version");
        const { secretId, secretKey } = ctx.credentials.tencent;
        verifySignature(call, { secretId, secretKey }, ctx.now().getTime(), ctx.options.maxClockSkewMs);
        const handler = Object.hasOwn(actions, action) ? actions[action] : undefined;
        if (!handler || version !== API_VERSION) {
          throw new TencentApiError("InvalidAction", `The action ${action} of version ${version} does not exist for this service.`);
        }
        const params = parseBody(call);
        const regionName = header(call, "x-tc-region") || DEFAULT_REGION;
        return okReply(call.requestId, await handler(regionName, params, call));
      } catch (err) {
        if (err instanceof TencentApiError) return errorReply(call.requestId, err.code, err.message);
        throw err;
      }
    },

    // The service's own shapes: both are HTTP 200 with an error code, as the real API answers
    // them. (A gateway in front of it could also send a bare 5xx; the adapter handles that too.)
    faultReply(kind, call): Reply {
      return kind === "throttle"
        ? errorReply(call.requestId, "RequestLimitExceeded", "The request rate exceeds the limit for this action; retry later.")
        : errorReply(call.requestId, "InternalError", "An internal error occurred; retry later.");
    },

    state: () => state,
  };
}

function parseBody(call: IncomingCall): Params {
  const contentType = (header(call, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (contentType !== "application/json") {
    throw new TencentApiError(
      "InvalidParameter",
      `Content-Type ${contentType || "(none)"} is not accepted here: TC3-HMAC-SHA256 requests to this action send application/json.`,
    );
  }
  if (call.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.body.toString("utf8"));
  } catch {
    throw new TencentApiError("InvalidParameter", "The request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new TencentApiError("InvalidParameter", "The request body must be a JSON object.");
  }
  return parsed as Params;
}
