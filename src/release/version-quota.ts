// Clouds that cap versions per layer (Tencent: 200) or layers per region (Tencent: 20) refuse to
// publish past the cap; warn from 90% of it, so a release pipeline learns before it fails. The
// figures are the provider's data.
import type { Provider } from "../providers/types.js";

const WARN_FRACTION = 0.9;

/** Clouds that cap layers per region (Tencent: 20) refuse a new layer name past the cap: warn from 90% of it. */
export function layerQuotaWarning(provider: Provider, region: string, count: number): string | null {
  const max = provider.limits.maxLayersPerRegion;
  if (max === null || count <= Math.floor(max * WARN_FRACTION)) return null;
  return `${provider.name} ${region}: ${count} layers of at most ${max} per region; publishing a new layer name fails past that: delete the layers you no longer use, every version (layerctl delete NAME VERSION... -p ${provider.name} -r ${region})`;
}

export function versionQuotaWarning(provider: Provider, region: string, layerName: string, count: number): string | null {
  const max = provider.limits.maxVersionsPerLayer;
  if (max === null || count <= Math.floor(max * WARN_FRACTION)) return null;
  return `${provider.name} ${region}: layer ${layerName} holds ${count} of at most ${max} versions; delete old ones before publishing fails (layerctl prune ${layerName} --keep 20 -p ${provider.name} -r ${region})`;
}
