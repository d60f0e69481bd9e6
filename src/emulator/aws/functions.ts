// The function operations layerctl needs: PublishVersion, plus a minimal CreateFunction and
// GetFunction / GetFunctionConfiguration so there is something to version (and what the AWS CLI's
// waiters read: botocore data/lambda/2015-03-31/waiters-2.json polls GetFunctionConfiguration for
// function-updated, function-active and published-version-active, GetFunction for the -v2 ones).
// Seeded functions exist in every region from the start; their record is created the first time a
// call touches them.
// A published version starts in State Pending and becomes Active ("Lambda function states": a new
// version is Pending while Lambda prepares it; the SDK's waitUntilPublishedVersionActive waits for
// it). Here it is Pending for functionUpdateDelayMs after PublishVersion (0: Active at once),
// computed from the clock.
import { randomUUID } from "node:crypto";
import type { Reply, SeedLayer } from "../types.js";
import { codeSha256, storeInlineZip } from "./code.js";
import { AwsApiError } from "./errors.js";
import { LAYERS_ITEM_SOURCE, partition, functionArn, functionNameFrom, layerVersionArn, parseLayersItem } from "./names.js";
import { ok, readBoolean, readInteger, readObject, readString, readStringList, type AwsDeps, type AwsRequest } from "./request.js";
import { LAMBDA_ARCHITECTURES, LAMBDA_RUNTIMES } from "./runtimes.js";
import { lambdaDate, type FunctionConfigState, type FunctionState, type FunctionVersionState } from "./state.js";
import { Violations } from "./validation.js";
import { updateInProgress } from "../function-updates.js";
import { buildZip } from "../zip.js";
import { dict } from "../cloud.js";

