// The AWS emulator's persistent state: plain JSON, one entry per region (Lambda resources are
// regional; the region comes from each request's credential scope). Zips live in the blob store.
// The skeleton (../cloud.ts) keeps the regions and the format version.
import type { LayersAndFunctions } from "../cloud.js";
import type { AliasState } from "../function-updates.js";
import type { StoreRegion } from "../objects.js";

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Principal: string | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface LayerVersionState {
  version: number;
  description: string;
  license: string | null;
  runtimes: string[];
  architectures: string[];
  /** Lambda's spelling: 2018-11-14T23:03:52.079+0000 */
  createdDate: string;
  /** sha256 hex of the zip = its blob key. */
  blob: string;
  codeSize: number;
  /** Published under a bad-checksum fault: report a checksum that does not match, from now on. */
  corrupt: boolean;
  policy: { revisionId: string; statements: PolicyStatement[] } | null;
}

export interface LayerState {
  name: string;
  /** Never goes down: numbers of deleted versions are not reused. */
  nextVersion: number;
  versions: Record<string, LayerVersionState>;
}

export interface FunctionConfigState {
  runtime: string | null;
  role: string;
  handler: string | null;
  description: string;
  timeout: number;
  memorySize: number;
  architectures: string[];
  layers: string[];
  packageType: "Zip" | "Image";
  blob: string | null;
  /** base64, as Lambda reports it. */
  codeSha256: string;
  codeSize: number;
  lastModified: string;
  revisionId: string;
}

export interface FunctionVersionState extends FunctionConfigState {
  version: string;
  /** $LATEST's revision this version was published from (PublishVersion is a no-op while unchanged). */
  sourceRevisionId: string;
  /** Epoch ms of the PublishVersion: State Pending until functionUpdateDelayMs has passed (absent: Active). */
  publishedAtMs?: number;
}

/**
 * One function: its current configuration ($LATEST, with its `layers` ARNs), its published
 * versions (each a frozen copy, layers included) and its aliases. Reads (Get/List*) and updates
 * (UpdateFunctionConfiguration, aliases) work on this one record.
 */
export interface FunctionState {
  name: string;
  latest: FunctionConfigState;
  nextVersion: number;
  versions: Record<string, FunctionVersionState>;
  /** By alias name; absent in state saved before aliases existed. */
  aliases?: Record<string, AliasState>;
}

/** Layers and functions, and the object store's buckets located in the region (../objects.ts). */
export type RegionState = LayersAndFunctions<LayerState, FunctionState> & StoreRegion;

/** Lambda's date format: ISO 8601 with milliseconds and a +0000 offset. */
export function lambdaDate(d: Date): string {
  return d.toISOString().replace("Z", "+0000");
}

/**
 * The update side's fields on the same record (../function-updates.ts: when the last update
 * started, aliases), declared apart so that the read side's declaration above stays as it is.
 */
type FunctionUpdateState = import("../function-updates.js").FunctionUpdateState;
export interface FunctionState extends FunctionUpdateState {}
