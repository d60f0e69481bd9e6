// Layer operations: PublishLayerVersion, GetLayerVersion(ByArn), ListLayerVersions, ListLayers,
// DeleteLayerVersion and the layer version permission trio.
import { randomUUID } from "node:crypto";
import type { Reply } from "../types.js";
import { codeSha256, storeInlineZip } from "./code.js";
import { AwsApiError, layerVersionNotFound } from "./errors.js";
import { checkLayerName, partition, layerArn, layerNameFrom, layerVersionArn, parseLayerVersionArn, versionNumberFrom } from "./names.js";
import { ok, queryInteger, readObject, readString, readStringList, type AwsDeps, type AwsRequest } from "./request.js";
import { LAMBDA_ARCHITECTURES, LAMBDA_RUNTIMES } from "./runtimes.js";
import { lambdaDate, type LayerState, type LayerVersionState, type PolicyStatement } from "./state.js";
import { Violations } from "./validation.js";
import { dict } from "../cloud.js";

const MAX_ITEMS = 50;

function layerVersionBody(req: AwsRequest, deps: AwsDeps, layer: LayerState, v: LayerVersionState): Record<string, unknown> {
  const corrupt = v.corrupt || req.call.corruptChecksum;
  return {
    Content: { Location: deps.ctx.blobUrl(v.blob), CodeSha256: codeSha256(v.blob, corrupt), CodeSize: v.codeSize },
    LayerArn: layerArn(req.region, req.account, layer.name),
    LayerVersionArn: layerVersionArn(req.region, req.account, layer.name, v.version),
    Description: v.description,
    CreatedDate: v.createdDate,
    Version: v.version,
    ...listFields(v),
  };
}

function listFields(v: LayerVersionState): Record<string, unknown> {
  return {
    ...(v.runtimes.length > 0 ? { CompatibleRuntimes: v.runtimes } : {}),
    ...(v.architectures.length > 0 ? { CompatibleArchitectures: v.architectures } : {}),
    ...(v.license !== null ? { LicenseInfo: v.license } : {}),
  };
}

function listItem(req: AwsRequest, layer: LayerState, v: LayerVersionState): Record<string, unknown> {
  return {
    LayerVersionArn: layerVersionArn(req.region, req.account, layer.name, v.version),
    Version: v.version,
    Description: v.description,
    CreatedDate: v.createdDate,
    ...listFields(v),
  };
}

function findVersion(req: AwsRequest, deps: AwsDeps, action: string): { layer: LayerState; version: LayerVersionState } {
  const name = layerNameFrom(req.params.LayerName!, req.region, req.account, action);
  const number = versionNumberFrom(req.params.VersionNumber!);
  const layer = deps.ctx.region(req.region).layers[name];
  const version = layer?.versions[String(number)];
  if (!layer || !version) throw layerVersionNotFound();
  return { layer, version };
}

export async function publishLayerVersion(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const content = readObject(req.body, "Content");
  const description = readString(req.body, "Description");
  const license = readString(req.body, "LicenseInfo");
  const runtimes = readStringList(req.body, "CompatibleRuntimes");
  const architectures = readStringList(req.body, "CompatibleArchitectures");
  const v = new Violations();
  checkLayerName(req.params.LayerName!, v);
  v.required(content, "content");
  v.maxLength(description, "description", 256);
  v.maxLength(license, "licenseInfo", 512);
  v.maxLength(runtimes, "compatibleRuntimes", 15);
  v.enumList(runtimes, "compatibleRuntimes", LAMBDA_RUNTIMES);
  v.maxLength(architectures, "compatibleArchitectures", 2);
  v.enumList(architectures, "compatibleArchitectures", LAMBDA_ARCHITECTURES);
  v.throwIfAny();
  const name = layerNameFrom(req.params.LayerName!, req.region, req.account, "PublishLayerVersion");

  const region = deps.ctx.region(req.region);
  const code = await storeInlineZip(content!, deps, region, "layer");
  const layer = (region.layers[name] ??= { name, nextVersion: 1, versions: dict() });
  const version: LayerVersionState = {
    version: layer.nextVersion++,
    description: description ?? "",
    license: license ?? null,
    runtimes: runtimes ?? [],
    architectures: architectures ?? [],
    createdDate: lambdaDate(deps.ctx.now()),
    blob: code.blob,
    codeSize: code.size,
    corrupt: req.call.corruptChecksum,
    policy: null,
  };
  layer.versions[String(version.version)] = version;
  await deps.ctx.save();
  return ok(req, 201, layerVersionBody(req, deps, layer, version));
}

