// One FC 3.0 client bound to one region: the normalized operations over @alicloud/fc20230330.
// The SDK never retries here (no retryOptions: retryCall does it) and the client has explicit
// connect/read timeouts from opts.requestTimeoutMs: the SDK's default is 3 s for the whole
// exchange, upload included, which fails any large layer.
import { createHash } from "node:crypto";
import { Crc64 } from "../../archive/crc64.js";
import { archiveCrc64, publishBodyBytes } from "../archive-content.js";
import { CloudError, UsageError } from "../../errors.js";
import { assertChecksum } from "../checksum.js";
import { ownArrayBuffer, sharedBody, type SharedBody, ZIP_MARKER_BASE64 } from "../inline-body.js";
import { unreadableAnswer } from "../content.js";
import { sameSet } from "../record.js";
import { collectPages, unending } from "../paging.js";
import type { Budget } from "../budget.js";
import { attemptTimeoutMs, cloudCall, lookupBudget, retryCall } from "../retry.js";
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
import * as lifecycle from "./lifecycle.js";
import { asAliyunCredentials, type AliyunCredentials } from "./credentials.js";
import { isExpiredToken, toCloudError } from "./errors.js";
import { withFreshKeys } from "../credential-cache.js";
import { aliyunEnv } from "./limits.js";
import { AliyunFunctions } from "./functions.js";
import { layerRecord, type FcLayer } from "./records.js";
import { loadAliyunSdk, type AliyunSdk, type FcClientInstance } from "./sdk.js";
import { checkAnswer } from "../answers.js";
import { endpointUrl } from "../endpoint.js";
import { findOne, layerMatch } from "../lookup.js";
import { aliyunAnswers, type AliyunAction } from "./answers.js";

/** ListLayerVersions pages at most 100 versions. */
const PAGE_SIZE = 100;

export interface Endpoint {
  host: string;
  protocol: "http" | "https";
  /** Not the public endpoint: the host does not name the region, so we send it in a header. */
  custom: boolean;
}

/** The SDK's per-call options ($dara.RuntimeOptions; it reads only the fields set here). */
type RuntimeOptions = Parameters<FcClientInstance["getLayerVersionWithOptions"]>[3];

interface SdkResponse<T> {
  headers?: Record<string, string>;
  body?: T;
}

export function endpointFor(opts: Pick<ConnectOptions, "endpoint" | "region">, creds: Pick<AliyunCredentials, "accountId">): Endpoint {
  if (opts.endpoint) {
    const url = endpointUrl(opts.endpoint, "the Function Compute endpoint", "aliyun");
    return { host: url.host, protocol: url.protocol === "http:" ? "http" : "https", custom: true };
  }
  const account = creds.accountId;
  if (!account) {
    throw new UsageError(`the Function Compute endpoint ({accountId}.${opts.region}.fc.aliyuncs.com) needs your account id: ${aliyunEnv.accountId} is not set`, {
      code: "MissingAccountId",
      provider: "aliyun",
      hint: `export ${aliyunEnv.accountId}=<your Alibaba Cloud account id> (or point ${aliyunEnv.endpoint} at an endpoint)`,
    });
  }
  if (!/^\d+$/.test(account)) {
    throw new UsageError(`${aliyunEnv.accountId} must be the numeric account id, not "${account}"`, { code: "InvalidAccountId", provider: "aliyun" });
  }
  return { host: `${account}.${opts.region}.fc.aliyuncs.com`, protocol: "https", custom: false };
}

export async function connectAliyun(opts: ConnectOptions): Promise<ProviderClient> {
  const creds = asAliyunCredentials(opts.credentials);
  const endpoint = await publicOrCustomEndpoint(opts, creds);
  const sdk = await loadAliyunSdk();
  return new AliyunClient(sdk, new sdk.Client(fcConfig(sdk, opts, creds, endpoint)), opts, creds);
}

/**
 * The endpoint, with the account id the public one needs: known, or asked of STS once per run.
 * A dry run asks nothing: its client, which sends nothing, gets a host that says so.
 */
