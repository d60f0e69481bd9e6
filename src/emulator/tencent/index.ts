// Tencent Cloud SCF (API 2018-04-16) as the official SDK sees it: every call is POST / with
// X-TC-Action, signed with TC3-HMAC-SHA256, answered with HTTP 200 and {"Response": ...}.
//
// Operations served, and why:
//   PublishLayerVersion, GetLayerVersion, ListLayerVersions  what `layerctl publish/get/versions` call
//   ListLayers                                              `layerctl layers` and the conformance suite
//   DescribeRegions (Region Management System, 2022-06-27)  `--region tencent:all` (./regions.ts)
//   DeleteLayerVersion                                      freeing the 200-versions quota; lifecycle
//   UpdateFunctionConfiguration (Layers; Updating for       `layerctl attach`, `publish --attach`
//     functionUpdateDelayMs), Create/Update/GetAlias,       (function-updates.ts)
//     ListAliases
//   GetFunction (Qualifier: a version's Status is           waiting for a new function version before
//     Publishing, then Active)                              an alias points at it; tccli scripts
//   CreateFunction, GetFunction                             so there is a function to version
//   PublishVersion (asynchronous: Publishing for            `layerctl publish-function`, attach --alias
//     functionUpdateDelayMs)
//   ListNamespaces, ListFunctions, ListVersionByFunction    `layerctl prune`'s in-use scan (with GetFunction's Layers)
//   COS (./cos.ts, same port)                               staging big layers
//   STS AssumeRole, AssumeRoleWithWebIdentity,              credentials: --role-arn, the TKE_* OIDC
//     GetCallerIdentity (./sts.ts, X-TC-Version 2018-08-13)  variables; their keys need their X-TC-Token
// Adding one: an entry in `operations` below (the action name and its handler) and the handler in
// layers.ts / functions.ts (or a new file for a new resource). API 3.0 has one path, so there is
// no route: the X-TC-Action header names the operation.
import type { IncomingCall, Reply } from "../types.js";
import { defineCloud, emptyLayersAndFunctions, dict, type BaseTuning, type CloudContext, type Operation } from "../cloud.js";
import { CosEmulator } from "./cos.js";
import { TencentApiError, errorReply, missing, okReply } from "./errors.js";
import { functionReads } from "./function-reads.js";
import { Functions } from "./functions.js";
import { FunctionUpdates } from "./function-updates.js";
import { Layers } from "./layers.js";
import { describeRegions, REGION_API_VERSION } from "./regions.js";
import type { Params } from "./params.js";
import { checkAuthHeaders, checkSignature, header, tokenExpired, type AdmittedAuthorization } from "./signature.js";
import type { RegionState } from "./state.js";
import { KeyStore, UPPER_ALNUM } from "../keys.js";
import { STS_ACTIONS, STS_VERSION, stsOperations, UNSIGNED_ACTIONS } from "./sts.js";
import { parseJsonBuffer } from "../json-body.js";

export const API_VERSION = "2018-04-16";
/**
 * Actions of other services served on the same endpoint, with their API version. Real requests
 * for them go to another host (region.tencentcloudapi.com), which the SDK also signs as the
 * service: pointed at one emulator endpoint, only the action and its version tell them apart.
 */
const VERSIONS: Record<string, string> = { DescribeRegions: REGION_API_VERSION };
const DEFAULT_REGION = "ap-guangzhou";

export interface TencentCredentials {
  secretId: string;
  secretKey: string;
  /** The account's APPID: the suffix of its COS bucket names (layers-1250000000). */
  appId: string;
  /** The account's uin (GetCallerIdentity's AccountId). */
  uin: string;
}

export interface TencentTuning extends BaseTuning {
  /** How long a new layer version stays `Publishing` before `Active`. */
  publishDelayMs: number;
  /** Layers a region may hold: SCF's default quota is 20 (document 583/11637); a raised quota is more. */
  layersPerRegion: number;
}

export type TencentContext = CloudContext<TencentCredentials, TencentTuning, RegionState>;

/** What every handler receives. */
export interface TencentRequest {
  region: string;
  params: Params;
  call: IncomingCall;
  /** Who signed the call; null for an unsigned STS call (`Authorization: SKIP`). */
  caller: AdmittedAuthorization | null;
}

/** Handlers return the Response members; the envelope (RequestId, HTTP 200) is added here. */
const json =
  (fn: (q: TencentRequest) => Record<string, unknown> | Promise<Record<string, unknown>>): Operation<TencentRequest>["run"] =>
  async (q) =>
    okReply(q.call.requestId, await fn(q));