const ROLE = /^arn:(?:aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const HANDLER = /^[^\s]+$/;
export const MAX_LAYERS = 5;

/** The `Layers` list's item check, shared by CreateFunction and UpdateFunctionConfiguration. */
export function checkLayersItems(v: Violations, layers: string[] | undefined): void {
  for (const arn of layers ?? []) {
    if (!parseLayersItem(arn)) {
      v.add(
        layers,
        "layers",
        `Member must satisfy constraint: [Member must have length less than or equal to 140, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ${LAYERS_ITEM_SOURCE}]`,
      );
      break;
    }
  }
}

/**
 * Every listed layer version must be in the caller's region ("a layer from another region cannot
 * be attached") and, when it is the caller's own, exist. Another account's layer version (a public
 * one such as Lambda Insights, arn:aws:lambda:<region>:580247275435:layer:LambdaInsightsExtension:N,
 * or a partner's shared with this account) is accepted, as Lambda accepts it when its layer
 * permission allows: the emulator holds no other account's layers or policies to check it against.
 */
export function checkLayersExist(req: AwsRequest, deps: AwsDeps, layers: string[]): void {
  const region = deps.ctx.region(req.region);
  for (const arn of layers) {
    const l = parseLayersItem(arn)!;
    const exists = l.region === req.region && (l.account !== req.account || region.layers[l.name]?.versions[String(l.version)]);
    if (!exists) throw new AwsApiError("InvalidParameterValueException", `Layer version ${arn} does not exist.`);
  }
}

/** Validated `Layers` items as the function stores them (canonical layer version ARNs). */
export function layersArns(layers: string[]): string[] {
  return layers.map((arn) => {
    const l = parseLayersItem(arn)!;
    return layerVersionArn(l.region, l.account, l.name, l.version);
  });
}

export function notFound(req: AwsRequest, name: string, qualifier?: string): AwsApiError {
  return new AwsApiError("ResourceNotFoundException", `Function not found: ${functionArn(req.region, req.account, name, qualifier)}`);
}

export async function findFunction(req: AwsRequest, deps: AwsDeps, name: string): Promise<FunctionState | undefined> {
  const region = deps.ctx.region(req.region);
  const existing = region.functions[name];
  if (existing || !deps.seeds.has(name)) return existing;
  const seeded = await seedFunction(req, deps, name);
  // A concurrent call may have created it while the seed's zip was being stored.
  const fn = (region.functions[name] ??= seeded);
  await deps.ctx.save();
  return fn;
}

async function seedFunction(req: AwsRequest, deps: AwsDeps, name: string): Promise<FunctionState> {
  const zip = buildZip([{ name: "index.py", data: Buffer.from("def handler(event, context):\n    return {'ok': True}\n") }]);
  const blob = await deps.ctx.blobs.put(zip);
  const seed = deps.seeds.get(name);
  const arns = (layers: SeedLayer[] = []) => layers.map((l) => l.arn ?? layerVersionArn(req.region, req.account, l.name, l.version));
  const fn: FunctionState = {
    name,
    latest: {
      runtime: "python3.12",
      role: `arn:${partition(req.region)}:iam::${req.account}:role/layerctl-emulator`,
      handler: "index.handler",
      description: "",
      timeout: 3,
      memorySize: 128,
      architectures: ["x86_64"],
      layers: [],
      packageType: "Zip",
      blob,
      codeSha256: codeSha256(blob),
      codeSize: zip.length,
      lastModified: lambdaDate(deps.ctx.now()),
      revisionId: randomUUID(),
    },
    nextVersion: 1,
    versions: dict(),
  };
  // Published versions as the seed lists them, each with its own layers; then $LATEST's.
  for (const v of seed?.versions ?? []) {
    fn.latest.layers = arns(v.layers);
    fn.latest.revisionId = randomUUID();
    newVersion(fn, v.description, 0);
  }
  fn.latest.layers = arns(seed?.layers);
  fn.latest.revisionId = randomUUID();
  const t = deps.ctx.now().getTime();
  for (const a of seed?.aliases ?? []) (fn.aliases ??= dict())[a.name] = { name: a.name, version: a.version, description: "", createdAtMs: t, updatedAtMs: t };
  return fn;
}

export function configuration(req: AwsRequest, fn: FunctionState, c: FunctionConfigState, version: string): Record<string, unknown> {
  return {
    FunctionName: fn.name,
    FunctionArn: functionArn(req.region, req.account, fn.name, version),
    ...(c.runtime ? { Runtime: c.runtime } : {}),
    Role: c.role,
    ...(c.handler ? { Handler: c.handler } : {}),
    CodeSize: c.codeSize,
    Description: c.description,
    Timeout: c.timeout,
    MemorySize: c.memorySize,
    LastModified: c.lastModified,
    CodeSha256: c.codeSha256,
    Version: version,
    TracingConfig: { Mode: "PassThrough" },
    RevisionId: c.revisionId,
    ...(c.layers.length > 0 ? { Layers: c.layers.map((arn) => ({ Arn: arn, CodeSize: 0 })) } : {}),
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: c.packageType,
    Architectures: c.architectures,
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
    LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${fn.name}` },
  };
}

/** What State says of a configuration: Pending for a version just published (see the header), else Active. */
export function stateFields(deps: AwsDeps, c: FunctionConfigState | FunctionVersionState): Record<string, string> {
  const at = "publishedAtMs" in c ? c.publishedAtMs : undefined;
  if (at === undefined || deps.ctx.now().getTime() - at >= deps.ctx.tuning.functionUpdateDelayMs) return {};
  return { State: "Pending", StateReason: "The function is being created.", StateReasonCode: "Creating" };
}

/**
 * The FunctionConfiguration of $LATEST or a version as reads report it now: its State, and for
 * $LATEST an update still in progress.
 */
export function describeConfiguration(req: AwsRequest, deps: AwsDeps, fn: FunctionState, qualifier: string): Record<string, unknown> {
  const c = qualifier === "$LATEST" ? fn.latest : fn.versions[qualifier];
  if (!c) throw notFound(req, fn.name, qualifier);
  const updating = qualifier === "$LATEST" && updateInProgress(fn, deps.ctx.now(), deps.ctx.tuning.functionUpdateDelayMs);
  return { ...configuration(req, fn, c, qualifier), ...stateFields(deps, c), ...(updating ? IN_PROGRESS : {}) };
}

function newVersion(fn: FunctionState, description: string | undefined, publishedAtMs: number): FunctionVersionState {
  const version: FunctionVersionState = {
    ...fn.latest,
    architectures: [...fn.latest.architectures],
    layers: [...fn.latest.layers],
    description: description ?? fn.latest.description,
    revisionId: randomUUID(),
    version: String(fn.nextVersion++),
    sourceRevisionId: fn.latest.revisionId,
    publishedAtMs,
  };
  fn.versions[version.version] = version;
  return version;
}

export async function publishVersion(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const ref = functionNameFrom(req.params.FunctionName!, req.region, req.account);
  const sha = readString(req.body, "CodeSha256");
  const description = readString(req.body, "Description");
  const revision = readString(req.body, "RevisionId");
  const v = new Violations();
  v.maxLength(description, "description", 256);
  v.throwIfAny();

  const fn = await functionToChange(req, deps, ref.name, revision);
  if (sha !== undefined && sha !== fn.latest.codeSha256) {
    throw new AwsApiError(
      "InvalidParameterValueException",
      `CodeSHA256 (${sha}) is different from current CodeSHA256 in $LATEST (${fn.latest.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    );
  }
  // Lambda does not publish a new version while code and configuration are unchanged since the
  // last one: it answers with that version.
  const newest = Object.values(fn.versions).sort((a, b) => Number(b.version) - Number(a.version))[0];
  if (newest && newest.sourceRevisionId === fn.latest.revisionId) {
    return ok(req, 201, { ...configuration(req, fn, newest, newest.version), ...stateFields(deps, newest) });
  }
  const version = newVersion(fn, description, deps.ctx.now().getTime());
  await deps.ctx.save();
  return ok(req, 201, { ...configuration(req, fn, version, version.version), ...stateFields(deps, version) });
}

export async function getFunction(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const ref = functionNameFrom(req.params.FunctionName!, req.region, req.account);
  const qualifier = req.query.get("Qualifier") ?? ref.qualifier ?? "$LATEST";
  const fn = await findFunction(req, deps, ref.name);
  if (!fn) throw notFound(req, ref.name);
  const configuration = describeConfiguration(req, deps, fn, qualifier);
  const blob = (qualifier === "$LATEST" ? fn.latest : fn.versions[qualifier])!.blob;
  return ok(req, 200, { Configuration: configuration, Code: { RepositoryType: "S3", ...(blob ? { Location: deps.ctx.blobUrl(blob) } : {}) } });
}

/** GET /2015-03-31/functions/{FunctionName}/configuration?Qualifier=: the FunctionConfiguration alone (what the AWS CLI's waiters poll). */
export async function getFunctionConfiguration(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const ref = functionNameFrom(req.params.FunctionName!, req.region, req.account);
  const qualifier = req.query.get("Qualifier") ?? ref.qualifier ?? "$LATEST";
  const fn = await findFunction(req, deps, ref.name);
  if (!fn) throw notFound(req, ref.name);
  return ok(req, 200, describeConfiguration(req, deps, fn, qualifier));
}

export async function createFunction(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const b = req.body;
  const rawName = readString(b, "FunctionName");
  const role = readString(b, "Role");
  const code = readObject(b, "Code");
  const runtime = readString(b, "Runtime");
  const handler = readString(b, "Handler");
  const description = readString(b, "Description");
  const timeout = readInteger(b, "Timeout");
  const memorySize = readInteger(b, "MemorySize");
  const publish = readBoolean(b, "Publish");
  const architectures = readStringList(b, "Architectures");
  const packageType = readString(b, "PackageType");
  const layers = readStringList(b, "Layers");
  const v = new Violations();
  v.required(rawName, "functionName");
  v.required(role, "role");
  v.pattern(role, "role", ROLE, "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
  v.required(code, "code");
  if (runtime !== undefined) v.enumValue(runtime, "runtime", LAMBDA_RUNTIMES);
  v.maxLength(handler, "handler", 128);
  v.pattern(handler, "handler", HANDLER, "[^\\s]+");
  v.maxLength(description, "description", 256);
  v.range(timeout, "timeout", 1, 900);
  v.range(memorySize, "memorySize", 128, 10240);
  v.minLength(architectures, "architectures", 1);
  v.maxLength(architectures, "architectures", 1);
  v.enumList(architectures, "architectures", LAMBDA_ARCHITECTURES);
  v.enumValue(packageType, "packageType", ["Zip", "Image"]);
  checkLayersItems(v, layers);
  v.throwIfAny();
  const ref = functionNameFrom(rawName!, req.region, req.account);

  if (packageType === "Image") {
    throw new AwsApiError("InvalidParameterValueException", "The layerctl emulator supports only PackageType Zip functions.");
  }
  if (!runtime || !handler) {
    throw new AwsApiError("InvalidParameterValueException", "Runtime and Handler are mandatory parameters for functions created with deployment packages.");
  }
  if ((layers?.length ?? 0) > MAX_LAYERS) {
    throw new AwsApiError("InvalidParameterValueException", `Cannot reference more than ${MAX_LAYERS} layers.`);
  }
  const region = deps.ctx.region(req.region);
  checkLayersExist(req, deps, layers ?? []);
  if (await findFunction(req, deps, ref.name)) {
    throw new AwsApiError("ResourceConflictException", `Function already exist: ${ref.name}`);
  }
  const stored = await storeInlineZip(code!, deps, region, "function");
  if (region.functions[ref.name]) throw new AwsApiError("ResourceConflictException", `Function already exist: ${ref.name}`);
  const fn: FunctionState = {
    name: ref.name,
    latest: {
      runtime,
      role: role!,
      handler,
      description: description ?? "",
      timeout: timeout ?? 3,
      memorySize: memorySize ?? 128,
      architectures: architectures ?? ["x86_64"],
      layers: layersArns(layers ?? []),
      packageType: "Zip",
      blob: stored.blob,
      codeSha256: codeSha256(stored.blob),
      codeSize: stored.size,
      lastModified: lambdaDate(deps.ctx.now()),
      revisionId: randomUUID(),
    },
    nextVersion: 1,
    versions: dict(),
  };
  region.functions[fn.name] = fn;
  const published = publish ? newVersion(fn, undefined, deps.ctx.now().getTime()) : undefined;
  await deps.ctx.save();
  // Lambda creates functions asynchronously: the create answer says Pending, later reads say Active.
  const { LastUpdateStatus: _notYet, ...body } = configuration(req, fn, published ?? fn.latest, published?.version ?? "$LATEST");
  return ok(req, 201, { ...body, State: "Pending", StateReason: "The function is being created.", StateReasonCode: "Creating" });
}

/** What FunctionConfiguration says while an update of $LATEST is in progress. */
export const IN_PROGRESS = { LastUpdateStatus: "InProgress", LastUpdateStatusReason: "The function is being updated.", LastUpdateStatusReasonCode: "Updating" };

/**
 * The function a changing call (PublishVersion, UpdateFunctionConfiguration) works on: it must
 * exist, have no update in progress, and be at the RevisionId the caller names, if any.
 */
export async function functionToChange(req: AwsRequest, deps: AwsDeps, name: string, revision: string | undefined): Promise<FunctionState> {
  const fn = await findFunction(req, deps, name);
  if (!fn) throw notFound(req, name);
  rejectWhileUpdating(req, deps, fn);
  if (revision !== undefined && revision !== fn.latest.revisionId) {
    throw new AwsApiError(
      "PreconditionFailedException",
      "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
    );
  }
  return fn;
}

/** Lambda refuses changes while an update of $LATEST is in progress. */
function rejectWhileUpdating(req: AwsRequest, deps: AwsDeps, fn: FunctionState): void {
  if (updateInProgress(fn, deps.ctx.now(), deps.ctx.tuning.functionUpdateDelayMs)) {
    throw new AwsApiError(
      "ResourceConflictException",
      `The operation cannot be performed at this time. An update is in progress for resource: ${functionArn(req.region, req.account, fn.name)}`,
    );
  }
}
