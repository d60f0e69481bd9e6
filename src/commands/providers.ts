// layerctl providers: what each cloud offers, straight from the adapters' own tables.
import { renderProviders } from "../output/records.js";
import { providers } from "../providers/index.js";
import { providerCatalog } from "../providers/names.js";
import type { ProviderName } from "../providers/types.js";
import { defineCommand } from "./shared/define.js";

export interface ProviderInfo {
  name: ProviderName;
  title: string;
  defaultRegion: string;
  regions: string[];
  runtimes: Array<{ id: string; aliases: string[] }>;
  limits: {
    layerName: string;
    maxZipBytes: number;
    maxZipNote: string | null;
    maxUnzippedBytes: number | null;
    maxRuntimes: number;
    architectures: string[] | null;
    maxDescriptionLength: number;
    maxLicenseLength: number;
    maxVersionsPerLayer: number | null;
    maxLayersPerRegion: number | null;
  };
  credentialVariables: string[];
  /** Where credentials are looked for, first to last, as the cloud's CLI and SDK document it. */
  credentialOrder: string[];
  regionVariables: string[];
  endpointVariables: string[];
  asyncPublish: boolean;
}

export function providersCommand(): { providers: ProviderInfo[] } {
  return {
    providers: Object.values(providers).map((p) => ({
      name: p.name,
      title: p.title,
      defaultRegion: p.defaultRegion,
      regions: [...p.regions],
      runtimes: p.runtimes.map((r) => ({ id: r.native, aliases: r.aliases })),
      limits: {
        layerName: p.limits.layerNameRule,
        maxZipBytes: p.limits.maxZipBytes,
        maxZipNote: p.limits.maxZipNote ?? null,
        maxUnzippedBytes: p.limits.maxUnzippedBytes,
        maxRuntimes: p.limits.maxRuntimes,
        architectures: p.limits.architectures,
        maxDescriptionLength: p.limits.maxDescriptionLength,
        maxLicenseLength: p.limits.maxLicenseLength,
        maxVersionsPerLayer: p.limits.maxVersionsPerLayer,
        maxLayersPerRegion: p.limits.maxLayersPerRegion,
      },
      credentialVariables: [...p.credentialVariables],
      credentialOrder: [...providerCatalog[p.name].credentialOrder],
      regionVariables: [...p.regionVariables],
      endpointVariables: [...p.endpointVariables],
      asyncPublish: p.features.asyncPublish,
    })),
  };
}

export default defineCommand({
  formats: ["table", "json"],
  examples: ["layerctl providers", "layerctl providers --output json | jq '.providers[] | {name, runtimes: [.runtimes[].id]}'"],
  run: async () => providersCommand(),
  render: (doc, format) => renderProviders(doc, format as "table" | "json"),
});
