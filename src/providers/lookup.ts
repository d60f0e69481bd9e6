// Looking into a call whose outcome is unknown, the same way on every cloud: among what changed
// since the call began, exactly one match is ours; none means the call had no effect; several
// (another run did the same at the same time) cannot be told apart, so nothing is claimed.
import { sameSet } from "./record.js";
import type { LayerVersionRecord, Lookup, PublishLayerRequest } from "./types.js";

export async function findOne<T>(candidates: readonly T[], matches: (c: T) => Promise<boolean> | boolean, describe: (c: T) => string): Promise<Lookup<T>> {
  const hits: T[] = [];
  for (const c of candidates) if (await matches(c)) hits.push(c);
  if (hits.length === 0) return { absent: true };
  if (hits.length === 1) return { found: hits[0]! };
  return { undecided: `${hits.map(describe).join(" and ")} all match, and only one can be this run's` };
}

/** The runtimes and architectures a version was published with are the request's. */
export function sameSettings(v: Pick<LayerVersionRecord, "compatibleRuntimes" | "compatibleArchitectures">, req: PublishLayerRequest): boolean {
  return sameSet(v.compatibleRuntimes, req.runtimes) && sameSet(v.compatibleArchitectures, req.architectures);
}
