// Lambda's side of the layer lifecycle: ListLayers, DeleteLayerVersion, the in-use scan over
// every function (ListFunctions, ListVersionsByFunction, ListAliases) and per-version sharing
// (Add/RemoveLayerVersionPermission). Loaded with the SDK, from client.ts only.
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { CloudError } from "../../errors.js";
import { collectPages, mapLimit } from "../paging.js";
import { outcomeUnknown } from "../retry.js";
import type { ConnectOptions, DeleteOptions, DeleteOutcome, Grantee, LayerReference, LayerVersionRecord, ShareOutcome, ShareRequest } from "../types.js";
import { layerRecord } from "./records.js";
import type { AwsAction } from "./answers.js";

type LambdaSdk = typeof import("@aws-sdk/client-lambda");

export interface AwsLifecycleDeps {
  sdk: LambdaSdk;
  lambda: LambdaClient;
  opts: ConnectOptions;
  /** One API call through the client's retries; `send` passes the per-attempt abort signal and timeout on to the SDK. */
  call<T>(action: AwsAction, send: (h: { abortSignal: AbortSignal; requestTimeout: number }) => Promise<T>): Promise<T>;
  /** The same calls under a lookup's own budget (after an unknown outcome the target's may be spent). */
  lookup(): AwsLifecycleDeps;
}

/** ListLayers / ListLayerVersions take at most 50 per page; the function listings take more, 50 keeps answers small. */
const PAGE = 50;
/** Functions read at once during the in-use scan (Lambda's API limit is about 15 requests per second per account). */
const SCAN_CONCURRENCY = 4;

export async function listLayers(d: AwsLifecycleDeps): Promise<LayerVersionRecord[]> {
  const { ListLayersCommand } = d.sdk;
  return collectPages("aws ListLayers", d.opts.log, async (marker) => {
    const out = await d.call("ListLayers", (h) => d.lambda.send(new ListLayersCommand({ MaxItems: PAGE, Marker: marker }), h));
    const items = (out.Layers ?? [])
      .filter((l) => l.LatestMatchingVersion)
      .map((l) => layerRecord(d.opts.region, l.LayerName ?? "", { ...l.LatestMatchingVersion, LayerArn: l.LayerArn }, out.$metadata.requestId));
    return { items, next: out.NextMarker || undefined };
  });
}

/**
 * Lambda answers 204 whether or not the version exists (API reference: DeleteLayerVersion), so
 * only a read first can tell `absent` from `deleted`; a version just listed skips that read.
 */
export async function deleteLayerVersion(d: AwsLifecycleDeps, layerName: string, version: number, opts: DeleteOptions): Promise<DeleteOutcome> {
  const { DeleteLayerVersionCommand, GetLayerVersionCommand } = d.sdk;
  if (!opts.listed) {
    try {
      await d.call("GetLayerVersion", (h) => d.lambda.send(new GetLayerVersionCommand({ LayerName: layerName, VersionNumber: version }), h));
    } catch (err) {
      if (err instanceof CloudError && err.code === "ResourceNotFoundException") return { outcome: "absent", state: null, requestId: err.requestId ?? null };
      throw err;
    }
  }
  try {
    // Repeating a delete is harmless here (204 either way): the policy's retries may repeat it.
    const out = await d.call("DeleteLayerVersion", (h) => d.lambda.send(new DeleteLayerVersionCommand({ LayerName: layerName, VersionNumber: version }), h));
    return { outcome: "deleted", state: null, requestId: out.$metadata.requestId ?? null };
  } catch (err) {
    if (!outcomeUnknown(err)) throw err;
    // Out of attempts with the outcome unknown: a version that is gone now was deleted by this run (it was there).
    const look = d.lookup();
    const gone = await look
      .call("GetLayerVersion", (h) => look.lambda.send(new GetLayerVersionCommand({ LayerName: layerName, VersionNumber: version }), h))
      .then(
        () => false,
        (e: unknown) => (e instanceof CloudError && e.code === "ResourceNotFoundException" ? true : undefined),
      );
    if (gone) return { outcome: "deleted", state: null, requestId: null };
    throw gone === false ? err : err.with({ hint: `the delete may have been carried out: check with \`layerctl versions ${layerName} -p aws -r ${d.opts.region}\`` });
  }
}

const LAYER_VERSION_ARN = /^arn:[a-z-]+:lambda:([a-z0-9-]+):(\d{12}):layer:([a-zA-Z0-9_-]+):(\d+)$/;

/**
 * $LATEST and every published version of every function (ListVersionsByFunction lists both, with
 * their Layers), and every alias by name, pointing at those versions (its routing config too).
 * A layer of the same name in another account counts as a use: the scan errs on keeping.
 */
