// Alibaba Cloud Function Compute 3.0 (API 2023-03-30, ROA, ACS3-HMAC-SHA256) as the official
// @alicloud/fc20230330 SDK sees it: same paths, signature checks, JSON shapes and error codes.
import { randomUUID } from "node:crypto";
import type { CloudEmulator, EmulatorContext, IncomingCall, Reply, SeedFunction } from "../types.js";
import { errorReply, FcError, fcErrors } from "./errors.js";
import { FunctionOps } from "./functions.js";
import { LayerOps, type OpContext } from "./layers.js";
import { requestRegion } from "./region.js";
import { matchRoute, UNKNOWN_OPERATION } from "./routes.js";
import { Acs3Verifier } from "./signature.js";
import { restoreState, seedFunction, type RegionState } from "./state.js";

export function createAliyunEmulator(ctx: EmulatorContext, saved: unknown, seeds: SeedFunction[]): CloudEmulator {
  const state = restoreState(saved);
  const verifier = new Acs3Verifier(ctx);
  const layers = new LayerOps(ctx);
  const functions = new FunctionOps(ctx);

  function regionState(region: string): RegionState {
    let rs = state.regions[region];
    if (!rs) {
      rs = state.regions[region] = { layers: {}, functions: {} };
    }
    for (const seed of seeds) rs.functions[seed.name] ??= seedFunction(seed, ctx.now(), randomUUID());
    return rs;
  }
  // Seeds exist from the start in the regions already known (a new region gets them on first use).
  for (const region of Object.keys(state.regions)) regionState(region);

  const operations: Record<string, (op: OpContext) => Reply | Promise<Reply>> = {
    CreateLayerVersion: (op) => layers.create(op),
    GetLayerVersion: (op) => layers.get(op),
    GetLayerVersionByArn: (op) => layers.getByArn(op),
    ListLayerVersions: (op) => layers.list(op),
    ListLayers: (op) => layers.listLayers(op),
    DeleteLayerVersion: (op) => layers.delete(op),
    CreateFunction: (op) => functions.create(op),
    GetFunction: (op) => functions.get(op),
    PublishFunctionVersion: (op) => functions.publishVersion(op),
  };

  return {
    provider: "aliyun",

    route(call: IncomingCall): string | null {
      return matchRoute(call)?.action ?? null;
    },

    async handle(call: IncomingCall, action: string): Promise<Reply> {
      try {
        // Authentication comes first, as at the gateway: an unsigned request learns nothing.
        const caller = verifier.verify(call);
        const region = requestRegion(call, caller.accountId);
        const operation = operations[action];
        if (action === UNKNOWN_OPERATION || !operation) throw fcErrors.pathNotSupported(call.method, call.rawPath);
        const params = matchRoute(call)?.params ?? [];
        return await operation({ call, params, region, accountId: caller.accountId, regionState: regionState(region) });
      } catch (err) {
        if (err instanceof FcError) return errorReply(err, call.requestId);
        throw err;
      }
    },

    faultReply(kind, call): Reply {
      return errorReply(kind === "throttle" ? fcErrors.throttled() : fcErrors.internal(), call.requestId);
    },

    state: () => state,
  };
}
