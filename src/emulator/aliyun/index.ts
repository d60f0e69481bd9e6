// Alibaba Cloud Function Compute 3.0 (API 2023-03-30, ROA, ACS3-HMAC-SHA256) as the official
// @alicloud/fc20230330 SDK sees it: same paths, signature checks, JSON shapes and error codes.
//
// Operations served, and why:
//   CreateLayerVersion, GetLayerVersion, ListLayerVersions   `layerctl publish/get/versions`
//   GetLayerVersionByArn, ListLayers                         reads by ARN; `layerctl layers`
//   DeleteLayerVersion                                       lifecycle
//   UpdateFunction (layers; lastUpdateStatus InProgress for  `layerctl attach`, `publish --attach`
//     functionUpdateDelayMs), Create/Update/GetAlias,        (function-updates.ts)
//     ListAliases                                            and `aliyun fc` scripts' reads
//   CreateFunction, GetFunction                              so there is a function to version
//   PublishFunctionVersion                                   `layerctl publish-function`
//   ListFunctions, ListFunctionVersions                      `layerctl prune`'s in-use scan (with GetFunction's layers)
//   PutLayerACL                                              `layerctl share` (the whole layer public or private)
//   DescribeRegions                                          `--region aliyun:all` (./regions.ts)
//   GetTempBucketToken (FC 2.0, signed the FC 2.0 way: fc2.ts) staging without a bucket of one's own
//   OSS (./oss.ts, same port)                                staging big layers
//   STS AssumeRole, AssumeRoleWithOIDC, GetCallerIdentity    RamRoleArn/OIDC profiles, the OIDC variables,
//     (./sts.ts, POST / with x-acs-version 2015-04-01)       --role-arn, the account id; keys need their token
// Adding one: an entry in `operations` below (route and handler) and the handler in layers.ts /
// functions.ts (or a new file for a new resource). FC 3.0 names the operation by method + path
// (the SDK also sends x-acs-action, signed but not used to pick it); everything under
// /2023-03-30/ is ours, so an unknown path there gets FC's own PathNotSupported.
import { randomUUID } from "node:crypto";
import type { IncomingCall, Reply, SeedLayer } from "../types.js";
import { defineCloud, emptyLayersAndFunctions, type BaseTuning, type CloudContext, type Operation } from "../cloud.js";
import { errorReply, FcError, fcErrors, gatewayAuthErrors } from "./errors.js";
import { Fc2Verifier, fc2ErrorReply, isFc2 } from "./fc2.js";
import { FunctionOps } from "./functions.js";
import { listFunctions, listFunctionVersions, putLayerAcl } from "./function-reads.js";
import { LayerOps, layerVersionArn, type OpContext } from "./layers.js";
import { requestRegion } from "./region.js";
import { describeRegions } from "./regions.js";
import { Acs3Verifier, type Caller } from "./signature.js";
import { seedFunction, type RegionState } from "./state.js";
import { OssEmulator } from "./oss.js";
import { AliyunStsEmulator } from "./sts.js";
import { ALNUM, KeyStore } from "../keys.js";
import { TEMP_BUCKET_PATH, tempBucketToken } from "./temp-bucket.js";
import { limits } from "./validate.js";

export const API_VERSION = "2023-03-30";
const BASE = `/${API_VERSION}`;

export interface AliyunCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  accountId: string;
}

/** Only the knobs every cloud has. */
export type AliyunTuning = BaseTuning;

export type AliyunContext = CloudContext<AliyunCredentials, AliyunTuning, RegionState>;

