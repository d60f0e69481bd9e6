// The update side of Lambda functions: UpdateFunctionConfiguration (Layers, Description),
// reported InProgress for functionUpdateDelayMs, and the alias operations CreateAlias,
// UpdateAlias, GetAlias. Shapes and messages follow the Lambda API reference
// (FunctionConfiguration, AliasConfiguration; ResourceConflictException while an update runs).
// An alias to a version still Pending: the references do not say whether Lambda refuses it
// (silent); CreateAlias / UpdateAlias list ResourceConflictException ("another operation is in
// progress"), and the emulator refuses it so, the strict reading: a client that points an alias
// before waitUntilPublishedVersionActive would have returned is caught here.
import { randomUUID } from "node:crypto";
import type { Reply } from "../types.js";
import { setAlias, type AliasState } from "../function-updates.js";
import { AwsApiError } from "./errors.js";
import { IN_PROGRESS, MAX_LAYERS, checkLayersExist, checkLayersItems, configuration, findFunction, functionToChange, layersArns, notFound, stateFields } from "./functions.js";
import { functionArn, functionNameFrom } from "./names.js";
import { ok, readString, readStringList, type AwsDeps, type AwsRequest } from "./request.js";
import { lambdaDate, type FunctionState } from "./state.js";
import { Violations } from "./validation.js";

/** Alias names: 1-128, letters, digits, - and _, not only digits. */
const ALIAS_NAME = /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/;

export async function updateFunctionConfiguration(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const ref = functionNameFrom(req.params.FunctionName!, req.region, req.account);
  const layers = readStringList(req.body, "Layers");
  const description = readString(req.body, "Description");
  const revision = readString(req.body, "RevisionId");
  const v = new Violations();
  v.maxLength(description, "description", 256);
  checkLayersItems(v, layers);
  v.throwIfAny();
  const fn = await functionToChange(req, deps, ref.name, revision);
  if (layers !== undefined) {
    if (layers.length > MAX_LAYERS) throw new AwsApiError("InvalidParameterValueException", `Cannot reference more than ${MAX_LAYERS} layers.`);
    checkLayersExist(req, deps, layers);
    // The same layer is its ARN without the version: a same-named layer of another account is another layer.
    const names = layers.map((arn) => arn.replace(/:\d+$/, ""));
    if (new Set(names).size !== names.length) {
      throw new AwsApiError("InvalidParameterValueException", "Two different versions of the same layer are not allowed to be referenced in the same function.");
    }
    fn.latest.layers = layersArns(layers);
  }
  if (description !== undefined) fn.latest.description = description;
  fn.latest.revisionId = randomUUID();
  fn.latest.lastModified = lambdaDate(deps.ctx.now());
  fn.updateStartedAtMs = deps.ctx.now().getTime();
  deps.ctx.region(req.region).functions[fn.name] = fn;
  await deps.ctx.save();
  return ok(req, 200, { ...configuration(req, fn, fn.latest, "$LATEST"), ...(deps.ctx.tuning.functionUpdateDelayMs > 0 ? IN_PROGRESS : {}) });
}

export async function createAlias(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const ref = functionNameFrom(req.params.FunctionName!, req.region, req.account);
  const name = readString(req.body, "Name");
  const version = readString(req.body, "FunctionVersion");
  const description = readString(req.body, "Description");
  checkAlias(name, version, description, true);
  const fn = await findFunction(req, deps, ref.name);
  if (!fn) throw notFound(req, ref.name);
  requireVersion(req, deps, fn, version!);
  if (fn.aliases?.[name!]) throw new AwsApiError("ResourceConflictException", `Alias already exists: ${functionArn(req.region, req.account, fn.name, name)}`);
  const alias = setAlias(fn, name!, version!, description, deps.ctx.now());
  deps.ctx.region(req.region).functions[fn.name] = fn;
  await deps.ctx.save();
  return ok(req, 201, aliasConfiguration(req, fn, alias));
}

export async function updateAlias(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const ref = functionNameFrom(req.params.FunctionName!, req.region, req.account);
  const name = req.params.Name!;
  const version = readString(req.body, "FunctionVersion");
  const description = readString(req.body, "Description");
  checkAlias(name, version, description, false);
  const fn = await findFunction(req, deps, ref.name);
  if (!fn) throw notFound(req, ref.name);
  if (!fn.aliases?.[name]) throw aliasNotFound(req, fn, name);
  if (version !== undefined) requireVersion(req, deps, fn, version);
  const alias = setAlias(fn, name, version ?? fn.aliases[name]!.version, description, deps.ctx.now());
  await deps.ctx.save();
  return ok(req, 200, aliasConfiguration(req, fn, alias));
}

export async function getAlias(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const ref = functionNameFrom(req.params.FunctionName!, req.region, req.account);
  const name = req.params.Name!;
  const fn = await findFunction(req, deps, ref.name);
  if (!fn) throw notFound(req, ref.name);
  const alias = fn.aliases?.[name];
  if (!alias) throw aliasNotFound(req, fn, name);
  return ok(req, 200, aliasConfiguration(req, fn, alias));
}

function checkAlias(name: string | undefined, version: string | undefined, description: string | undefined, creating: boolean): void {
  const v = new Violations();
  if (creating) v.required(name, "name");
  v.maxLength(name, "name", 128);
  if (name !== undefined && name.length > 0) v.pattern(name, "name", ALIAS_NAME, "(?!^[0-9]+$)([a-zA-Z0-9-_]+)");
  if (creating) v.required(version, "functionVersion");
  v.maxLength(version, "functionVersion", 1024);
  v.maxLength(description, "description", 256);
  v.throwIfAny();
}

function requireVersion(req: AwsRequest, deps: AwsDeps, fn: FunctionState, version: string): void {
  if (version === "$LATEST") return;
  const v = fn.versions[version];
  if (!v) throw notFound(req, fn.name, version);
  if (stateFields(deps, v).State === "Pending") {
    throw new AwsApiError(
      "ResourceConflictException",
      `The operation cannot be performed at this time. The function version ${functionArn(req.region, req.account, fn.name, version)} is in state Pending.`,
    );
  }
}

function aliasNotFound(req: AwsRequest, fn: FunctionState, name: string): AwsApiError {
  return new AwsApiError("ResourceNotFoundException", `Alias not found: ${functionArn(req.region, req.account, fn.name, name)}`);
}

function aliasConfiguration(req: AwsRequest, fn: FunctionState, alias: AliasState): Record<string, unknown> {
  return {
    AliasArn: functionArn(req.region, req.account, fn.name, alias.name),
    Name: alias.name,
    FunctionVersion: alias.version,
    Description: alias.description,
    RevisionId: randomUUID(),
  };
}
