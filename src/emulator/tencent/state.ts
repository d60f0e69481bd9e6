// The emulated account, per region, as plain JSON (what state() returns and `saved` brings back).
// Zips themselves live in the shared blob store under their sha256.

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
}

export interface LayerState {
  /** Versions count up and are never reused, even after deletes. */
  nextVersion: number;
  versions: LayerVersionState[];
}

export interface FunctionVersionState {
  version: string;
  description: string;
  createdAtMs: number;
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
}

export interface RegionState {
  layers: Record<string, LayerState>;
  /** Keyed by `${namespace}/${name}`. */
  functions: Record<string, FunctionState>;
}

export interface TencentState {
  format: 1;
  regions: Record<string, RegionState>;
}

export function emptyState(): TencentState {
  return { format: 1, regions: {} };
}

/** Restores a saved state; anything unrecognisable is a bug or a foreign file, so say so. */
export function loadState(saved: unknown): TencentState {
  if (saved === undefined || saved === null) return emptyState();
  const s = saved as Partial<TencentState>;
  if (s.format !== 1 || typeof s.regions !== "object" || s.regions === null) {
    throw new Error("the saved Tencent emulator state has an unknown format; remove the state directory to start over");
  }
  return { format: 1, regions: s.regions };
}

export function regionState(state: TencentState, region: string): RegionState {
  let r = state.regions[region];
  if (!r) {
    r = { layers: {}, functions: {} };
    state.regions[region] = r;
  }
  return r;
}

export function functionKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
