// AWS Lambda's layer API (restJson1 over SigV4), as @aws-sdk/client-lambda speaks it.
// Order of checks mirrors the service: request size, then authentication, then the body, then
// model validation, then the operation.
//
// Operations served, and why:
//   PublishLayerVersion, GetLayerVersion, ListLayerVersions   `layerctl publish/get/versions`
//   GetLayerVersionByArn, ListLayers                          reads by ARN; `layerctl layers`
//   DeleteLayerVersion                                        lifecycle (idempotent, as Lambda's)
//   Add/Get/RemoveLayerVersionPermission                      sharing a layer version
//   UpdateFunctionConfiguration (Layers; InProgress for       `layerctl attach`, `publish --attach`
//     functionUpdateDelayMs), Create/Update/GetAlias          (function-updates.ts)
//   CreateFunction, GetFunction                               so there is a function to version
//   GetFunctionConfiguration (State Pending for a new         waiting before an alias; the AWS CLI's
//     version, LastUpdateStatus InProgress)                   `aws lambda wait function-updated` and
//                                                             `published-version-active`
//   PublishVersion (State Pending for functionUpdateDelayMs)  `layerctl publish-function`, attach --alias
//   ListRegions (Account API, ./regions.ts)                   `--region aws:all`
//   ListFunctions, ListVersionsByFunction, ListAliases        `layerctl prune`'s in-use scan
//   S3 (./s3.ts, same port)                                   staging big layers
//   STS AssumeRole, AssumeRoleWithWebIdentity,                --role-arn, web identity and role
//     GetCallerIdentity (./sts.ts, same port)                 profiles; their keys need their session token
// Adding one: an entry in `operations` below (route and handler) and the handler in layers.ts /
// functions.ts (or a new file for a new resource). Paths under Lambda's API version prefixes are
// ours: one that names no operation is UnknownOperationException rather than another cloud's.
import { AwsApiError, errorReply, serviceError, throttled } from "./errors.js";
import { createAlias, getAlias, updateAlias, updateFunctionConfiguration } from "./function-updates.js";
import { defineCloud, emptyLayersAndFunctions, type BaseTuning, type CloudContext, type Operation } from "../cloud.js";
import type { IncomingCall } from "../types.js";
import { createFunction, getFunction, getFunctionConfiguration, publishVersion } from "./functions.js";
import { listAliases, listFunctions, listVersionsByFunction } from "./function-reads.js";
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
import { partition } from "./names.js";
import { listRegions } from "./regions.js";
import { parseJsonBody, type AwsDeps, type AwsRequest } from "./request.js";
import { checkSigV4Headers, checkSigV4Signature, LAMBDA_KEY_ERRORS, type AdmittedSigV4 } from "./signature.js";
import { S3Emulator } from "./s3.js";
import { StsEmulator } from "./sts.js";
import { KeyStore, UPPER_ALNUM } from "../keys.js";
import type { RegionState } from "./state.js";
import type { Reply } from "../types.js";

/** Lambda rejects larger requests before reading them (a 50 MB zip, base64-encoded, is just over). */
export const MAX_REQUEST_BYTES = 69_905_067;

export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

export interface AwsCredentials extends AwsKeys {
  /**
   * Accounts of the other partitions (aws-cn, aws-us-gov): a request scoped to one of their
   * regions must be signed with that partition's keys, and its ARNs name that account, as on AWS,
   * where each partition has accounts of its own. Absent: the keys above work in every partition.
   */
  partitions?: Partial<Record<"aws-cn" | "aws-us-gov", AwsKeys>>;
}

/** The keys and account a request scoped to `region` is checked against. */
export function keysFor(credentials: AwsCredentials, region: string): AwsKeys {
  const p = partition(region);
  return (p === "aws-cn" || p === "aws-us-gov" ? credentials.partitions?.[p] : undefined) ?? credentials;
}

export interface AwsTuning extends BaseTuning {
  /**
   * S3 returns the checksums it computed (CRC-32, composite for multipart uploads), as AWS does.
   * false: like S3-compatible stores that return none (moto, MinIO, Ceph RGW, older LocalStack),
   * so only ETags are left to check an upload by (./s3.ts).
   */
  s3Checksums: boolean;
}