export async function publicOrCustomEndpoint(opts: ConnectOptions, creds: AliyunCredentials): Promise<Endpoint> {
  if (opts.endpoint || creds.accountId !== undefined) return endpointFor(opts, creds);
  if (creds.offline) return { host: `account-id-from-sts.${opts.region}.fc.aliyuncs.com`, protocol: "https", custom: false };
  return endpointFor(opts, { accountId: await creds.account() });
}

/** The FC client's settings, shared by the layer calls and the temporary bucket token. */
export function fcConfig(sdk: AliyunSdk, opts: ConnectOptions, creds: AliyunCredentials, endpoint: Endpoint): InstanceType<AliyunSdk["Config"]> {
  return new sdk.Config({
    // Asked for every request (openapi-core's credential interface): the keys of the moment,
    // renewed ones after a refresh.
    credential: {
      async getCredential() {
        const k = await creds.keys.get();
        return { accessKeyId: k.keyId, accessKeySecret: k.secret, securityToken: k.token, type: k.token ? "sts" : "access_key" };
      },
    } as unknown as InstanceType<AliyunSdk["Config"]>["credential"],
    endpoint: endpoint.host,
    protocol: endpoint.protocol,
    regionId: opts.region,
    connectTimeout: opts.requestTimeoutMs,
    readTimeout: opts.requestTimeoutMs,
    // Real endpoints carry the region in the host name; a custom one (the emulator, a proxy)
    // does not, so name it in a signed header.
    globalParameters: endpoint.custom ? new sdk.GlobalParameters({ headers: { "x-acs-region-id": opts.region } }) : undefined,
  });
}

export class AliyunClient implements ProviderClient {
  constructor(
    private readonly sdk: AliyunSdk,
    private readonly client: FcClientInstance,
    private readonly opts: ConnectOptions,
    private readonly credentials: AliyunCredentials,
  ) {}

  /** The update side of functions (attach): ./functions.ts. */
  get functions(): AliyunFunctions {
    return new AliyunFunctions(this.sdk, this.client, this.opts, (action, fn, opts) => this.call(action, fn, opts), requestIdOf);
  }

  within(budget: Budget): ProviderClient {
    return new AliyunClient(this.sdk, this.client, { ...this.opts, budget }, this.credentials);
  }

  /**
   * The listing carries each version's CRC-64 and size: a version holding this zip is told by
   * them, without downloading anything (a download that fails must not make a version "not ours").
   */
  async findPublished(req: PublishLayerRequest, after: number): Promise<Lookup<LayerVersionRecord>> {
    const crc = req.staged?.crc64 ?? (await archiveCrc64(req.archive));
    let versions: Array<{ layer: FcLayer; requestId: string | null }>;
    try {
      versions = await this.listRaw(req.layerName);
    } catch (err) {
      if (err instanceof CloudError && err.code === "LayerNotFound") return { absent: true };
      throw err;
    }
    const newer = versions.filter(({ layer }) => (layer.version ?? 0) > after);
    const found = await findOne(
      newer,
      ({ layer }) =>
        layerMatch({ compatibleRuntimes: layer.compatibleRuntime ?? [], compatibleArchitectures: [] }, layer.codeChecksum === crc && layer.codeSize === req.archive.size, req),
      ({ layer }) => `version ${layer.version}`,
    );
    if (!("found" in found)) return found;
    // Same CRC-64 and size as our zip: the stored bytes are ours, so our sha256 is theirs.
    return { found: layerRecord(this.opts.region, req.layerName, found.found.layer, found.found.requestId, req.archive.sha256) };
  }

  async publishLayer(req: PublishLayerRequest): Promise<LayerVersionRecord> {
    const m = this.sdk.models;
    const crc = req.staged?.crc64 ?? (await archiveCrc64(req.archive));
    // code.checksum makes FC verify the bytes it received; we verify what it says it stored.
    // Staged: FC reads the zip from OSS (same region) instead of the body.
    const code = req.staged
      ? new m.InputCodeLocation({ ossBucketName: req.staged.bucket, ossObjectName: req.staged.key, checksum: crc })
      : new m.InputCodeLocation({ zipFile: ZIP_MARKER_BASE64, checksum: crc });
    const request = new m.CreateLayerVersionRequest({
      body: new m.CreateLayerVersionInput({
        code,
        compatibleRuntime: req.runtimes,
        description: req.description,
        license: req.license,
      }),
    });
    request.validate();
    // The inline body is built once per zip and shared by this cloud's uploads (../inline-body.ts).
    const body = req.staged ? undefined : sharedBody(req.archive, "aliyun");
    const resp = await this.call("CreateLayerVersion", (rt) => this.createLayerVersion(req.layerName, request, body, rt), {
      creates: true,
      uploadBytes: publishBodyBytes(req.archive, Boolean(req.staged)),
      sharedBody: body,
    });
    const layer = (resp.body ?? {}) as FcLayer;
    const requestId = requestIdOf(resp);
    assertChecksum("aliyun", "codeChecksum (CRC-64)", crc, layer.codeChecksum, requestId ?? undefined, { version: layer.version, arn: layer.layerVersionArn });
    return layerRecord(this.opts.region, req.layerName, layer, requestId, req.archive.sha256);
  }