export const aliyunCloud = defineCloud({
  provider: "aliyun",
  credentials: { accessKeyId: "LTAIlayerctlEmulator", accessKeySecret: "layerctl-emulator-aliyun-secret", accountId: "1234567890123456" } as AliyunCredentials,
  env: (c, url) => ({
    ALIBABA_CLOUD_ACCESS_KEY_ID: c.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: c.accessKeySecret,
    // Empty on purpose: a session token from the user's shell must not ride along to the emulator.
    ALIBABA_CLOUD_SECURITY_TOKEN: "",
    ALIBABA_CLOUD_ACCOUNT_ID: c.accountId,
    LAYERCTL_ENDPOINT_ALIYUN: url,
    // OSS and STS answer on the same port (see ./oss.ts, ./sts.ts).
    LAYERCTL_STORAGE_ENDPOINT_ALIYUN: url,
    LAYERCTL_STS_ENDPOINT_ALIYUN: url,
  }),
  tuning: {
    // The V3 signature's documented window: 15 minutes (see Acs3Verifier.verifyHeaders).
    maxClockSkewMs: 15 * 60 * 1000,
    // The documented inline limit is 100 MB of base64; the rest of a CreateLayerVersion body is small.
    maxRequestBytes: limits.maxZipFileBase64 + 1024 * 1024,
    functionUpdateDelayMs: 1000,
  } as AliyunTuning,
  // States saved before the format field existed hold the same shape.
  state: { format: 1, emptyRegion: (): RegionState => emptyLayersAndFunctions(), acceptsUnversioned: () => true },
  // And FC 2.0's temporary bucket token (./temp-bucket.ts), the one 2016-08-15 path served (./fc2.ts).
  owns: { prefixes: [`${BASE}/`, "/2016-08-15/"] },

  setup(ctx: AliyunContext, seeds) {
    // STS keys as STS hands them out ("STS." and 28 more characters): FC, OSS and STS itself take
    // them, with their security token.
    const keys = new KeyStore(
      () => ({ keyId: ctx.credentials.accessKeyId, secret: ctx.credentials.accessKeySecret, account: ctx.credentials.accountId }),
      { idPrefix: "STS.", idLength: 28, idAlphabet: ALNUM, secretBytes: 33, tokenBytes: 330 },
      ctx.now,
    );
    const verifier = new Acs3Verifier(ctx, keys);
    // FC 2.0 paths take FC 2.0's signature only, FC 3.0 paths ACS3 only; both take the STS keys.
    const fc2 = new Fc2Verifier(ctx, keys);
    // OSS shares the port; its requests are told apart by their signature scheme (see ./oss.ts).
    const oss = new OssEmulator(ctx, keys);
    const layers = new LayerOps(ctx, oss);
    const functions = new FunctionOps(ctx);

    // Seeded functions exist in every region, like a deployment the user already has.
    function regionState(region: string): RegionState {
      const rs = ctx.region(region);
      const arn = (l: SeedLayer) => l.arn ?? layerVersionArn(region, ctx.credentials.accountId, l.name, l.version);
      for (const seed of seeds) rs.functions[seed.name] ??= seedFunction(seed, ctx.now(), randomUUID(), arn);
      return rs;
    }
    // Seeds exist from the start in the regions already known (a new region gets them on first use).
    for (const region of Object.keys(ctx.regions())) regionState(region);

    const admitted = new WeakMap<IncomingCall, Caller>();
    const op = (route: string, run: (op: OpContext) => Reply | Promise<Reply>): Operation<OpContext> => ({ route, run });
    return {
      operations: {
        CreateLayerVersion: op(`POST ${BASE}/layers/{layerName}/versions`, (o) => layers.create(o)),
        GetLayerVersion: op(`GET ${BASE}/layers/{layerName}/versions/{version}`, (o) => layers.get(o)),
        GetLayerVersionByArn: op(`GET ${BASE}/layerarn/{arn}`, (o) => layers.getByArn(o)),
        ListLayerVersions: op(`GET ${BASE}/layers/{layerName}/versions`, (o) => layers.list(o)),
        ListLayers: op(`GET ${BASE}/layers`, (o) => layers.listLayers(o)),
        DeleteLayerVersion: op(`DELETE ${BASE}/layers/{layerName}/versions/{version}`, (o) => layers.delete(o)),
        // What `layerctl attach` changes (function-updates.ts).
        UpdateFunction: op(`PUT ${BASE}/functions/{functionName}`, (o) => functions.update(o)),
        CreateAlias: op(`POST ${BASE}/functions/{functionName}/aliases`, (o) => functions.createAlias(o)),
        UpdateAlias: op(`PUT ${BASE}/functions/{functionName}/aliases/{aliasName}`, (o) => functions.updateAlias(o)),
        GetAlias: op(`GET ${BASE}/functions/{functionName}/aliases/{aliasName}`, (o) => functions.getAlias(o)),
        // What `aliyun fc` scripts read around functions' aliases.
        ListAliases: op(`GET ${BASE}/functions/{functionName}/aliases`, (o) => functions.listAliases(o)),
        CreateFunction: op(`POST ${BASE}/functions`, (o) => functions.create(o)),
        GetFunction: op(`GET ${BASE}/functions/{functionName}`, (o) => functions.get(o)),
        PublishFunctionVersion: op(`POST ${BASE}/functions/{functionName}/versions`, (o) => functions.publishVersion(o)),
        // What `layerctl prune` reads to find the layer versions functions still use, and `share`.
        ListFunctions: op(`GET ${BASE}/functions`, (o) => listFunctions(o, functions)),
        ListFunctionVersions: op(`GET ${BASE}/functions/{functionName}/versions`, (o) => listFunctionVersions(o)),
        PutLayerACL: op(`PUT ${BASE}/layers/{layerName}/acl`, (o) => putLayerAcl(o, ctx)),
        GetTempBucketToken: op(`GET ${TEMP_BUCKET_PATH}`, (o) => tempBucketToken(o.call, o.region, o.accountId, oss, ctx.now())),
        // `--region aliyun:all` (./regions.ts).
        DescribeRegions: op(`GET ${BASE}/regions`, (o) => describeRegions(o, ctx.tuning)),
      },
      // STS answers as the gateway does, FC with its own codes: each has its verifier.
      companions: [oss, new AliyunStsEmulator(ctx, keys, new Acs3Verifier(ctx, keys, gatewayAuthErrors))],
      expireCredentials: () => keys.expireAll(),
      // Authentication comes first, as at the gateway: an unsigned request learns nothing.
      admit: (call) => void admitted.set(call, isFc2(call) ? fc2.verifyHeaders(call) : verifier.verifyHeaders(call)),
      authenticate(call) {
        const caller = admitted.get(call);
        if (!caller) throw new Error("an Aliyun call reached authentication without admission");
        if (isFc2(call)) fc2.verifyBody(call, caller);
        else verifier.verifyBody(call, caller);
        return caller;
      },
      request(call: IncomingCall, caller, params): OpContext {
        const { accountId } = caller as Caller;
        const region = requestRegion(call, accountId);
        return { call, params, region, accountId, regionState: regionState(region) };
      },
      isError: (err): err is FcError => err instanceof FcError,
      errorReply: (err, call) => (isFc2(call) ? fc2ErrorReply : errorReply)(err, call.requestId),
      unknownOperation: (call) => fcErrors.pathNotSupported(call.method, call.rawPath),
      tooLarge: (_call, _action, max) => fcErrors.entityTooLarge(max),
      faultReply: (kind, call) => (isFc2(call) ? fc2ErrorReply : errorReply)(kind === "throttle" ? fcErrors.throttled() : fcErrors.internal(), call.requestId),
    };
  },
});
