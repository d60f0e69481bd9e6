import type { ProviderName } from "./names.js";
import type { LayerVersionRecord } from "./types.js";

/** A record with every field present (null/empty), for adapters to fill in. */
export function blankRecord(provider: ProviderName, region: string, layerName: string): LayerVersionRecord {
  return {
    provider,
    region,
    layerName,
    version: null,
    arn: null,
    status: "published",
    state: null,
    codeSha256: null,
    codeSize: null,
    compatibleRuntimes: [],
    compatibleArchitectures: [],
    description: null,
    license: null,
    createdAt: null,
    location: null,
    requestId: null,
  };
}

/** Providers' date strings -> ISO 8601 UTC. `zone` is used when the string carries none (Tencent: China time). */
export function toIsoUtc(value: string | null | undefined, zone = "Z"): string | null {
  if (!value) return null;
  const hasZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(value);
  const d = new Date(hasZone ? value : `${value.replace(" ", "T")}${zone}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Same members, order and repeats aside: runtimes and architectures as sets. */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
}
