// The Lambda client behind the ProviderClient interface. The SDK is imported here, lazily.
// The SDK's own retries are off (maxAttempts 1): retryCall retries instead, so backoff, bounds and
// debug logs are the same for every cloud. The SDK has no timeout by default: set one always.
import type { Architecture, LambdaClient, Runtime } from "@aws-sdk/client-lambda";
import { CloudError, UsageError } from "../../errors.js";
import { publishBodyBytes } from "../archive-content.js";
import { shareInlineBody } from "./inline-body.js";
import { sharedBody, ZIP_MARKER } from "../inline-body.js";
import { assertChecksum } from "../checksum.js";
import { sameSet } from "../record.js";
import { findOne, layerMatch } from "../lookup.js";
import { collectPages } from "../paging.js";
import type { Budget } from "../budget.js";
import { cloudCall, lookupBudget, retryCall } from "../retry.js";
import type { SharedBodyHold } from "../traffic.js";
import type {
  ConnectOptions,
  DeleteOptions,
  DeleteOutcome,
  FunctionVersionRecord,
  LayerContent,
  LayerHead,
  LayerReference,
  LayerVersionRecord,
  Lookup,
  ProviderClient,
  PublishFunctionRequest,
  PublishLayerRequest,
  RetryPolicy,
  ShareOutcome,
  ShareRequest,
} from "../types.js";
import * as fleet from "./fleet.js";
import * as lifecycle from "./lifecycle.js";
import { awsIdentity, isAwsCredentials, knownSecrets, type AwsCredentials } from "./credentials.js";
import { isExpiredToken, toCloudError } from "./errors.js";
import { withFreshKeys } from "../credential-cache.js";
import { checkAnswer } from "../answers.js";
import { endpointUrl } from "../endpoint.js";
import { awsAnswers, type AwsAction } from "./answers.js";
import { AwsFunctions } from "./functions.js";
import { functionVersionRecord, layerRecord } from "./records.js";
import { PayloadSha256 } from "./payload-hash.js";
import { quietAwsSdk } from "./sdk-env.js";

type LambdaSdk = typeof import("./sdk.js");

/** ListLayerVersions' page size limit. */
const PAGE = 50;

