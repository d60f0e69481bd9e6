// Looking into a call whose outcome is unknown, the same way on every cloud: among what changed
// since the call began, exactly one match is ours; none means the call had no effect. Several
// (another run did the same at the same time), or one that matches only in part (the zip, not the
// settings, as when part of an answer was lost), cannot be told apart: nothing is claimed, and
// nothing is made again.
import { sameSet } from "./record.js";
import type { LayerVersionRecord, Lookup, PublishLayerRequest } from "./types.js";

/** How one candidate compares: ours, not ours, or in doubt (it may be ours). */
export type Match = boolean | "doubt";

export async function findOne<T>(candidates: readonly T[], matches: (c: T) => Promise<Match> | Match, describe: (c: T) => string): Promise<Lookup<T>> {
  const hits: T[] = [];
  const doubts: T[] = [];
  for (const c of candidates) {
    const m = await matches(c);
    if (m === true) hits.push(c);
    else if (m === "doubt") doubts.push(c);
  }
  if (hits.length === 1 && doubts.length === 0) return { found: hits[0]! };
  if (hits.length === 0 && doubts.length === 0) return { absent: true };
  if (hits.length > 1) return { undecided: `${hits.map(describe).join(" and ")} all match, and only one can be this run's` };
  return { undecided: `${[...hits, ...doubts].map(describe).join(" and ")} may be this run's (the same zip, read with other settings)` };
}

/** A version holding this zip is ours when it has the request's runtimes and architectures; in doubt otherwise. */
export function layerMatch(v: Pick<LayerVersionRecord, "compatibleRuntimes" | "compatibleArchitectures">, sameZip: boolean, req: PublishLayerRequest): Match {
  if (!sameZip) return false;
  return sameSet(v.compatibleRuntimes, req.runtimes) && sameSet(v.compatibleArchitectures, req.architectures) ? true : "doubt";
}
