// The emulated account's resources, per region, as plain JSON (persisted by the shared store).
// Zip bytes live in the blob store under their sha256; only the key is kept here. The skeleton
// (../cloud.ts) keeps the regions and the format version.
import type { SeedFunction, SeedLayer } from "../types.js";
import type { LayersAndFunctions } from "../cloud.js";
import type { StoreRegion } from "../objects.js";

export interface LayerVersionState {
  version: number;
  description: string;
  license: string;
  compatibleRuntime: string[];
  /** Blob key (hex sha256) of the zip. */
  blob: string;
  codeSize: number;
  /** CRC-64/XZ of the zip, decimal. */
  codeChecksum: string;
  createTime: string;
  acl: string;
}

export interface LayerState {
  name: string;
  /** Highest version ever created: versions are never reused after a delete. */
  lastVersion: number;
  /** Live versions, ascending. */
  versions: LayerVersionState[];
  /** PutLayerACL's setting for the whole layer ("1" public, "0" private); absent: never set (private). */
  acl?: "0" | "1";
}

export interface FunctionVersionState {
  versionId: string;
  description: string;
  createdTime: string;
  lastModifiedTime: string;
  /** Layer version ARNs this version was published with (absent in state saved before layers were kept). */
  layers?: string[];
}

export interface FunctionState {
  name: string;
  functionId: string;
  runtime: string;
  handler: string;
  description: string;
  memorySize: number;
  timeout: number;
  codeChecksum: string;
  codeSize: number;
  createdTime: string;
  lastModifiedTime: string;
  lastVersion: number;
  versions: FunctionVersionState[];
  /** The current configuration's layer version ARNs, in order; published versions keep their own copy. */
  layers?: string[];
}

/** Layers and functions, and the object store's buckets located in the region (../objects.ts). */
export type RegionState = LayersAndFunctions<LayerState, FunctionState> & StoreRegion;

/** FC writes times as RFC 3339 UTC without fractions, e.g. 2023-03-30T11:08:00Z. */
export function fcTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Seeded functions exist in every region, like a deployment the user already has; `arn` writes a seed's layer reference. */
export function seedFunction(seed: SeedFunction, now: Date, id: string, arn: (layer: SeedLayer) => string): FunctionState {
  const t = fcTime(now);
  const versions = (seed.versions ?? []).map((v, i) => ({
    versionId: String(i + 1),
    description: v.description ?? "",
    createdTime: t,
    lastModifiedTime: t,
    layers: (v.layers ?? []).map(arn),
  }));
  return {
    name: seed.name,
    functionId: id,
    runtime: "python3.10",
    handler: "index.handler",
    description: "",
    memorySize: 128,
    timeout: 3,
    codeChecksum: "0",
    codeSize: 0,
    createdTime: t,
    lastModifiedTime: t,
    lastVersion: versions.length,
    versions,
    layers: (seed.layers ?? []).map(arn),
  };
}

/**
 * The update side's fields on the same record (../function-updates.ts: when the last update
 * started, aliases), declared apart so that the read side's declaration above stays as it is.
 */
type FunctionUpdateState = import("../function-updates.js").FunctionUpdateState;
export interface FunctionState extends FunctionUpdateState {}
