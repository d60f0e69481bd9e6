// The check's targets from what publish and build resolve: each provider with its native runtimes
// and the architectures asked for. Which architectures a provider's functions run on is the
// provider's data (Provider.contents); nothing here names a provider.
import type { Architecture, Provider } from "../providers/types.js";
import { checkArchitectureNames } from "../providers/validate.js";
import type { CheckTarget } from "./rules.js";

/** One target per provider: its runtimes' platforms, and the architectures asked for (else the provider's default). */
export function checkTargets(providers: Map<Provider, string[]>, architectures: string[]): CheckTarget[] {
  checkArchitectureNames(architectures);
  return [...providers].map(([provider, runtimes]) => {
    const runs = provider.contents.architectures;
    const asked = [...new Set(architectures)].filter((a): a is Architecture => (runs as string[]).includes(a));
    // A provider without the API field still runs functions on some CPU: its own list, never --arch.
    const fixed = provider.limits.architectures === null;
    const chosen = fixed ? [...runs] : asked.length > 0 ? asked : [provider.contents.defaultArchitecture.arch];
    return {
      provider: provider.name,
      runtimes: runtimes.map((id) => ({ id, platform: provider.runtimes.find((r) => r.native === id)?.platform ?? null })),
      architectures: chosen,
      architectureNote: !fixed && asked.length === 0 ? provider.contents.defaultArchitecture.why : undefined,
    };
  });
}
