// Attaching layers to a Lambda function: GetFunction (its Layers and LastUpdateStatus),
// UpdateFunctionConfiguration (Layers replaces the whole list, in order), a wait until
// LastUpdateStatus is Successful, and UpdateAlias / CreateAlias once the version is Active: a new
// version may be State Pending (the SDK's waitUntilPublishedVersionActive polls
// GetFunctionConfiguration with the version as Qualifier until State is Active; release-apis.md,
// "Attach to functions"), and an alias must point at a version that can run.
// Lambda refuses a second update while one is InProgress (ResourceConflictException), so the
// read waits for a running update too. We poll GetFunction ourselves rather than use the SDK's
// waitUntilFunctionUpdatedV2: one poll loop, one deadline (--timeout) and one error for every cloud.
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { CloudError } from "../../errors.js";
import { invalid, layersFromArns, newestFirst, waitForUpdate, type UpdateProgress } from "../function-update.js";
import { collectPages } from "../paging.js";
import type { Logger } from "../../output/log.js";
import type { AttachedLayer, FunctionRef, FunctionUpdater, UpdateWaitOptions } from "../types.js";

type LambdaSdk = typeof import("@aws-sdk/client-lambda");
type Call = <T>(action: string, send: () => Promise<T>, opts?: { creates?: boolean }) => Promise<T>;

interface Configuration {
  Layers?: Array<{ Arn?: string }>;
  State?: string;
  StateReason?: string;
  LastUpdateStatus?: string;
  LastUpdateStatusReason?: string;
  $metadata?: { requestId?: string };
}

export class AwsFunctions implements FunctionUpdater {
  constructor(
    private readonly sdk: LambdaSdk,
    private readonly lambda: LambdaClient,
    private readonly call: Call,
    private readonly log: Logger,
  ) {}

  async getLayers(fn: FunctionRef, opts: UpdateWaitOptions): Promise<AttachedLayer[]> {
    const config = await this.settled(fn, opts);
    return layersFromArns(
      (config.Layers ?? []).map((l) => l.Arn),
      { provider: "aws", functionName: fn.functionName, requestId: config.$metadata?.requestId },
    );
  }