export async function connectAws(opts: ConnectOptions): Promise<ProviderClient> {
  if (!isAwsCredentials(opts.credentials)) {
    throw new UsageError("aws: no usable credentials were resolved", { code: "MissingCredentials", hint: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE" });
  }
  if (opts.endpoint !== undefined) endpointUrl(opts.endpoint, "the AWS endpoint");
  quietAwsSdk();
  const sdk = await import("./sdk.js");
  const sdkLog = {
    debug: (m: unknown) => opts.log.debug(`aws sdk: ${String(m)}`),
    info: (m: unknown) => opts.log.debug(`aws sdk: ${String(m)}`),
    warn: (m: unknown) => opts.log.debug(`aws sdk: ${String(m)}`),
    error: (m: unknown) => opts.log.debug(`aws sdk: ${String(m)}`),
  };
  const lambda = new sdk.LambdaClient({
    region: opts.region,
    endpoint: opts.endpoint,
    credentials: awsIdentity(opts.credentials),
    maxAttempts: 1,
    retryMode: "standard",
    // One SHA-256 of a shared inline body for every region it goes to (./payload-hash.ts).
    sha256: PayloadSha256,
    // A custom endpoint is the whole address: FIPS / dual-stack settings from the user's AWS config must not apply to it.
    ...(opts.endpoint !== undefined ? { useFipsEndpoint: false, useDualstackEndpoint: false } : {}),
    requestHandler: {
      requestTimeout: opts.requestTimeoutMs,
      connectionTimeout: Math.min(opts.requestTimeoutMs, 10_000),
      throwOnRequestTimeout: true,
      logger: sdkLog,
    },
  });
  return new AwsLambdaClient(sdk, lambda, opts, opts.credentials);
}

class AwsLambdaClient implements ProviderClient {
  constructor(
    private readonly sdk: LambdaSdk,
    private readonly lambda: LambdaClient,
    private readonly opts: ConnectOptions,
    private readonly credentials: AwsCredentials,
  ) {}

  /** The update side of functions (attach): ./functions.ts. */
  get functions(): AwsFunctions {
    return new AwsFunctions(this.sdk, this.lambda, this.opts, (action, send, opts) => this.call(action, send, opts));
  }

  within(budget: Budget): ProviderClient {
    return new AwsLambdaClient(this.sdk, this.lambda, { ...this.opts, budget }, this.credentials);
  }

  /** List items carry no checksum: each newer version is read (GetLayerVersion's CodeSha256, no download). */
  async findPublished(req: PublishLayerRequest, after: number): Promise<Lookup<LayerVersionRecord>> {
    const newer = (await this.listLayerVersions(req.layerName)).filter((v) => v.version !== null && v.version > after);
    const read: LayerVersionRecord[] = [];
    for (const item of newer) {
      try {
        read.push(await this.getLayerVersion(req.layerName, item.version!));
      } catch (err) {
        // Deleted since it was listed: not a version this publish can report.
        if (!(err instanceof CloudError && err.code === "ResourceNotFoundException")) throw err;
      }
    }
    return findOne(
      read,
      (v) => layerMatch(v, v.codeSha256 === req.archive.sha256.toLowerCase(), req),
      (v) => `version ${v.version}`,
    );
  }

  /**
   * A call that creates something (a layer or function version) is repeated only after errors
   * that certainly had no effect: after a timeout, reset or 5xx the version may exist already,
   * and a blind retry would create a second one.
   */
  private call<T>(
    action: AwsAction,
    send: (h: { abortSignal: AbortSignal; requestTimeout: number }) => Promise<T>,
    opts: { creates?: boolean; uploadBytes?: number; retry?: RetryPolicy; sharedBody?: SharedBodyHold } = {},
  ): Promise<T> {
    const ctx = { action, timeoutMs: this.opts.requestTimeoutMs, secrets: knownSecrets(this.credentials) };
    // Keys whose token the cloud refuses are renewed once where their source can renew them.
    return withFreshKeys(this.credentials.keys, isExpiredToken, () =>
      retryCall(
        cloudCall("aws", action, this.opts, opts),
        // The signal tears the socket down at the attempt's timeout, also while the body is still streaming.
        // The answer is checked inside the attempt: an unreadable one is retried like any failed read.
        async (abortSignal, requestTimeout) => {
          const out = await send({ abortSignal, requestTimeout });
          const requestId = (out as { $metadata?: { requestId?: string } } | undefined)?.$metadata?.requestId;
          return checkAnswer(awsAnswers[action], out, { provider: "aws", action, requestId });
        },
        (err) => toCloudError(err, ctx),
      ),
    );
  }

  async publishLayer(req: PublishLayerRequest): Promise<LayerVersionRecord> {
    const { PublishLayerVersionCommand } = this.sdk;
    // The inline body is built once per zip and shared by this cloud's uploads (../inline-body.ts).
    const body = req.staged ? undefined : sharedBody(req.archive, "aws");
    const out = await this.call(
      "PublishLayerVersion",
      (h) => {
        const command = new PublishLayerVersionCommand({
          LayerName: req.layerName,
          // Staged: Lambda reads the zip from S3 (same region); otherwise it travels in the body,
          // which the SDK serializes with a marker in its place (see shareInlineBody).
          Content: req.staged ? { S3Bucket: req.staged.bucket, S3Key: req.staged.key } : { ZipFile: ZIP_MARKER },
          CompatibleRuntimes: req.runtimes.length > 0 ? (req.runtimes as Runtime[]) : undefined,
          CompatibleArchitectures: req.architectures.length > 0 ? (req.architectures as Architecture[]) : undefined,
          Description: req.description,
          LicenseInfo: req.license,
        });
        if (body) shareInlineBody(command, body);
        return this.lambda.send(command, h);
      },
      { creates: true, uploadBytes: publishBodyBytes(req.archive, Boolean(req.staged)), sharedBody: body },
    );
    const record = layerRecord(this.opts.region, req.layerName, out);
    assertChecksum("aws", "CodeSha256", req.archive.sha256, record.codeSha256, record.requestId ?? undefined, record);
    return record;
  }

  async getLayerVersion(layerName: string, version: number): Promise<LayerVersionRecord> {
    const { GetLayerVersionCommand } = this.sdk;
    try {
      const out = await this.call("GetLayerVersion", (h) => this.lambda.send(new GetLayerVersionCommand({ LayerName: layerName, VersionNumber: version }), h));
      return layerRecord(this.opts.region, layerName, out);
    } catch (err) {
      // Lambda's own words ("The resource you requested does not exist.") name nothing: say what was asked for.
      if (err instanceof CloudError && err.code === "ResourceNotFoundException") {
        throw err.with({
          message: `GetLayerVersion: layer ${layerName} version ${version} does not exist in ${this.opts.region} (${err.message.replace(/^GetLayerVersion: /, "")})`,
          hint: err.hint ?? `list its versions: layerctl versions ${layerName} -p aws -r ${this.opts.region}`,
        });
      }
      throw err;
    }
  }

  /** List items carry no checksum, size or location: those stay null (getLayerVersion has them). */
  async listLayerVersions(layerName: string): Promise<LayerVersionRecord[]> {
    const { ListLayerVersionsCommand } = this.sdk;
    const items = await collectPages(`aws ListLayerVersions ${layerName}`, this.opts.log, async (marker) => {
      const out = await this.call("ListLayerVersions", (h) => this.lambda.send(new ListLayerVersionsCommand({ LayerName: layerName, MaxItems: PAGE, Marker: marker }), h));
      return { items: (out.LayerVersions ?? []).map((item) => layerRecord(this.opts.region, layerName, item, out.$metadata.requestId)), next: out.NextMarker || undefined };
    });
    // A version listed twice (the listing moved under us between pages) is one version.
    const byVersion = new Map(items.map((r) => [r.version, r]));
    return [...byVersion.values()].sort((a, b) => (b.version ?? 0) - (a.version ?? 0));
  }

  async findUnchanged(req: PublishLayerRequest): Promise<LayerVersionRecord | null> {
    const { ListLayerVersionsCommand } = this.sdk;
    let newest: number | undefined;
    try {
      // Lambda lists newest first, so the first page holds the newest version.
      const page = await this.call("ListLayerVersions", (h) => this.lambda.send(new ListLayerVersionsCommand({ LayerName: req.layerName, MaxItems: PAGE }), h));
      newest = Math.max(...(page.LayerVersions ?? []).map((v) => v.Version ?? 0), 0) || undefined;
    } catch (err) {
      if (err instanceof CloudError && err.code === "ResourceNotFoundException") return null;
      throw err;
    }
    if (newest === undefined) return null;
    const current = await this.getLayerVersion(req.layerName, newest);
    const same =
      current.codeSha256 !== null &&
      current.codeSha256.toLowerCase() === req.archive.sha256.toLowerCase() &&
      sameSet(current.compatibleRuntimes, req.runtimes) &&
      sameSet(current.compatibleArchitectures, req.architectures);
    return same ? { ...current, status: "unchanged" } : null;
  }

  async publishFunctionVersion(req: PublishFunctionRequest): Promise<FunctionVersionRecord> {
    // Lambda has no namespaces: the command layer warns about --namespace and never passes one here.
    const { PublishVersionCommand } = this.sdk;
    const out = await this.call("PublishVersion", (h) => this.lambda.send(new PublishVersionCommand({ FunctionName: req.functionName, Description: req.description }), h), {
      creates: true,
    });
    return functionVersionRecord(this.opts.region, req.functionName, out);
  }

  // The layer lifecycle (list, delete, in-use scan, share) lives in ./lifecycle.ts.
  private get lifecycle(): lifecycle.AwsLifecycleDeps {
    return {
      sdk: this.sdk,
      lambda: this.lambda,
      opts: this.opts,
      call: (action, send) => this.call(action, send),
      lookup: () => new AwsLambdaClient(this.sdk, this.lambda, { ...this.opts, budget: lookupBudget(this.opts.budget) }, this.credentials).lifecycle,
    };
  }

  listLayers(): Promise<LayerVersionRecord[]> {
    return lifecycle.listLayers(this.lifecycle);
  }

  deleteLayerVersion(layerName: string, version: number, opts: DeleteOptions): Promise<DeleteOutcome> {
    return lifecycle.deleteLayerVersion(this.lifecycle, layerName, version, opts);
  }

  layerReferences(layerName: string): Promise<LayerReference[]> {
    return lifecycle.layerReferences(this.lifecycle, layerName);
  }

  shareLayer(req: ShareRequest): Promise<ShareOutcome> {
    return lifecycle.shareLayer(this.lifecycle, req);
  }

  // Reads for a fleet (align, status, copy, download) live in ./fleet.ts.
  layerHead(layerName: string): Promise<LayerHead> {
    return fleet.layerHead(this.lifecycle, layerName);
  }

  layerContent(layerName: string, version: number): Promise<LayerContent> {
    return fleet.layerContent(this.lifecycle, layerName, version);
  }
}
