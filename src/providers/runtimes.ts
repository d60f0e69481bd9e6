// Users type one canonical spelling (python3.12, nodejs20, java17, go1, custom...); each provider
// maps it to its own ids. A provider's native id is accepted for that provider as it is.
import { UsageError } from "../errors.js";
import type { ProviderName } from "./names.js";
import type { RuntimeEntry } from "./types.js";

export function resolveRuntimeIds(provider: ProviderName, table: readonly RuntimeEntry[], ids: string[]): string[] {
  const out: string[] = [];
  for (const raw of ids) {
    const id = raw.trim();
    if (!id) continue;
    const hit = table.find((r) => r.native === id) ?? table.find((r) => r.native.toLowerCase() === id.toLowerCase() || r.aliases.some((a) => a.toLowerCase() === id.toLowerCase()));
    if (!hit) {
      throw new UsageError(`${provider} has no runtime "${id}"`, {
        code: "UnknownRuntime",
        hint: `${provider} runtimes: ${table.map((r) => r.native).join(", ")}`,
      });
    }
    if (!out.includes(hit.native)) out.push(hit.native);
  }
  return out;
}
