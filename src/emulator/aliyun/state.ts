// The emulated account's resources, per region, as plain JSON (persisted by the shared store).
// Zip bytes live in the blob store under their sha256; only the key is kept here. The skeleton
// (../cloud.ts) keeps the regions and the format version.
import type { SeedFunction } from "../types.js";
import type { LayersAndFunctions } from "../cloud.js";

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
}

export interface FunctionVersionState {
  versionId: string;
  description: string;
  createdTime: string;
  lastModifiedTime: string;
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
}

export type RegionState = LayersAndFunctions<LayerState, FunctionState>;


/** FC writes times as RFC 3339 UTC without fractions, e.g. 2023-03-30T11:08:00Z. */
export function fcTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Seeded functions exist in every region, like a deployment the user already has. */
export function seedFunction(seed: SeedFunction, now: Date, id: string): FunctionState {
  const t = fcTime(now);
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
    lastVersion: 0,
    versions: [],
  };
}
