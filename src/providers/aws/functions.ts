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
import { shellWord } from "../../output/shell-word.js";
import { acceptedButUnsettled, concurrentUpdate, layersIfFound, invalid, layersFromArns, newestFirstItems, waitForUpdate, type UpdateProgress } from "../function-update.js";
import { collectPages } from "../paging.js";
import type { AttachedLayer, ConnectOptions, FunctionLayers, FunctionRef, FunctionUpdater, FunctionVersionItem, UpdateWaitOptions } from "../types.js";
import type { AwsAction } from "./answers.js";

type LambdaSdk = typeof import("@aws-sdk/client-lambda");
type Call = <T>(action: AwsAction, send: () => Promise<T>, opts?: { creates?: boolean }) => Promise<T>;

interface Configuration {
  Layers?: Array<{ Arn?: string }>;
  State?: string;
  StateReason?: string;
  LastUpdateStatus?: string;
  LastUpdateStatusReason?: string;
  RevisionId?: string;
  $metadata?: { requestId?: string };
}

/** Lambda's codes for an update that lost a race: the revision moved on, or another update is running. */
const LOST_RACE = new Set(["PreconditionFailedException", "ResourceConflictException"]);

export class AwsFunctions implements FunctionUpdater {
  constructor(
    private readonly sdk: LambdaSdk,
    private readonly lambda: LambdaClient,
    private readonly opts: Pick<ConnectOptions, "region" | "endpoint" | "log">,
    private readonly call: Call,
  ) {}

  async getLayers(fn: FunctionRef, opts: UpdateWaitOptions): Promise<FunctionLayers> {
    const config = await this.settled(fn, opts);
    return { layers: this.layersOf(fn, config), revision: config.RevisionId ?? null };
  }

  async setLayers(fn: FunctionRef, layers: AttachedLayer[], opts: UpdateWaitOptions, expected: FunctionLayers): Promise<{ requestId: string | null; layers: AttachedLayer[] }> {
    const { UpdateFunctionConfigurationCommand } = this.sdk;
    let requestId: string | null;
    try {
      // Not repeated after an unknown outcome (a repeat would fail its own RevisionId): the caller looks instead.
      const out = await this.call(
        "UpdateFunctionConfiguration",
        () =>
          this.lambda.send(
            new UpdateFunctionConfigurationCommand({ FunctionName: fn.functionName, Layers: layers.map((l) => l.arn!), RevisionId: expected.revision ?? undefined }),
          ),
        { creates: true },
      );
      requestId = out.$metadata.requestId ?? null;
    } catch (err) {
      if (err instanceof CloudError && LOST_RACE.has(err.code)) throw concurrentUpdate("aws", fn.functionName, `${err.code}: ${err.message}`, err.requestId);
      throw err;
    }
    const after = await this.settled(fn, opts).catch((err: unknown) => Promise.reject(acceptedButUnsettled(err, fn.functionName)));
    return { requestId, layers: this.layersOf(fn, after) };
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

  findLayers(fn: FunctionRef, opts: UpdateWaitOptions): Promise<AttachedLayer[] | null> {
    return layersIfFound(() => this.getLayers(fn, opts), new Set(["ResourceNotFoundException"]));
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

  async listVersions(fn: FunctionRef): Promise<FunctionVersionItem[]> {
    const { ListVersionsByFunctionCommand } = this.sdk;
    const all = await collectPages(`aws ListVersionsByFunction ${fn.functionName}`, this.opts.log, async (marker) => {
      const out = await this.call("ListVersionsByFunction", () =>
        this.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn.functionName, MaxItems: 50, Marker: marker })),
      );
      return { items: (out.Versions ?? []).map((v) => ({ version: v.Version!, description: v.Description ?? null })), next: out.NextMarker || undefined };
    });
    return newestFirstItems(all);
  }

  versionsCommand(fn: FunctionRef): string {
    const endpoint = this.opts.endpoint ? ` --endpoint-url ${shellWord(this.opts.endpoint)}` : "";
    return `aws lambda list-versions-by-function --function-name ${shellWord(fn.functionName)} --region ${shellWord(this.opts.region)}${endpoint}`;
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

  private layersOf(fn: FunctionRef, config: Configuration): AttachedLayer[] {
    return layersFromArns(
      (config.Layers ?? []).map((l) => l.Arn),
      { provider: "aws", functionName: fn.functionName, requestId: config.$metadata?.requestId },
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