export const tencentCloud = defineCloud({
  provider: "tencent",
  credentials: { secretId: "AKIDlayerctlEmulatorKey0000000000", secretKey: "layerctl-emulator-tencent-secret", appId: "1250000000", uin: "100012345678" } as TencentCredentials,
  env: (c, url) => ({
    TENCENTCLOUD_SECRET_ID: c.secretId,
    TENCENTCLOUD_SECRET_KEY: c.secretKey,
    // Empty on purpose: a session token from the user's shell must not ride along to the emulator
    // (every spelling layerctl reads).
    TENCENTCLOUD_SESSION_TOKEN: "",
    TENCENTCLOUD_TOKEN: "",
    TENCENTCLOUD_SECURITY_TOKEN: "",
    LAYERCTL_ENDPOINT_TENCENT: url,
    // COS and STS answer on the same port (see ./cos.ts, ./sts.ts).
    LAYERCTL_STORAGE_ENDPOINT_TENCENT: url,
    LAYERCTL_STS_ENDPOINT_TENCENT: url,
  }),
  tuning: {
    publishDelayMs: 1000,
    layersPerRegion: 20,
    functionUpdateDelayMs: 1000,
    // Common error codes of API 3.0: "Timestamp and server time cannot differ by more than five minutes".
    maxClockSkewMs: 5 * 60 * 1000,
    // The API 3.0 signing guide allows 10 MB per TC3 POST, but SCF documents 20 MB inline ZipFile
    // (26.7 MB of base64): the emulator keeps the larger, so the 20 MB check answers such uploads.
    maxRequestBytes: 32 * 1024 * 1024,
  } as TencentTuning,
  tuningAliases: (o) => {
    const publishDelayMs = o.tencentPublishDelayMs ?? o.publishDelayMs;
    return publishDelayMs !== undefined ? { publishDelayMs } : {};
  },
  state: { format: 1, emptyRegion: (): RegionState => emptyLayersAndFunctions() },
  // API 3.0 has a single path. AWS and Aliyun put a dated version in their layer APIs' paths, but
  // their STS answer at POST / too: an API 3.0 request is told by its X-TC-* headers or its TC3
  // Authorization.
  owns: {
    rpc: {
      method: "POST",
      path: "/",
      actionHeader: "x-tc-action",
      recognise: (call) => Object.keys(call.headers).some((h) => h.startsWith("x-tc-")) || /^TC3-/.test(String(call.headers.authorization ?? "")),
    },
  },

  setup(ctx: TencentContext, seeds) {
    // Temporary keys: `AKID` and 32 more characters, as the STS hands them out (TmpSecretId).
    // SCF and COS both take them, with their token.
    const keys = new KeyStore(
      () => ({ keyId: ctx.credentials.secretId, secret: ctx.credentials.secretKey, account: ctx.credentials.uin }),
      { idPrefix: "AKID", idLength: 32, idAlphabet: UPPER_ALNUM, secretBytes: 30, tokenBytes: 180 },
      ctx.now,
    );
    // COS shares the port; its requests are told apart by their Host name (see ./cos.ts).
    const cos = new CosEmulator(ctx, keys);
    const layers = new Layers(ctx, ctx.region, cos);
    const functions = new Functions(ctx, ctx.region, seeds);
    const updates = (functions.updates = new FunctionUpdates(ctx, ctx.region, functions, layers));
    const admitted = new WeakMap<IncomingCall, AdmittedAuthorization | null>();
    const sts = stsOperations(keys, ctx.now);

    const operations: Record<string, Operation<TencentRequest>> = {
      // What `layerctl attach` changes (function-updates.ts).
      UpdateFunctionConfiguration: { run: json((q) => updates.updateConfiguration(q.region, q.params)) },
      CreateAlias: { run: json((q) => updates.createAlias(q.region, q.params)) },
      UpdateAlias: { run: json((q) => updates.updateAlias(q.region, q.params)) },
      GetAlias: { run: json((q) => updates.getAlias(q.region, q.params)) },
      ListAliases: { run: json((q) => updates.listAliases(q.region, q.params)) },
      PublishLayerVersion: { run: json((q) => layers.publish(q.region, q.params, q.call)) },
      // STS (./sts.ts): X-TC-Version 2018-08-13.
      AssumeRole: { run: json((q) => sts.AssumeRole(q.params, q.caller)) },
      AssumeRoleWithWebIdentity: { run: json((q) => sts.AssumeRoleWithWebIdentity(q.params)) },
      GetCallerIdentity: { run: json((q) => sts.GetCallerIdentity(q.params, q.caller)) },
      GetLayerVersion: { run: json((q) => layers.get(q.region, q.params, q.call)) },
      ListLayerVersions: { run: json((q) => layers.list(q.region, q.params)) },
      ListLayers: { run: json((q) => layers.listLayers(q.region, q.params)) },
      // `--region tencent:all`: the Region Management System's action (./regions.ts).
      DescribeRegions: { run: json((q) => describeRegions(q.params, ctx.tuning)) },
      DeleteLayerVersion: { run: json((q) => layers.delete(q.region, q.params, q.call)) },
      CreateFunction: { run: json((q) => functions.create(q.region, q.params)) },
      GetFunction: { run: json((q) => functions.get(q.region, q.params)) },
      PublishVersion: { run: json((q) => functions.publishVersion(q.region, q.params)) },
      // What `layerctl prune` reads to find the layer versions functions still use.
      ...Object.fromEntries(Object.entries(functionReads(functions)).map(([action, read]) => [action, { run: json((q) => read(q.region, q.params)) }])),
    };

    return {
      operations,
      companions: [cos],
      admit(call) {
        const action = header(call, "x-tc-action");
        if (!action) throw missing("X-TC-Action");
        if (!header(call, "x-tc-version")) throw missing("X-TC-Version");
        // AssumeRoleWithWebIdentity is sent unsigned: its OIDC token is the proof.
        if (UNSIGNED_ACTIONS.has(action) && header(call, "authorization") === "SKIP") return void admitted.set(call, null);
        admitted.set(call, checkAuthHeaders(call, keys, ctx.now().getTime(), ctx.tuning.maxClockSkewMs));
      },
      authenticate(call) {
        const auth = admitted.get(call);
        if (auth === undefined) throw new Error("a Tencent call reached authentication without admission");
        if (auth) {
          if (keys.expiredSince(auth.issued)) throw tokenExpired();
          checkSignature(call, auth);
        }
        return auth;
      },
      request(call, caller, _params, action) {
        const version = VERSIONS[action] ?? (STS_ACTIONS.has(action) ? STS_VERSION : API_VERSION);
        if (header(call, "x-tc-version") !== version) throw invalidAction(call, action);
        return { region: header(call, "x-tc-region") || DEFAULT_REGION, params: parseBody(call), call, caller: caller as AdmittedAuthorization | null };
      },
      expireCredentials: () => keys.expireAll(),
      isError: (err): err is TencentApiError => err instanceof TencentApiError,
      errorReply: (err, call) => errorReply(call.requestId, err.code, err.message),
      unknownOperation: invalidAction,
      tooLarge: (_call, _action, max) => new TencentApiError("RequestSizeLimitExceeded", `The request is larger than ${max} bytes.`),
      // The service's own shapes: both are HTTP 200 with an error code, as the real API answers
      // them. (A gateway in front of it could also send a bare 5xx; the adapter handles that too.)
      // Every answer is {"Response": {..., "RequestId"}}: a hollow one keeps the envelope and its id.
      hollow: (_reply, call) => ({ Response: { RequestId: call.requestId } }),
      faultReply(kind, call): Reply {
        return kind === "throttle"
          ? errorReply(call.requestId, "RequestLimitExceeded", "The request rate exceeds the limit for this action; retry later.")
          : errorReply(call.requestId, "InternalError", "An internal error occurred; retry later.");
      },
    };
  },
});

function invalidAction(call: IncomingCall, action: string): TencentApiError {
  return new TencentApiError("InvalidAction", `The action ${action} of version ${header(call, "x-tc-version")} does not exist for this service.`);
}

function parseBody(call: IncomingCall): Params {
  const contentType = (header(call, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (contentType !== "application/json") {
    throw new TencentApiError("InvalidParameter", `Content-Type ${contentType || "(none)"} is not accepted here: TC3-HMAC-SHA256 requests to this action send application/json.`);
  }
  if (call.body.length === 0) return dict();
  let parsed: unknown;
  try {
    parsed = parseJsonBuffer(call.body);
  } catch {
    throw new TencentApiError("InvalidParameter", "The request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new TencentApiError("InvalidParameter", "The request body must be a JSON object.");
  }
  return parsed as Params;
}
