// One region of SCF through the official SDK. The SDK never retries, so every call goes through
// retryCall; publishing is asynchronous (Publishing -> Active | PublishFailed), so publishLayer
// polls GetLayerVersion when asked to wait, and only then can it verify the stored checksum.
import { CloudError } from "../../errors.js";
import { publishBodyBytes } from "../archive-content.js";
import { base64Text } from "../base64.js";
import { releasedBodyCopies } from "../memory.js";
import { assertChecksum } from "../checksum.js";
import { unreadableAnswer } from "../content.js";
import { blankRecord, sameSet } from "../record.js";
import { narrowBudget, type Budget } from "../budget.js";
import { attemptTimeoutMs, cloudCall, lookupBudget, retryCall } from "../retry.js";
import { UsageError } from "../../errors.js";
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
  PublishOptions,
  RetryPolicy,
  ShareOutcome,
} from "../types.js";
import * as lifecycle from "./lifecycle.js";
import { TENCENT_SHARING } from "./sharing.js";
import type { TencentCredentials } from "./credentials.js";
import { isExpiredToken, toCloudError } from "./errors.js";
import { withFreshKeys } from "../credential-cache.js";
import { DEAD_STATES, layerRecord, type LayerVersionFields } from "./records.js";

/** Versions on their way out: they no longer count toward the 200-version cap (as `layerctl layers` counts). */
const LEAVING = new Set(["Deleting", "Deleted"]);
import { TencentFunctions } from "./functions.js";
import type { ScfClient } from "./sdk.js";
import { cosContent } from "./storage-names.js";
import { findOne, layerMatch } from "../lookup.js";

/** What SCF answers for a version (or a layer) that is not there. */
const NOT_FOUND = new Set(["ResourceNotFound.LayerVersion", "ResourceNotFound.Layer"]);
import { checkAnswer } from "../answers.js";
import { tencentAnswers, type TencentAction } from "./answers.js";

type Action = "PublishLayerVersion" | "GetLayerVersion" | "ListLayerVersions" | "PublishVersion" | lifecycle.LifecycleAction;