  async setLayers(fn: FunctionRef, layers: AttachedLayer[], opts: UpdateWaitOptions): Promise<{ requestId: string | null }> {
    const { UpdateFunctionConfigurationCommand } = this.sdk;
    // Setting a list is idempotent: a repeat after an ambiguous failure sets the same list.
    const out = await this.call("UpdateFunctionConfiguration", () =>
      this.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn.functionName, Layers: layers.map((l) => l.arn!) })),
    );
    await this.settled(fn, opts);
    return { requestId: out.$metadata.requestId ?? null };
  }

  async pointAlias(fn: FunctionRef, alias: string, version: string, opts: UpdateWaitOptions): Promise<{ created: boolean; requestId: string | null }> {
    const { UpdateAliasCommand, CreateAliasCommand } = this.sdk;
    if (version !== "$LATEST") await this.versionActive(fn, version, opts);
    try {
      const out = await this.call("UpdateAlias", () => this.lambda.send(new UpdateAliasCommand({ FunctionName: fn.functionName, Name: alias, FunctionVersion: version })));
      return { created: false, requestId: out.$metadata.requestId ?? null };
    } catch (err) {
      if (!(err instanceof CloudError) || err.code !== "ResourceNotFoundException" || !/alias/i.test(err.message)) throw err;
    }
    const out = await this.call("CreateAlias", () => this.lambda.send(new CreateAliasCommand({ FunctionName: fn.functionName, Name: alias, FunctionVersion: version })), {
      creates: true,
    });
    return { created: true, requestId: out.$metadata.requestId ?? null };
  }

  async findLayers(fn: FunctionRef, opts: UpdateWaitOptions): Promise<AttachedLayer[] | null> {
    try {
      return await this.getLayers(fn, opts);
    } catch (err) {
      if (err instanceof CloudError && err.code === "ResourceNotFoundException") return null;
      throw err;
    }
  }

  async aliasVersion(fn: FunctionRef, alias: string): Promise<string | null> {
    const { GetAliasCommand } = this.sdk;
    try {
      const out = await this.call("GetAlias", () => this.lambda.send(new GetAliasCommand({ FunctionName: fn.functionName, Name: alias })));
      if (!out.FunctionVersion) throw invalid("GetAlias", "FunctionVersion", out.$metadata.requestId, "aws");
      return out.FunctionVersion;
    } catch (err) {
      if (err instanceof CloudError && err.code === "ResourceNotFoundException") return null;
      throw err;
    }
  }

  async listVersions(fn: FunctionRef): Promise<string[]> {
    const { ListVersionsByFunctionCommand } = this.sdk;
    const versions = await collectPages(`aws ListVersionsByFunction ${fn.functionName}`, this.log, async (marker) => {
      const out = await this.call("ListVersionsByFunction", () =>
        this.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn.functionName, MaxItems: 50, Marker: marker })),
      );
      const items = (out.Versions ?? []).map((v) => v.Version);
      // Decisions (which version to keep, or go back to) rest on this list: every item must say which it is.
      if (items.some((v) => !v)) throw invalid("ListVersionsByFunction", "Versions[].Version", out.$metadata.requestId, "aws");
      return { items: items as string[], next: out.NextMarker || undefined };
    });
    return newestFirst(versions);
  }

  async versionLayers(fn: FunctionRef, version: string): Promise<AttachedLayer[]> {
    const { GetFunctionCommand } = this.sdk;
    const out = await this.call("GetFunction", () => this.lambda.send(new GetFunctionCommand({ FunctionName: fn.functionName, Qualifier: version })));
    if (!out.Configuration) throw invalid("GetFunction", "Configuration", out.$metadata.requestId, "aws");
    return layersFromArns(
      (out.Configuration.Layers ?? []).map((l) => l.Arn),
      { provider: "aws", functionName: `${fn.functionName}:${version}`, requestId: out.$metadata.requestId },
    );
  }

  /** GetFunctionConfiguration of a published version until its State is Active (waitUntilPublishedVersionActive's poll). */
  private versionActive(fn: FunctionRef, version: string, opts: UpdateWaitOptions): Promise<Configuration> {
    const { GetFunctionConfigurationCommand } = this.sdk;
    return waitForUpdate(
      {
        provider: "aws",
        functionName: `${fn.functionName} version ${version}`,
        read: () => this.call("GetFunctionConfiguration", () => this.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn.functionName, Qualifier: version }))),
        progress: versionProgress,
        requestId: (c) => c.$metadata?.requestId,
      },
      opts,
    );
  }

  /** GetFunction until no update is in progress. */
  private settled(fn: FunctionRef, opts: UpdateWaitOptions): Promise<Configuration> {
    const { GetFunctionCommand } = this.sdk;
    return waitForUpdate(
      {
        provider: "aws",
        functionName: fn.functionName,
        read: async () => {
          const out = await this.call("GetFunction", () => this.lambda.send(new GetFunctionCommand({ FunctionName: fn.functionName })));
          return { ...(out.Configuration ?? {}), $metadata: out.$metadata } as Configuration;
        },
        progress: progressOf,
        requestId: (c) => c.$metadata?.requestId,
      },
      opts,
    );
  }
}

/** A published version: State Pending -> Active | Failed (the waiter's acceptors: retry on Pending only). */
function versionProgress(c: Configuration): UpdateProgress {
  if (c.State === "Failed") return { failed: `State Failed${c.StateReason ? `: ${c.StateReason}` : ""}` };
  return c.State === "Pending" ? { done: false } : { done: true };
}

/** LastUpdateStatus: InProgress -> Successful | Failed; a function still being created is Pending. */
function progressOf(c: Configuration): UpdateProgress {
  if (c.LastUpdateStatus === "Failed") return { failed: c.LastUpdateStatusReason || "LastUpdateStatus Failed" };
  if (c.State === "Failed") return { failed: "State Failed" };
  if (c.LastUpdateStatus === "InProgress" || c.State === "Pending") return { done: false };
  return { done: true };
}