  /**
   * createLayerVersionWithOptions, with the JSON body built by the SDK's own request-to-map step
   * once per zip (./../inline-body.ts) and handed to the SDK's callApi as bytes: the operation's
   * parameters are the generated method's, except the body type "byte", whose path hashes and
   * sends a view of our ArrayBuffer instead of three fresh copies (JSON string, hashed bytes, sent
   * bytes). The bytes and content type on the wire are the ones the "json" path sends.
   */
  private async createLayerVersion(
    layerName: string,
    request: InstanceType<AliyunSdk["models"]["CreateLayerVersionRequest"]>,
    shared: SharedBody | undefined,
    runtime: RuntimeOptions,
  ): Promise<SdkResponse<FcLayer>> {
    const json = JSON.stringify(this.sdk.parseToMap(request.body));
    const body = shared ? await shared.body(json) : Buffer.from(json, "utf8");
    const params = new this.sdk.Params({
      action: "CreateLayerVersion",
      version: "2023-03-30",
      protocol: "HTTPS",
      // Layer names are [a-zA-Z][a-zA-Z0-9_-]* (checked before any call): nothing to escape beyond encodeURIComponent.
      pathname: `/2023-03-30/layers/${encodeURIComponent(layerName)}/versions`,
      method: "POST",
      authType: "AK",
      style: "ROA",
      reqBodyType: "byte",
      bodyType: "json",
    });
    const apiRequest = new this.sdk.OpenApiRequest({
      headers: { "content-type": "application/json; charset=utf-8" },
      // An ArrayBuffer: the SDK's Buffer.from() of it is a view, not a copy.
      body: ownArrayBuffer(body),
    });
    return this.client.callApi(params, apiRequest, runtime) as Promise<SdkResponse<FcLayer>>;
  }

  async getLayerVersion(layerName: string, version: number): Promise<LayerVersionRecord> {
    const resp = await this.call("GetLayerVersion", (rt) => this.client.getLayerVersionWithOptions(layerName, String(version), {}, rt));
    const layer = (resp.body ?? {}) as FcLayer;
    return layerRecord(this.opts.region, layerName, layer, requestIdOf(resp), await this.sha256Of(layer));
  }

