// The function reads an in-use scan needs: ListFunctions, ListVersionsByFunction and ListAliases,
// each paged with Marker / MaxItems / NextMarker as Lambda pages them. Shapes from the API
// reference (ListFunctions: {Functions: [FunctionConfiguration], NextMarker}; ListVersionsByFunction:
// {Versions: [...], NextMarker}, $LATEST first; ListAliases: {Aliases: [AliasConfiguration],
// NextMarker}, AliasConfiguration = {AliasArn, Name, FunctionVersion, Description, RoutingConfig,
// RevisionId}). MaxItems is 1-10000 for all three; the default page size is not documented (50 here).
import { createHash } from "node:crypto";
import type { Reply } from "../types.js";
import { AwsApiError } from "./errors.js";
import { describeConfiguration, findFunction, notFound } from "./functions.js";
import { decodeMarker, encodeMarker } from "./layers.js";
import { functionArn, functionNameFrom } from "./names.js";
import { ok, queryInteger, type AwsDeps, type AwsRequest } from "./request.js";
import type { FunctionState } from "./state.js";
import { Violations } from "./validation.js";

const DEFAULT_ITEMS = 50;

function page<T>(req: AwsRequest, items: T[], key: (item: T) => string | number): { items: T[]; next?: string } {
  const maxItems = queryInteger(req.query, "MaxItems");
  const v = new Violations();
  v.range(maxItems, "maxItems", 1, 10_000);
  v.throwIfAny();
  const after = decodeMarker(req.query.get("Marker") ?? undefined);
  const index = after === undefined ? -1 : items.findIndex((i) => key(i) === after);
  if (after !== undefined && index === -1) throw new AwsApiError("InvalidParameterValueException", "Invalid Marker value");
  const start = index + 1;
  const slice = items.slice(start, start + (maxItems ?? DEFAULT_ITEMS));
  const more = start + slice.length < items.length;
  return { items: slice, next: more ? encodeMarker(key(slice[slice.length - 1]!)) : undefined };
}

function versionsOf(fn: FunctionState): string[] {
  return Object.keys(fn.versions).sort((a, b) => Number(a) - Number(b));
}

type Listed = { key: string; body: Record<string, unknown> };

/** $LATEST first, then (if asked) the published versions in order, each as reads report it now; keyed for paging as `prefix` + qualifier. */
function configurations(req: AwsRequest, deps: AwsDeps, fn: FunctionState, withVersions: boolean, prefix: string): Listed[] {
  return ["$LATEST", ...(withVersions ? versionsOf(fn) : [])].map((q) => ({ key: `${prefix}${q}`, body: describeConfiguration(req, deps, fn, q) }));
}

/** One page of FunctionConfigurations under `field`, with NextMarker while more follow. */
function configurationPage(req: AwsRequest, field: "Functions" | "Versions", configs: Listed[]): Reply {
  const p = page(req, configs, (c) => c.key);
  return ok(req, 200, { [field]: p.items.map((c) => c.body), ...(p.next ? { NextMarker: p.next } : {}) });
}

/** Seeded functions exist in every region: a listing shows them all, so it creates their records first. */
async function allFunctions(req: AwsRequest, deps: AwsDeps): Promise<FunctionState[]> {
  for (const name of deps.seeds.keys()) await findFunction(req, deps, name);
  return Object.values(deps.ctx.region(req.region).functions).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function listFunctions(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const all = req.query.get("FunctionVersion");
  if (all !== null && all !== "ALL") {
    const v = new Violations();
    v.enumValue(all, "functionVersion", ["ALL"]);
    v.throwIfAny();
  }
  const configs = (await allFunctions(req, deps)).flatMap((fn) => configurations(req, deps, fn, all === "ALL", `${fn.name}:`));
  return configurationPage(req, "Functions", configs);
}

export async function listVersionsByFunction(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const ref = functionNameFrom(req.params.FunctionName!, req.region, req.account);
  const fn = await findFunction(req, deps, ref.name);
  if (!fn) throw notFound(req, ref.name);
  return configurationPage(req, "Versions", configurations(req, deps, fn, true, ""));
}

export async function listAliases(req: AwsRequest, deps: AwsDeps): Promise<Reply> {
  const ref = functionNameFrom(req.params.FunctionName!, req.region, req.account);
  const fn = await findFunction(req, deps, ref.name);
  if (!fn) throw notFound(req, ref.name);
  const only = req.query.get("FunctionVersion");
  const aliases = Object.values(fn.aliases ?? {})
    .filter((a) => only === null || a.version === only)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const p = page(req, aliases, (a) => a.name);
  return ok(req, 200, {
    Aliases: p.items.map((a) => ({
      AliasArn: functionArn(req.region, req.account, fn.name, a.name),
      Name: a.name,
      FunctionVersion: a.version,
      Description: a.description,
      // The emulator keeps no weighted routing (RoutingConfig); a stable id per alias state.
      RevisionId: aliasRevision(a),
    })),
    ...(p.next ? { NextMarker: p.next } : {}),
  });
}

function aliasRevision(a: { name: string; version: string; updatedAtMs: number }): string {
  const hex = createHash("sha256").update(`${a.name}\0${a.version}\0${a.updatedAtMs}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
