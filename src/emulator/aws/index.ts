// AWS Lambda's layer API (restJson1 over SigV4), as @aws-sdk/client-lambda speaks it.
// Order of checks mirrors the service: request size, then authentication, then the body, then
// model validation, then the operation.
import type { CloudEmulator, EmulatorContext, IncomingCall, Reply, SeedFunction } from "../types.js";
import { AwsApiError, errorReply, serviceError, throttled } from "./errors.js";
import { createFunction, getFunction, publishVersion } from "./functions.js";
import {
  addLayerVersionPermission,
  deleteLayerVersion,
  getLayerVersion,
  getLayerVersionByArn,
  getLayerVersionPolicy,
  listLayers,
  listLayerVersions,
  publishLayerVersion,
  removeLayerVersionPermission,
} from "./layers.js";
import { parseJsonBody, type AwsDeps, type AwsRequest } from "./request.js";
import { UNKNOWN_OPERATION, matchRoute } from "./routes.js";
import { verifySigV4 } from "./signature.js";
import { loadState } from "./state.js";

/** Lambda rejects larger requests before reading them (a 50 MB zip, base64-encoded, is just over). */
export const MAX_REQUEST_BYTES = 69_905_067;

type Handler = (req: AwsRequest, deps: AwsDeps) => Promise<Reply>;

const HANDLERS: Record<string, Handler> = {
  PublishLayerVersion: publishLayerVersion,
  GetLayerVersion: getLayerVersion,
  GetLayerVersionByArn: getLayerVersionByArn,
  ListLayerVersions: listLayerVersions,
  ListLayers: listLayers,
  DeleteLayerVersion: deleteLayerVersion,
  AddLayerVersionPermission: addLayerVersionPermission,
  GetLayerVersionPolicy: getLayerVersionPolicy,
  RemoveLayerVersionPermission: removeLayerVersionPermission,
  PublishVersion: publishVersion,
  CreateFunction: createFunction,
  GetFunction: getFunction,
};

export function createAwsEmulator(ctx: EmulatorContext, saved: unknown, seeds: SeedFunction[]): CloudEmulator {
  const deps: AwsDeps = { ctx, state: loadState(saved), seedNames: new Set(seeds.map((s) => s.name)) };

  async function handle(call: IncomingCall, action: string): Promise<Reply> {
    if (call.body.length > MAX_REQUEST_BYTES) {
      throw new AwsApiError("RequestEntityTooLargeException", `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the ${action} operation`);
    }
    const identity = verifySigV4(call, ctx.credentials.aws, ctx.now(), ctx.options.maxClockSkewMs);
    const route = matchRoute(call);
    const handler = HANDLERS[action];
    if (!route || action === UNKNOWN_OPERATION || !handler) {
      throw new AwsApiError("UnknownOperationException", `The layerctl emulator does not implement ${call.method} ${call.rawPath}`);
    }
    const req: AwsRequest = {
      call,
      region: identity.region,
      account: ctx.credentials.aws.accountId,
      params: route.params,
      query: call.url.searchParams,
      body: call.method === "POST" ? parseJsonBody(call) : {},
    };
    return handler(req, deps);
  }

  return {
    provider: "aws",
    route: (call) => matchRoute(call)?.action ?? null,
    async handle(call, action) {
      try {
        return await handle(call, action);
      } catch (err) {
        if (err instanceof AwsApiError) return errorReply(err, call.requestId);
        throw err;
      }
    },
    faultReply: (kind, call) => errorReply(kind === "throttle" ? throttled() : serviceError(), call.requestId),
    state: () => deps.state,
  };
}