  /**
   * FC reports a CRC-64, but records carry a SHA-256: for one version, download it once and hash
   * it, checking the CRC-64 on the way. Unknown (null, with a debug line) if the download fails
   * at any point, headers or body; a download that does not match FC's own checksum is not the
   * stored layer, so it is an error.
   */
  private async sha256Of(layer: FcLayer): Promise<string | null> {
    const location = layer.code?.location;
    if (!location) return null;
    const sha = createHash("sha256");
    const crc = new Crc64();
    try {
      const res = await fetch(location, { signal: AbortSignal.timeout(attemptTimeoutMs(this.opts.requestTimeoutMs, 0, this.opts.budget?.deadline)) });
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        throw new Error(`HTTP ${res.status}`);
      }
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        sha.update(chunk);
        crc.update(chunk);
      }
    } catch (err) {
      const e = err as { name?: unknown; message?: unknown };
      this.opts.log.debug(
        `aliyun: could not download the layer to hash it: ${typeof e?.name === "string" ? `${e.name}: ` : ""}${typeof e?.message === "string" ? e.message : String(err)}`,
      );
      return null;
    }
    if (layer.codeChecksum && crc.decimal() !== layer.codeChecksum) {
      throw new CloudError(`the downloaded layer's CRC-64 ${crc.decimal()} differs from the codeChecksum ${layer.codeChecksum} FC reports`, {
        code: "ChecksumMismatch",
        provider: "aliyun",
        hint: "the download was damaged or the stored layer is; try again",
      });
    }
    return sha.digest("hex");
  }

  async listLayerVersions(layerName: string): Promise<LayerVersionRecord[]> {
    let versions: Array<{ layer: FcLayer; requestId: string | null }>;
    try {
      versions = await this.listRaw(layerName);
    } catch (err) {
      // A layer without versions: the same empty answer the other clouds give.
      if (err instanceof CloudError && err.code === "LayerNotFound") return [];
      throw err;
    }
    return versions.map(({ layer, requestId }) => layerRecord(this.opts.region, layerName, layer, requestId, null));
  }

  async findUnchanged(req: PublishLayerRequest): Promise<LayerVersionRecord | null> {
    let versions: Array<{ layer: FcLayer; requestId: string | null }>;
    try {
      versions = await this.listRaw(req.layerName);
    } catch (err) {
      if (err instanceof CloudError && err.code === "LayerNotFound") return null;
      throw err;
    }
    const newest = versions[0];
    if (!newest) return null;
    const { layer, requestId } = newest;
    const sameContent = layer.codeSize === req.archive.size && layer.codeChecksum === (await archiveCrc64(req.archive));
    if (!sameContent || !sameSet(layer.compatibleRuntime ?? [], req.runtimes)) return null;
    // Same CRC-64 and size as our zip: the stored bytes are ours, so our sha256 is theirs.
    return { ...layerRecord(this.opts.region, req.layerName, layer, requestId, req.archive.sha256), status: "unchanged" };
  }

  async publishFunctionVersion(req: PublishFunctionRequest): Promise<FunctionVersionRecord> {
    // FC 3.0 has no namespaces: the command layer warns about --namespace and never passes one here.
    const m = this.sdk.models;
    const request = new m.PublishFunctionVersionRequest({ body: new m.PublishVersionInput({ description: req.description }) });
    const resp = await this.call("PublishFunctionVersion", (rt) => this.client.publishFunctionVersionWithOptions(req.functionName, request, {}, rt), { creates: true });
    const body = (resp.body ?? {}) as { versionId?: string; description?: string };
    if (!body.versionId) {
      throw new CloudError("PublishFunctionVersion returned no versionId", { code: "InvalidResponse", provider: "aliyun", requestId: requestIdOf(resp) ?? undefined });
    }
    return {
      provider: "aliyun",
      region: this.opts.region,
      functionName: req.functionName,
      version: String(body.versionId),
      // The 2023-03-30 Version structure carries no ARN.
      arn: null,
      description: body.description || null,
      requestId: requestIdOf(resp),
    };
  }

  // The layer lifecycle (list, delete, in-use scan, share) lives in ./lifecycle.ts.
  private get lifecycle(): lifecycle.AliyunLifecycleDeps {
    return {
      sdk: this.sdk,
      client: this.client,
      opts: this.opts,
      call: (action, fn, o) => this.call(action, fn, o),
      requestIdOf,
      lookup: () => new AliyunClient(this.sdk, this.client, { ...this.opts, budget: lookupBudget(this.opts.budget) }, this.credentials).lifecycle,
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

  /**
   * The newest version and its digest, from ListLayerVersions (every page, checked as a whole):
   * each item carries codeChecksum (CRC-64) and codeSize, so the newest version's digest needs no
   * further read and no download. FC caps no layer's versions (versionCount null).
   */
  async layerHead(layerName: string): Promise<LayerHead> {
    let all: Array<{ layer: FcLayer; requestId: string | null }>;
    try {
      all = await this.listRaw(layerName);
    } catch (err) {
      if (err instanceof CloudError && err.code === "LayerNotFound") return { highest: 0, newest: null, digest: null, versionCount: null };
      throw err;
    }
    const newest = all[0];
    if (!newest) return { highest: 0, newest: null, digest: null, versionCount: null };
    return {
      highest: newest.layer.version!,
      newest: layerRecord(this.opts.region, layerName, newest.layer, newest.requestId, null),
      digest: { crc64: newest.layer.codeChecksum!, size: newest.layer.codeSize! },
      versionCount: null,
    };
  }

  /** GetLayerVersion: code.location (an OSS link), codeChecksum (CRC-64/XZ, decimal) and codeSize. */
  async layerContent(layerName: string, version: number): Promise<LayerContent> {
    const resp = await this.call("GetLayerVersion", (rt) => this.client.getLayerVersionWithOptions(layerName, String(version), {}, rt));
    const layer = (resp.body ?? {}) as FcLayer;
    const requestId = requestIdOf(resp);
    if (
      typeof layer.version !== "number" ||
      typeof layer.code?.location !== "string" ||
      !layer.code.location ||
      typeof layer.codeChecksum !== "string" ||
      !/^\d+$/.test(layer.codeChecksum)
    ) {
      throw unreadableAnswer("aliyun", "GetLayerVersion", "version, code.location or a decimal codeChecksum is missing", requestId);
    }
    return {
      record: layerRecord(this.opts.region, layerName, layer, requestId, null),
      location: layer.code.location,
      digest: { crc64: layer.codeChecksum, ...(typeof layer.codeSize === "number" ? { size: layer.codeSize } : {}) },
    };
  }

  /** Every live version, newest first (FC pages them oldest first from startVersion, up to nextVersion). */
  private async listRaw(layerName: string): Promise<Array<{ layer: FcLayer; requestId: string | null }>> {
    const m = this.sdk.models;
    const pages = await collectPages(`aliyun ListLayerVersions ${layerName}`, this.opts.log, async (start) => {
      const request = new m.ListLayerVersionsRequest({ limit: PAGE_SIZE, startVersion: start });
      const resp = await this.call("ListLayerVersions", (rt) => this.client.listLayerVersionsWithOptions(layerName, request, {}, rt));
      const body = (resp.body ?? {}) as { layers?: FcLayer[]; nextVersion?: number | null };
      const requestId = requestIdOf(resp);
      const next = body.nextVersion;
      // The next page starts past this one; a nextVersion that does not is a listing going round.
      if (typeof next === "number" && start !== undefined && next <= Number(start)) {
        throw unending(`aliyun ListLayerVersions ${layerName}`, `nextVersion ${next} does not move past ${start}`);
      }
      return { items: (body.layers ?? []).map((layer) => ({ layer, requestId })), next: typeof next === "number" && next > 0 ? String(next) : undefined };
    });
    const byVersion = new Map(pages.map((p) => [p.layer.version, p]));
    return [...byVersion.values()].sort((a, b) => (b.layer.version ?? 0) - (a.layer.version ?? 0));
  }

  /**
   * A call that creates something (a layer or function version) is repeated only after errors
   * that certainly had no effect: after a timeout, reset or 5xx the version may exist already,
   * and a blind retry would create a second one.
   */
  private call<T>(
    action: AliyunAction,
    fn: (runtime: RuntimeOptions) => Promise<SdkResponse<T>>,
    opts: { creates?: boolean; uploadBytes?: number; retry?: RetryPolicy; sharedBody?: SharedBodyHold } = {},
  ): Promise<SdkResponse<T>> {
    // The SDK takes no abort signal: its timers are set to the attempt's timeout instead (the
    // read timer covers the body), and retryCall ends the attempt then in any case.
    const runtime = (timeoutMs: number) => ({ readTimeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 10_000) }) as RuntimeOptions;
    // Keys whose token the cloud refuses are renewed once where their source can renew them.
    return withFreshKeys(this.credentials.keys, isExpiredToken, () =>
      retryCall(
        cloudCall("aliyun", action, this.opts, opts),
        // The body is checked inside the attempt: an unreadable one is retried like any failed read.
        async (_signal, timeoutMs) => {
          const resp = await fn(runtime(timeoutMs));
          checkAnswer(aliyunAnswers[action], resp.body, { provider: "aliyun", action, requestId: requestIdOf(resp) ?? undefined });
          return resp;
        },
        (err) => toCloudError(err, action),
      ),
    );
  }
}

function requestIdOf(resp: SdkResponse<unknown>): string | null {
  const h = resp.headers ?? {};
  return h["x-acs-request-id"] || h["x-fc-request-id"] || null;
}
