// Which regions a target may name. Clouds open regions every year, so a list shipped with
// layerctl goes stale: a region is accepted when it has its cloud's region shape (a warning says
// when it is not in our list yet), and refused only when it has not, which is what a typo looks
// like ("us-east1"), with the nearest known region as a suggestion. Each provider's data (the
// shape and the known list) lives in its folder's regions.ts; this is the one check over it.
import { UsageError } from "../errors.js";
import type { Provider } from "./types.js";

/** A provider's region ids: what one looks like, and the ones layerctl knows of. */
export interface RegionShape {
  pattern: RegExp;
  /** e.g. "us-east-1": for messages. */
  example: string;
  /** Where the shape comes from (a reference, or why there is none). */
  source: string;
}

/** Set to 1 to use a region that does not have the provider's region shape (an escape hatch). */
export const ALLOW_UNKNOWN_REGION = "LAYERCTL_ALLOW_UNKNOWN_REGION";

/**
 * null: a known region. A string: a region of the right shape that layerctl does not know (a
 * warning to show once). Throws UsageError for a region without the shape.
 */
export function checkRegion(provider: Pick<Provider, "name" | "regions" | "regionShape">, region: string, env: NodeJS.ProcessEnv): string | null {
  if (provider.regions.includes(region)) return null;
  const near = nearestRegion(region, provider.regions);
  if (!provider.regionShape.pattern.test(region)) {
    if (env[ALLOW_UNKNOWN_REGION] === "1") return `${provider.name} region "${region}" does not look like a ${provider.name} region; used as given (${ALLOW_UNKNOWN_REGION}=1)`;
    throw new UsageError(`unknown ${provider.name} region "${region}"${near ? ` (did you mean ${near}?)` : ""}`, {
      code: "UnknownRegion",
      hint: `${provider.name} regions look like ${provider.regionShape.example} (see \`layerctl providers\` for the known ones); to use "${region}" anyway, set ${ALLOW_UNKNOWN_REGION}=1`,
    });
  }
  // A new region of the same family differs from a known one only in its number (ap-southeast-6):
  // that is no typo, so only a difference in letters earns a suggestion.
  const typo = near !== null && near.replace(/\d+/g, "") !== region.replace(/\d+/g, "") ? near : null;
  return `${provider.name} region "${region}" is not in layerctl's list of ${provider.name} regions; using it as given${typo ? ` (did you mean ${typo}?)` : ""}`;
}

/** The known region closest to `region` by edit distance (at most 2 edits, or one that ends with it), or null. */
export function nearestRegion(region: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(region, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  // "guangzhou" for ap-guangzhou: the region's name without its area prefix.
  return best ?? known.find((k) => k.endsWith(`-${region}`)) ?? null;
}

/** Optimal string alignment distance (a swap of two neighbours is one edit: "us-esat-1"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