export async function getLayerVersion(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const { layer, version } = findVersion(req, deps, "GetLayerVersion");
  return ok(req, 200, layerVersionBody(req, deps, layer, version));
}

export async function getLayerVersionByArn(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const ref = parseLayerVersionArn(req.query.get("Arn"));
  const layer = ref.account === req.account && ref.region === req.region ? deps.ctx.region(req.region).layers[ref.name] : undefined;
  const version = layer?.versions[String(ref.version)];
  if (!layer || !version) throw layerVersionNotFound();
  return ok(req, 200, layerVersionBody(req, deps, layer, version));
}

interface ListFilter {
  runtime?: string;
  architecture?: string;
  maxItems: number;
  marker?: string;
}

function listFilter(req: AwsRequest): ListFilter {
  const runtime = req.query.get("CompatibleRuntime") ?? undefined;
  const architecture = req.query.get("CompatibleArchitecture") ?? undefined;
  const maxItems = queryInteger(req.query, "MaxItems");
  const v = new Violations();
  v.enumValue(runtime, "compatibleRuntime", LAMBDA_RUNTIMES);
  v.enumValue(architecture, "compatibleArchitecture", LAMBDA_ARCHITECTURES);
  v.range(maxItems, "maxItems", 1, MAX_ITEMS);
  v.throwIfAny();
  return { runtime, architecture, maxItems: maxItems ?? MAX_ITEMS, marker: req.query.get("Marker") ?? undefined };
}

function matches(v: LayerVersionState, f: ListFilter): boolean {
  return (!f.runtime || v.runtimes.includes(f.runtime)) && (!f.architecture || v.architectures.includes(f.architecture));
}

// Markers are opaque to clients; ours carry the last item returned.
export function encodeMarker(last: string | number): string {
  return Buffer.from(JSON.stringify({ after: last })).toString("base64url");
}

export function decodeMarker(marker: string | undefined): string | number | undefined {
  if (marker === undefined) return undefined;
  try {
    const after = (JSON.parse(Buffer.from(marker, "base64url").toString("utf8")) as { after?: unknown }).after;
    if (typeof after === "string" || typeof after === "number") return after;
  } catch {
    // fall through
  }
  throw new AwsApiError("InvalidParameterValueException", "Invalid Marker value");
}

export async function listLayerVersions(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const name = layerNameFrom(req.params.LayerName!, req.region, req.account, "ListLayerVersions");
  const filter = listFilter(req);
  const after = decodeMarker(filter.marker);
  const layer = deps.ctx.region(req.region).layers[name];
  const all = layer
    ? Object.values(layer.versions)
        .filter((v) => matches(v, filter))
        .sort((a, b) => b.version - a.version)
    : [];
  const rest = typeof after === "number" ? all.filter((v) => v.version < after) : all;
  const page = rest.slice(0, filter.maxItems);
  const body: Record<string, unknown> = { LayerVersions: page.map((v) => listItem(req, layer!, v)) };
  if (rest.length > page.length) body.NextMarker = encodeMarker(page[page.length - 1]!.version);
  return ok(req, 200, body);
}

export async function listLayers(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const filter = listFilter(req);
  const after = decodeMarker(filter.marker);
  const layers = Object.values(deps.ctx.region(req.region).layers)
    .map((layer) => ({
      layer,
      latest: Object.values(layer.versions)
        .filter((v) => matches(v, filter))
        .sort((a, b) => b.version - a.version)[0],
    }))
    .filter((x): x is { layer: LayerState; latest: LayerVersionState } => x.latest !== undefined)
    .sort((a, b) => (a.layer.name < b.layer.name ? -1 : a.layer.name > b.layer.name ? 1 : 0));
  const rest = typeof after === "string" ? layers.filter((x) => x.layer.name > after) : layers;
  const page = rest.slice(0, filter.maxItems);
  const body: Record<string, unknown> = {
    Layers: page.map(({ layer, latest }) => ({
      LayerName: layer.name,
      LayerArn: layerArn(req.region, req.account, layer.name),
      LatestMatchingVersion: listItem(req, layer, latest),
    })),
  };
  if (rest.length > page.length) body.NextMarker = encodeMarker(page[page.length - 1]!.layer.name);
  return ok(req, 200, body);
}