export class TencentClient implements ProviderClient {
  constructor(
    private readonly sdk: ScfClient,
    private readonly opts: ConnectOptions,
    private readonly credentials: TencentCredentials,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** The update side of functions (attach): ./functions.ts. */
  get functions(): TencentFunctions {
    return new TencentFunctions(this.sdk, this.opts, (action, fn, opts) => this.call(action, fn, opts));
  }

  within(budget: Budget): ProviderClient {
    return new TencentClient(this.sdk, { ...this.opts, budget }, this.credentials, this.sleep);
  }

  /** List items carry no checksum: each newer version is read (GetLayerVersion's CodeSha256, no download). */
  async findPublished(req: PublishLayerRequest, after: number): Promise<Lookup<LayerVersionRecord>> {
    const newer = (await this.listLayerVersions(req.layerName)).filter((v) => v.version !== null && v.version > after);
    const read: LayerVersionRecord[] = [];
    for (const item of newer) {
      try {
        read.push(layerRecord(this.opts.region, req.layerName, await this.getRaw(req.layerName, item.version!)));
      } catch (err) {
        // Deleted since it was listed: not a version this publish can report.
        if (!(err instanceof CloudError && NOT_FOUND.has(err.code))) throw err;
      }
    }
    return findOne(
      read,
      (v) => layerMatch(v, v.codeSha256 === req.archive.sha256.toLowerCase(), req),
      (v) => `version ${v.version}`,
    );
  }

  async publishLayer(req: PublishLayerRequest, opts: PublishOptions): Promise<LayerVersionRecord> {
    const bodyBytes = publishBodyBytes(req.archive, Boolean(req.staged));
    // The zip's base64, encoded once per zip for every target (../base64.ts).
    const zipFile = req.staged ? undefined : await base64Text(req.archive);
    const published = await this.call(
      "PublishLayerVersion",
      (signal) =>
        this.send("PublishLayerVersion", signal, {
          LayerName: req.layerName,
          CompatibleRuntimes: req.runtimes,
          Content: req.staged ? cosContent(req.staged) : { ZipFile: zipFile },
          Description: req.description,
          LicenseInfo: req.license,
        }).finally(() => releasedBodyCopies(3 * bodyBytes)),
      // The SDK holds three copies of the JSON body while it sends (the body, the text it signs,
      // the bytes it writes).
      { creates: true, uploadBytes: bodyBytes, heldBytes: 3 * bodyBytes },
    );
    const version = published.LayerVersion;
    const requestId = published.RequestId;
    if (typeof version !== "number") {
      throw new CloudError("PublishLayerVersion answered without a LayerVersion", { code: "InvalidResponse", provider: "tencent", requestId });
    }

    if (!opts.wait) {
      // Nothing is verified yet: codeSha256/codeSize describe what we uploaded, and the state
      // is the one every new version starts in.
      const rec = blankRecord("tencent", this.opts.region, req.layerName);
      Object.assign(rec, {
        version,
        state: "Publishing",
        codeSha256: req.archive.sha256,
        codeSize: req.archive.size,
        compatibleRuntimes: [...req.runtimes],
        description: req.description || null,
        license: req.license || null,
        requestId: requestId ?? null,
      });
      return rec;
    }

    const active = await this.untilActive(req, version, opts, requestId);
    // The checksum matched, so the stored zip is ours and so is its size.
    return { ...layerRecord(this.opts.region, req.layerName, active), codeSize: req.archive.size, requestId: requestId ?? active.RequestId ?? null };
  }

  /**
   * Polls a version until it is Active (its stored checksum checked against this archive), within
   * opts.waitTimeoutMs: a still-Publishing version at the end is an error naming it.
   */
  private async untilActive(req: PublishLayerRequest, version: number, opts: PublishOptions, requestId: string | undefined): Promise<LayerVersionFields> {
    const deadline = Date.now() + opts.waitTimeoutMs;
    for (;;) {
      let got: LayerVersionFields;
      try {
        // A poll is a read: throttling or a 5xx is retried for as long as the budget lasts, not
        // a fixed number of times (the version exists; failing the target would hide it).
        const poll = { retry: { ...this.opts.retry, maxAttempts: Number.MAX_SAFE_INTEGER }, budget: narrowBudget(this.opts.budget, deadline) };
        got = await this.getRaw(req.layerName, version, poll);
      } catch (err) {
        // Out of budget while polls could not be read: the version is still not known Active.
        if (err instanceof CloudError && err.retryable && Date.now() + opts.pollIntervalMs > deadline) {
          throw stillPublishing(req.layerName, version, opts.waitTimeoutMs, requestId, `the last poll failed: ${err.code}`);
        }
        throw namingVersion(err, req.layerName, version);
      }
      if (got.Status === "Active") {
        assertChecksum("tencent", "CodeSha256", req.archive.sha256, got.CodeSha256, got.RequestId, { version });
        return got;
      }
      if (got.Status !== "Publishing") {
        const failed = got.Status === "PublishFailed";
        throw new CloudError(`layer ${req.layerName} version ${version} ended in state ${got.Status ?? "(none)"} instead of Active`, {
          code: failed ? "PublishFailed" : "UnexpectedState",
          provider: "tencent",
          requestId,
          version,
          hint: "publish again; the failed version can be deleted with DeleteLayerVersion",
        });
      }
      if (Date.now() + opts.pollIntervalMs > deadline) throw stillPublishing(req.layerName, version, opts.waitTimeoutMs, requestId);
      await this.sleep(opts.pollIntervalMs);
    }
  }

  async getLayerVersion(layerName: string, version: number): Promise<LayerVersionRecord> {
    const got = await this.getRaw(layerName, version);
    const rec = layerRecord(this.opts.region, layerName, got);
    // GetLayerVersion has no size field: the download link tells it.
    rec.codeSize = rec.location ? await this.sizeOf(rec.location) : null;
    return rec;
  }

  async listLayerVersions(layerName: string): Promise<LayerVersionRecord[]> {
    let res;
    try {
      res = await this.call("ListLayerVersions", (signal) => this.send("ListLayerVersions", signal, { LayerName: layerName }));
    } catch (err) {
      // A layer without versions: the same empty answer the other clouds give.
      if (err instanceof CloudError && err.code === "ResourceNotFound.Layer") return [];
      throw err;
    }
    return (res.LayerVersions ?? [])
      .map((v) => ({ ...layerRecord(this.opts.region, layerName, v), requestId: res.RequestId ?? null }))
      .sort((a, b) => (b.version ?? 0) - (a.version ?? 0));
  }

  async findUnchanged(req: PublishLayerRequest, opts?: PublishOptions): Promise<LayerVersionRecord | null> {
    const newest = (await this.listLayerVersions(req.layerName)).find((v) => !DEAD_STATES.has(v.state ?? ""));
    if (!newest || newest.version === null || !sameSet(newest.compatibleRuntimes, req.runtimes)) return null;
    let got = await this.getRaw(req.layerName, newest.version);
    if (!got.CodeSha256 || got.CodeSha256.toLowerCase() !== req.archive.sha256.toLowerCase()) return null;
    // The same zip, still Publishing (a run with --no-wait, or one that was stopped): wait for it
    // as publish would for its own version, so what is reported can be used at once.
    if (got.Status === "Publishing" && opts?.wait) got = await this.untilActive(req, newest.version, opts, got.RequestId);
    return { ...layerRecord(this.opts.region, req.layerName, got), status: "unchanged", codeSize: req.archive.size };
  }

  async publishFunctionVersion(req: PublishFunctionRequest): Promise<FunctionVersionRecord> {
    const res = await this.call(
      "PublishVersion",
      (signal) => this.send("PublishVersion", signal, { FunctionName: req.functionName, Description: req.description, Namespace: req.namespace }),
      { creates: true },
    );
    if (res.FunctionVersion === undefined || res.FunctionVersion === null) {
      throw new CloudError("PublishVersion answered without a FunctionVersion", { code: "InvalidResponse", provider: "tencent", requestId: res.RequestId });
    }
    return {
      provider: "tencent",
      region: this.opts.region,
      functionName: req.functionName,
      version: String(res.FunctionVersion),
      arn: null,
      description: res.Description || req.description || null,
      requestId: res.RequestId ?? null,
    };
  }

  // The layer lifecycle (list, delete, in-use scan) lives in ./lifecycle.ts.
  private get lifecycle(): lifecycle.TencentLifecycleDeps {
    return {
      opts: this.opts,
      request: (action, req, o) => this.call(action, (signal) => this.send(action, signal, req), o),
      sleep: this.sleep,
      lookup: () => new TencentClient(this.sdk, { ...this.opts, budget: lookupBudget(this.opts.budget) }, this.credentials, this.sleep).lifecycle,
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

  /**
   * One ListLayerVersions (SCF lists every version at once, each with its Status) and one
   * GetLayerVersion of the newest usable one (its CodeSha256). Versions count toward SCF's 200
   * until they are being deleted.
   */
  async layerHead(layerName: string): Promise<LayerHead> {
    let res;
    try {
      res = await this.call("ListLayerVersions", (signal) => this.send("ListLayerVersions", signal, { LayerName: layerName }));
    } catch (err) {
      if (err instanceof CloudError && err.code === "ResourceNotFound.Layer") return { highest: 0, newest: null, digest: null, versionCount: 0 };
      throw err;
    }
    const items = res.LayerVersions;
    if (!Array.isArray(items) || items.some((v) => typeof v?.LayerVersion !== "number" || typeof v.Status !== "string")) {
      throw unreadableAnswer("tencent", "ListLayerVersions", "LayerVersions is not a list of versions with LayerVersion and Status", res.RequestId);
    }
    const highest = Math.max(0, ...items.map((v) => v.LayerVersion!));
    const versionCount = items.filter((v) => !LEAVING.has(v.Status!)).length;
    const live = items.filter((v) => !DEAD_STATES.has(v.Status!)).sort((a, b) => b.LayerVersion! - a.LayerVersion!)[0];
    if (!live) return { highest, newest: null, digest: null, versionCount };
    const content = await this.layerContent(layerName, live.LayerVersion!);
    return { highest, newest: content.record, digest: content.digest, versionCount };
  }

  /** GetLayerVersion: Location (a COS link) and CodeSha256 (hex); SCF reports no size there. */
  async layerContent(layerName: string, version: number): Promise<LayerContent> {
    const got = await this.getRaw(layerName, version);
    if (
      typeof got.LayerVersion !== "number" ||
      typeof got.Location !== "string" ||
      !got.Location ||
      typeof got.CodeSha256 !== "string" ||
      !/^[0-9a-fA-F]{64}$/.test(got.CodeSha256)
    ) {
      throw unreadableAnswer("tencent", "GetLayerVersion", "LayerVersion, Location or a hex CodeSha256 is missing", got.RequestId);
    }
    return { record: layerRecord(this.opts.region, layerName, got), location: got.Location, digest: { sha256: got.CodeSha256.toLowerCase() } };
  }

  async shareLayer(): Promise<ShareOutcome> {
    // Commands check features.sharing first; reaching this is a caller's bug, reported as usage.
    throw new UsageError(TENCENT_SHARING.unsupported, { code: "SharingUnsupported", provider: "tencent" });
  }

  private getRaw(layerName: string, version: number, under?: { retry: RetryPolicy; budget: Budget }): Promise<LayerVersionFields> {
    return this.call("GetLayerVersion", (signal) => this.send("GetLayerVersion", signal, { LayerName: layerName, LayerVersion: version }), { ...under });
  }

  /**
   * A call that creates something (a layer or function version) is repeated only after errors
   * that certainly had no effect: after a timeout, reset or 5xx the version may exist already,
   * and a blind retry would create a second one.
   */
  private call<T>(
    action: TencentAction,
    fn: (signal: AbortSignal) => Promise<T>,
    opts: { creates?: boolean; uploadBytes?: number; heldBytes?: number; retry?: RetryPolicy; budget?: Budget } = {},
  ): Promise<T> {
    // Keys whose token the cloud refuses are renewed once where their source can renew them.
    const keys = this.credentials.keys;
    return withFreshKeys(keys, isExpiredToken, () =>
      retryCall(
        cloudCall("tencent", action, this.opts, opts),
        // The answer is checked inside the attempt: an unreadable one is retried like any failed read.
        async (signal) => {
          const out = await fn(signal);
          const requestId = (out as { RequestId?: unknown } | undefined)?.RequestId;
          return checkAnswer(tencentAnswers[action], out, { provider: "tencent", action, requestId: typeof requestId === "string" ? requestId : undefined });
        },
        (err) => toCloudError(err, action, { timeoutMs: this.opts.requestTimeoutMs, secrets: keys.knownSecrets() }),
      ),
    );
  }

  /**
   * The SDK's typed methods take no options; its generic request() takes the abort signal, so a
   * request is torn down at its attempt's timeout, also while the answer's body is streaming.
   */
  private send<A extends Action>(action: A, signal: AbortSignal, req: Parameters<ScfClient[A]>[0]): Promise<Awaited<ReturnType<ScfClient[A]>>> {
    return this.sdk.request(action, req, { signal }) as Promise<Awaited<ReturnType<ScfClient[A]>>>;
  }

  /** Size from a one-byte ranged GET of the download link; null (and a debug line) if it cannot tell. */
  private async sizeOf(location: string): Promise<number | null> {
    try {
      const res = await fetch(location, {
        headers: { Range: "bytes=0-0" },
        signal: AbortSignal.timeout(attemptTimeoutMs(this.opts.requestTimeoutMs, 0, this.opts.budget?.deadline)),
      });
      const range = /\/(\d+)\s*$/.exec(res.headers.get("content-range") ?? "");
      const length = res.headers.get("content-length");
      await res.body?.cancel();
      if (res.status === 206 && range) return Number(range[1]);
      if (res.status === 200 && length !== null && /^\d+$/.test(length)) return Number(length);
      this.opts.log.debug(`tencent: could not tell the layer size from its download link (HTTP ${res.status})`);
    } catch (err) {
      this.opts.log.debug(`tencent: could not tell the layer size from its download link: ${(err as Error).message}`);
    }
    return null;
  }
}

function stillPublishing(layerName: string, version: number, waitedMs: number, requestId: string | undefined, why?: string): CloudError {
  return new CloudError(`layer ${layerName} version ${version} is still Publishing after ${waitedMs} ms${why ? ` (${why})` : ""}`, {
    code: "PublishTimeout",
    provider: "tencent",
    requestId,
    version,
    hint: `the version may still become Active: check version ${version} later, or wait longer`,
  });
}

/** A failure after the version was created: the same error, naming that version. */
function namingVersion(err: unknown, layerName: string, version: number): unknown {
  if (!(err instanceof CloudError) || err.version !== undefined) return err;
  return err.with({
    message: `${err.message} (while waiting for ${layerName} version ${version}, which exists)`,
    hint: err.hint ?? `version ${version} may still become Active: check it later`,
    version,
  });
}
