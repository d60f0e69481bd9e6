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

/**
 * One cloud's native runtime ids in another cloud's spelling (copy): each id is looked up by its
 * own spelling and its canonical ones (Tencent Python3.10 -> python3.10 -> AWS python3.10). An id
 * the other cloud has no runtime for is a UsageError naming them all, as publish refuses them.
 */
export function translateRuntimes(
  from: { name: ProviderName; runtimes: readonly RuntimeEntry[] },
  natives: string[],
  to: { name: ProviderName; runtimes: readonly RuntimeEntry[] },
): string[] {
  const out: string[] = [];
  const missing: string[] = [];
  for (const id of natives) {
    const entry = from.runtimes.find((r) => r.native === id);
    const spellings = [id, ...(entry?.aliases ?? [])].map((s) => s.toLowerCase());
    const hit = to.runtimes.find((r) => spellings.includes(r.native.toLowerCase()) || r.aliases.some((a) => spellings.includes(a.toLowerCase())));
    if (!hit) missing.push(id);
    else if (!out.includes(hit.native)) out.push(hit.native);
  }
  if (missing.length > 0) {
    throw new UsageError(`${to.name} has no runtime for ${from.name}'s ${missing.join(", ")}`, {
      code: "UnknownRuntime",
      hint: `give ${to.name}'s runtimes yourself, e.g. --runtime ${to.name}:${to.runtimes[0]?.native ?? "..."} (${to.name} runtimes: ${to.runtimes.map((r) => r.native).join(", ")})`,
    });
  }
  return out;
}