/**
 * Idempotent, as Lambda's: deleting a version that is not there succeeds too, with 204 and no
 * body (API reference: DeleteLayerVersion, "Response Syntax HTTP/1.1 204"; its error list has no
 * ResourceNotFoundException). The number is never reused: nextVersion only grows.
 */
export async function deleteLayerVersion(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const name = layerNameFrom(req.params.LayerName!, req.region, req.account, "DeleteLayerVersion");
  const number = versionNumberFrom(req.params.VersionNumber!);
  const layer = deps.ctx.region(req.region).layers[name];
  if (layer?.versions[String(number)]) {
    delete layer.versions[String(number)];
    await deps.ctx.save();
  }
  return ok(req, 204);
}

const STATEMENT_ID = /^[a-zA-Z0-9_-]+$/;
const LAYER_ACTION = /^lambda:GetLayerVersion$/;
const PRINCIPAL = /^(?:\d{12}|\*|arn:aws[a-zA-Z-]*:iam::\d{12}:root)$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

function policyDocument(statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: statements });
}

function checkRevision(given: string | null | undefined, current: string | undefined): void {
  if (given && given !== current) {
    throw new AwsApiError(
      "PreconditionFailedException",
      "The RevisionId provided does not match the latest RevisionId for the Lambda function or alias. Call the GetFunction or the GetAlias API to retrieve the latest RevisionId for your resource.",
    );
  }
}

export async function addLayerVersionPermission(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const sid = readString(req.body, "StatementId");
  const action = readString(req.body, "Action");
  const principal = readString(req.body, "Principal");
  const org = readString(req.body, "OrganizationId");
  const v = new Violations();
  v.required(sid, "statementId");
  v.minLength(sid, "statementId", 1);
  v.maxLength(sid, "statementId", 100);
  v.pattern(sid, "statementId", STATEMENT_ID, "([a-zA-Z0-9-_]+)");
  v.required(action, "action");
  v.maxLength(action, "action", 22);
  v.pattern(action, "action", LAYER_ACTION, "lambda:GetLayerVersion");
  v.required(principal, "principal");
  v.pattern(principal, "principal", PRINCIPAL, "\\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root");
  v.maxLength(org, "organizationId", 34);
  v.pattern(org, "organizationId", ORGANIZATION_ID, "o-[a-z0-9]{10,32}");
  v.throwIfAny();

  const { layer, version } = findVersion(req, deps, "AddLayerVersionPermission");
  checkRevision(req.query.get("RevisionId"), version.policy?.revisionId);
  const policy = (version.policy ??= { revisionId: randomUUID(), statements: [] });
  if (policy.statements.some((s) => s.Sid === sid)) {
    throw new AwsApiError("ResourceConflictException", `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
  }
  const statement: PolicyStatement = {
    Sid: sid!,
    Effect: "Allow",
    Principal: principal === "*" ? "*" : { AWS: /^\d{12}$/.test(principal!) ? `arn:${partition(req.region)}:iam::${principal}:root` : principal! },
    Action: action!,
    Resource: layerVersionArn(req.region, req.account, layer.name, version.version),
    ...(org ? { Condition: { StringEquals: { "aws:PrincipalOrgID": org } } } : {}),
  };
  policy.statements.push(statement);
  policy.revisionId = randomUUID();
  await deps.ctx.save();
  return ok(req, 201, { Statement: JSON.stringify(statement), RevisionId: policy.revisionId });
}

export async function getLayerVersionPolicy(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const { version } = findVersion(req, deps, "GetLayerVersionPolicy");
  if (!version.policy || version.policy.statements.length === 0) {
    throw new AwsApiError("ResourceNotFoundException", "No policy is associated with the given resource.");
  }
  return ok(req, 200, { Policy: policyDocument(version.policy.statements), RevisionId: version.policy.revisionId });
}

export async function removeLayerVersionPermission(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const { version } = findVersion(req, deps, "RemoveLayerVersionPermission");
  const sid = req.params.StatementId!;
  const index = version.policy?.statements.findIndex((s) => s.Sid === sid) ?? -1;
  if (!version.policy || index === -1) {
    throw new AwsApiError("ResourceNotFoundException", `Statement ${sid} is not found in resource policy.`);
  }
  checkRevision(req.query.get("RevisionId"), version.policy.revisionId);
  version.policy.statements.splice(index, 1);
  version.policy.revisionId = randomUUID();
  await deps.ctx.save();
  return ok(req, 204);
}