export type AwsContext = CloudContext<AwsCredentials, AwsTuning, RegionState>;

type Handler = (req: AwsRequest, deps: AwsDeps) => Promise<Reply>;

const LAYERS = "/2018-10-31/layers";
const FUNCTIONS = "/2015-03-31/functions";

export const awsCloud = defineCloud({
  provider: "aws",
  credentials: { accessKeyId: "AKIALAYERCTLEMULATOR", secretAccessKey: "layerctl-emulator-aws-secret", accountId: "123456789012" } as AwsCredentials,
  env: (c, url) => ({
    AWS_ACCESS_KEY_ID: c.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
    // Empty on purpose: a session token from the user's shell must not ride along to the emulator.
    AWS_SESSION_TOKEN: "",
    LAYERCTL_ENDPOINT_AWS: url,
    // The AWS CLI and SDKs read the service-specific endpoint variable, so they work without --endpoint-url.
    AWS_ENDPOINT_URL_LAMBDA: url,
    // S3 and STS answer on the same port (see ./s3.ts, ./sts.ts). AWS_ENDPOINT_URL_STS is the
    // SDKs' own variable: the credential chain's role and web-identity steps use it too.
    LAYERCTL_STORAGE_ENDPOINT_AWS: url,
    AWS_ENDPOINT_URL_STS: url,
  }),
  // SigV4's window is five minutes (see checkClock in signature.ts).
  tuning: { maxClockSkewMs: 5 * 60 * 1000, maxRequestBytes: MAX_REQUEST_BYTES, functionUpdateDelayMs: 1000, s3Checksums: true } as AwsTuning,
  state: { format: 1, emptyRegion: (): RegionState => emptyLayersAndFunctions() },
  // And the Account API's ListRegions (./regions.ts), the one path of another AWS service served.
  owns: { prefixes: ["/2018-10-31/", "/2015-03-31/", "/listRegions/"] },

  setup(ctx: AwsContext, seeds) {
    // Temporary keys as STS issues them (ASIA + 16): Lambda, S3 and STS itself take them, with
    // their session token.
    const keys = new KeyStore(
      () => ({ keyId: ctx.credentials.accessKeyId, secret: ctx.credentials.secretAccessKey, account: ctx.credentials.accountId }),
      { idPrefix: "ASIA", idLength: 16, idAlphabet: UPPER_ALNUM, secretBytes: 30, tokenBytes: 270 },
      ctx.now,
    );
    // Another partition's own account and keys, where `credentials.partitions` gives them: a
    // request scoped to its regions is checked against them (its temporary keys are not modelled).
    const partitionKeys = new Map<string, KeyStore>();
    const keysOf = (region: string): KeyStore => {
      const own = keysFor(ctx.credentials, region);
      if (own === ctx.credentials) return keys;
      const p = partition(region);
      let store = partitionKeys.get(p);
      if (!store) {
        store = new KeyStore(
          () => ({ keyId: own.accessKeyId, secret: own.secretAccessKey, account: own.accountId }),
          { idPrefix: "ASIA", idLength: 16, idAlphabet: UPPER_ALNUM, secretBytes: 30, tokenBytes: 270 },
          ctx.now,
        );
        partitionKeys.set(p, store);
      }
      return store;
    };
    // S3 shares the port; its requests are told apart by their signature's service (see ./s3.ts).
    const s3 = new S3Emulator(ctx, keys);
    const deps: AwsDeps = { ctx, s3, seeds: new Map(seeds.map((s) => [s.name, s])) };
    const op = (route: string, handler: Handler): Operation<AwsRequest> => ({ route, run: (req) => handler(req, deps) });
    const admitted = new WeakMap<IncomingCall, AdmittedSigV4>();

    return {
      operations: {
        PublishLayerVersion: op(`POST ${LAYERS}/{LayerName}/versions`, publishLayerVersion),
        GetLayerVersion: op(`GET ${LAYERS}/{LayerName}/versions/{VersionNumber}`, getLayerVersion),
        GetLayerVersionByArn: op(`GET ${LAYERS}?find=LayerVersion`, getLayerVersionByArn),
        ListLayerVersions: op(`GET ${LAYERS}/{LayerName}/versions`, listLayerVersions),
        ListLayers: op(`GET ${LAYERS}`, listLayers),
        DeleteLayerVersion: op(`DELETE ${LAYERS}/{LayerName}/versions/{VersionNumber}`, deleteLayerVersion),
        AddLayerVersionPermission: op(`POST ${LAYERS}/{LayerName}/versions/{VersionNumber}/policy`, addLayerVersionPermission),
        GetLayerVersionPolicy: op(`GET ${LAYERS}/{LayerName}/versions/{VersionNumber}/policy`, getLayerVersionPolicy),
        RemoveLayerVersionPermission: op(`DELETE ${LAYERS}/{LayerName}/versions/{VersionNumber}/policy/{StatementId}`, removeLayerVersionPermission),
        // What `layerctl attach` changes (function-updates.ts).
        UpdateFunctionConfiguration: op(`PUT ${FUNCTIONS}/{FunctionName}/configuration`, updateFunctionConfiguration),
        CreateAlias: op(`POST ${FUNCTIONS}/{FunctionName}/aliases`, createAlias),
        UpdateAlias: op(`PUT ${FUNCTIONS}/{FunctionName}/aliases/{Name}`, updateAlias),
        GetAlias: op(`GET ${FUNCTIONS}/{FunctionName}/aliases/{Name}`, getAlias),
        CreateFunction: op(`POST ${FUNCTIONS}`, createFunction),
        GetFunction: op(`GET ${FUNCTIONS}/{FunctionName}`, getFunction),
        GetFunctionConfiguration: op(`GET ${FUNCTIONS}/{FunctionName}/configuration`, getFunctionConfiguration),
        PublishVersion: op(`POST ${FUNCTIONS}/{FunctionName}/versions`, publishVersion),
        // What `layerctl prune` reads to find the layer versions functions still use.
        ListFunctions: op(`GET ${FUNCTIONS}`, listFunctions),
        ListVersionsByFunction: op(`GET ${FUNCTIONS}/{FunctionName}/versions`, listVersionsByFunction),
        ListAliases: op(`GET ${FUNCTIONS}/{FunctionName}/aliases`, listAliases),
        // `--region aws:all`: the account's enabled regions (Account API, signed for service "account").
        ListRegions: op("POST /listRegions", listRegions),
      },
      companions: [s3, new StsEmulator(ctx, keys)],
      admit(call) {
        const service = call.rawPath === "/listRegions" ? "account" : "lambda";
        admitted.set(call, checkSigV4Headers(call, keysOf, ctx.now(), ctx.tuning.maxClockSkewMs, service));
      },
      authenticate(call) {
        const identity = admitted.get(call);
        if (!identity) throw new Error("an AWS call reached authentication without admission");
        if (keys.expiredSince(identity.session)) throw LAMBDA_KEY_ERRORS.expiredToken();
        checkSigV4Signature(call, identity);
        return identity;
      },
      expireCredentials: () => {
        keys.expireAll();
        for (const store of partitionKeys.values()) store.expireAll();
      },
      // The caller's account names the ARNs (a role assumed in another account publishes there).
      // State is not kept per account: two accounts see the same layers (not modelled).
      request: (call, identity, params): AwsRequest => ({
        call,
        region: (identity as AdmittedSigV4).region,
        account: (identity as AdmittedSigV4).account,
        params,
        query: call.url.searchParams,
        body: call.method === "POST" || call.method === "PUT" ? parseJsonBody(call) : {},
      }),
      isError: (err): err is AwsApiError => err instanceof AwsApiError,
      errorReply: (err, call) => errorReply(err, call.requestId),
      unknownOperation: (call) => new AwsApiError("UnknownOperationException", `The layerctl emulator does not implement ${call.method} ${call.rawPath}`),
      tooLarge: (_call, action, max) => new AwsApiError("RequestEntityTooLargeException", `Request must be smaller than ${max} bytes for the ${action} operation`),
      faultReply: (kind, call) => errorReply(kind === "throttle" ? throttled() : serviceError(), call.requestId),
    };
  },
});
