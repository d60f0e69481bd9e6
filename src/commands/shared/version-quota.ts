// Clouds that cap versions per layer (Tencent: 200) refuse to publish past the cap; warn from 90%
// of it, so a release pipeline learns before it fails. The figure is the provider's data.
import type { Provider } from "../../providers/types.js";

const WARN_FRACTION = 0.9;

export function versionQuotaWarning(provider: Provider, region: string, layerName: string, count: number): string | null {
  const max = provider.limits.maxVersionsPerLayer;
  if (max === null || count <= Math.floor(max * WARN_FRACTION)) return null;
  return `${provider.name} ${region}: layer ${layerName} holds ${count} of at most ${max} versions; delete old ones before publishing fails (layerctl prune ${layerName} --keep 20 -p ${provider.name} -r ${region})`;
}