export async function layerReferences(d: AwsLifecycleDeps, layerName: string): Promise<LayerReference[]> {
  const { ListFunctionsCommand, ListVersionsByFunctionCommand, ListAliasesCommand } = d.sdk;
  const names = await collectPages("aws ListFunctions", d.opts.log, async (marker) => {
    const out = await d.call("ListFunctions", (h) => d.lambda.send(new ListFunctionsCommand({ MaxItems: PAGE, Marker: marker }), h));
    return { items: (out.Functions ?? []).map((f) => f.FunctionName ?? "").filter(Boolean), next: out.NextMarker || undefined };
  });
  const perFunction = await mapLimit(names, SCAN_CONCURRENCY, async (functionName) => {
    const refs: LayerReference[] = [];
    const configs = await collectPages(`aws ListVersionsByFunction ${functionName}`, d.opts.log, async (marker) => {
      const out = await d.call("ListVersionsByFunction", (h) =>
        d.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: functionName, MaxItems: PAGE, Marker: marker }), h),
      );
      return { items: out.Versions ?? [], next: out.NextMarker || undefined };
    });
    const byVersion = new Map<string, LayerReference[]>();
    for (const c of configs) {
      for (const l of c.Layers ?? []) {
        const m = LAYER_VERSION_ARN.exec(l.Arn ?? "");
        if (!m || m[1] !== d.opts.region || m[3] !== layerName) continue;
        const ref: LayerReference = { version: Number(m[4]), arn: l.Arn!, functionName, namespace: null, qualifier: c.Version ?? "$LATEST" };
        refs.push(ref);
        byVersion.set(ref.qualifier, [...(byVersion.get(ref.qualifier) ?? []), ref]);
      }
    }
    if (byVersion.size === 0) return refs;
    const aliases = await collectPages(`aws ListAliases ${functionName}`, d.opts.log, async (marker) => {
      const out = await d.call("ListAliases", (h) => d.lambda.send(new ListAliasesCommand({ FunctionName: functionName, MaxItems: PAGE, Marker: marker }), h));
      return { items: out.Aliases ?? [], next: out.NextMarker || undefined };
    });
    for (const a of aliases) {
      const routed = [a.FunctionVersion ?? "", ...Object.keys(a.RoutingConfig?.AdditionalVersionWeights ?? {})];
      for (const v of routed) for (const ref of byVersion.get(v) ?? []) refs.push({ ...ref, qualifier: `alias ${a.Name}` });
    }
    return refs;
  });
  return perFunction.flat();
}

/** Fixed per grantee, so a re-run finds its own statement instead of adding a second one. */
export function statementId(g: Grantee): string {
  if (g.kind === "public") return "layerctl-public";
  return `layerctl-${g.kind === "account" ? "account" : "org"}-${g.id}`;
}

/**
 * Principal `*` for public and organization grants (OrganizationId narrows it), the account id
 * otherwise (API reference: AddLayerVersionPermission). An existing statement with our id means a
 * re-run: unchanged, not an error. Revoking a statement that is not there is unchanged too, once a
 * read shows the version itself exists.
 */
export async function shareLayer(d: AwsLifecycleDeps, req: ShareRequest): Promise<ShareOutcome> {
  const { AddLayerVersionPermissionCommand, RemoveLayerVersionPermissionCommand, GetLayerVersionCommand } = d.sdk;
  const sid = statementId(req.grantee);
  const target = { LayerName: req.layerName, VersionNumber: req.version, StatementId: sid };
  if (req.revoke) {
    try {
      const out = await d.call("RemoveLayerVersionPermission", (h) => d.lambda.send(new RemoveLayerVersionPermissionCommand(target), h));
      return { statementId: sid, changed: true, requestId: out.$metadata.requestId ?? null };
    } catch (err) {
      if (!(err instanceof CloudError) || err.code !== "ResourceNotFoundException") throw err;
      await d.call("GetLayerVersion", (h) => d.lambda.send(new GetLayerVersionCommand({ LayerName: req.layerName, VersionNumber: req.version }), h));
      return { statementId: sid, changed: false, requestId: err.requestId ?? null };
    }
  }
  try {
    const out = await d.call("AddLayerVersionPermission", (h) =>
      d.lambda.send(
        new AddLayerVersionPermissionCommand({
          ...target,
          Action: "lambda:GetLayerVersion",
          Principal: req.grantee.kind === "account" ? req.grantee.id! : "*",
          OrganizationId: req.grantee.kind === "organization" ? req.grantee.id : undefined,
        }),
        h,
      ),
    );
    return { statementId: sid, changed: true, requestId: out.$metadata.requestId ?? null };
  } catch (err) {
    if (err instanceof CloudError && err.code === "ResourceConflictException") return { statementId: sid, changed: false, requestId: err.requestId ?? null };
    throw err;
  }
}
