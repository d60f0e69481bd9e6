// The emulated account, per region, as plain JSON (what state() returns and `saved` brings back).
// Zips themselves live in the shared blob store under their sha256. The skeleton (../cloud.ts)
// keeps the regions and the format version.
import type { LayersAndFunctions } from "../cloud.js";
import type { StoreRegion } from "../objects.js";

export interface LayerVersionState {
  version: number;
  sha256: string;
  size: number;
  runtimes: string[];
  description: string;
  license: string;
  /** Epoch ms of the publish: the lifecycle state is computed from it, no timers. */
  createdAtMs: number;
  /** The publish-failed fault hit this publish: the version ends PublishFailed. */
  failed: boolean;
  /** The bad-checksum fault hit this publish: the service reports a wrong CodeSha256 for it. */
  corrupt: boolean;
  /**
   * Published from a COS object that SCF reads when publishing ends (./layers.ts): set until then.
   * The bucket is named with its APPID, the key without the leading "/".
   */
  cos?: { bucket: string; key: string; region: string };
  /** Epoch ms of the DeleteLayerVersion call: `Deleting` until the delay passes, then gone (or DeleteFailed). */
  deletedAtMs?: number;
  /** The delete was hit by the publish-failed fault: it ends DeleteFailed and the version stays. */
  deleteFails?: boolean;
}

export interface LayerState {
  /** Versions count up and are never reused, even after deletes. */
  nextVersion: number;
  versions: LayerVersionState[];
}

/** One entry of a function's layer list (SCF's LayerVersionSimple on the wire). */
export interface FunctionLayerState {
  name: string;
  version: number;
}

export interface FunctionVersionState {
  version: string;
  description: string;
  createdAtMs: number;
  /** The layers this version was published with (absent in state saved before layers were kept). */
  layers?: FunctionLayerState[];
}

export interface FunctionState {
  name: string;
  namespace: string;
  runtime: string;
  handler: string;
  description: string;
  memorySize: number;
  timeout: number;
  codeSize: number;
  codeSha256: string | null;
  createdAtMs: number;
  nextVersion: number;
  versions: FunctionVersionState[];
  /** The current configuration's ($LATEST) layers, in order; versions keep their own copy. */
  layers?: FunctionLayerState[];
}

/** Functions keyed by `${namespace}/${name}`. */
/** Layers and functions, and the object store's buckets located in the region (../objects.ts). */
export type RegionState = LayersAndFunctions<LayerState, FunctionState> & StoreRegion;

export function functionKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/**
 * The update side's fields on the same record (../function-updates.ts: when the last update
 * started, aliases), declared apart so that the read side's declaration above stays as it is.
 */
type FunctionUpdateState = import("../function-updates.js").FunctionUpdateState;
export interface FunctionState extends FunctionUpdateState {}
