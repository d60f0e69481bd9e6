// Credentials for targets that need their own: an AWS partition other than the commercial one
// (aws-cn, aws-us-gov) has accounts and keys of its own (Provider.credentialScope), so one run
// that reaches us-east-1 and cn-north-1 needs two sets. They are named with --profile entries
// qualified by the scope:
//
//   --profile prod,aws-cn:china,aws-us-gov:gov     prod for the usual targets, china for aws-cn, gov for aws-us-gov
//
// The other entries (NAME, provider:NAME) serve the usual targets as --profile always does; an
// entry that names a scope serves that scope only. A scope without an entry gets the usual
// credentials (and a warning: the cloud will most likely refuse them). Only the scope prefixes are
// taken out here; the rest goes to the per-cloud grammar (targets.ts profilesFor).
import type { Logger } from "../output/log.js";
import type { Target } from "./resolve.js";

/** Scopes a profile may be given for (AWS partitions); other prefixes are left to the rest of the value. */
const SCOPES = ["aws-cn", "aws-us-gov"];

export interface PartitionProfiles {
  /** The entries without the scoped ones (what the usual targets use, per cloud or for all); undefined when none is left. */
  rest?: string[];
  byScope: Map<string, string>;
}

export function partitionProfiles(value: string | string[] | undefined): PartitionProfiles {
  const byScope = new Map<string, string>();
  const rest: string[] = [];
  for (const entry of (typeof value === "string" ? [value] : (value ?? [])).flatMap((v) => v.split(",")).map((e) => e.trim())) {
    const m = /^([a-z-]+):(.+)$/.exec(entry);
    if (m && SCOPES.includes(m[1]!)) byScope.set(m[1]!, m[2]!);
    else if (entry) rest.push(entry);
  }
  return { rest: rest.length > 0 ? rest : undefined, byScope };
}

/**
 * A run that mixes partitions of one provider with no profile for one of them: say so once per
 * scope, before any call (its targets get the usual credentials, which that partition refuses).
 * A run inside one partition only (China keys in the environment, cn-* targets) is not warned.
 */
export function warnUnscoped(targets: Target[], parsed: PartitionProfiles, log: Logger): void {
  const scopesOf = new Map<string, Set<string | undefined>>();
  for (const t of targets) {
    const set = scopesOf.get(t.provider.name) ?? new Set();
    set.add(t.provider.credentialScope?.(t.region));
    scopesOf.set(t.provider.name, set);
  }
  const warned = new Set<string>();
  for (const t of targets) {
    const scope = t.provider.credentialScope?.(t.region);
    if (scope === undefined || scopesOf.get(t.provider.name)!.size < 2 || parsed.byScope.has(scope) || warned.has(scope) || t.credentials === null) continue;
    warned.add(scope);
    log.warn(
      `${t.provider.name} ${t.region} is in partition ${scope}, whose accounts and keys are its own; it gets the usual credentials (give its own with --profile ${scope}:<profile>)`,
    );
  }
}
