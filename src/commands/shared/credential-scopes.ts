// Credentials for targets that need their own: an AWS partition other than the commercial one
// (aws-cn, aws-us-gov) has accounts and keys of its own (Provider.credentialScope), so one run
// that reaches us-east-1 and cn-north-1 needs two sets. They are named with --profile entries
// qualified by the scope:
//
//   --profile prod,aws-cn:china,aws-us-gov:gov     prod for the usual targets, china for aws-cn, gov for aws-us-gov
//
// A plain entry is the profile for the usual targets (as --profile always was); an entry that
// names a scope serves that scope only. A scope without an entry gets the usual credentials (and a
// warning: the cloud will most likely refuse them). Only the scope prefixes are parsed here, so a
// provider-qualified grammar for --profile (aws:prod) composes with this one.
import type { Logger } from "../../output/log.js";
import type { Target } from "./targets.js";

/** Scopes a profile may be given for (AWS partitions); other prefixes are left to the rest of the value. */
const SCOPES = ["aws-cn", "aws-us-gov"];

export interface PartitionProfiles {
  /** The value without the scoped entries (what the usual targets use); undefined when nothing is left. */
  rest?: string;
  byScope: Map<string, string>;
}

export function partitionProfiles(value: string | undefined): PartitionProfiles {
  const byScope = new Map<string, string>();
  if (value === undefined) return { byScope };
  const rest: string[] = [];
  for (const entry of value.split(",").map((e) => e.trim())) {
    const m = /^([a-z-]+):(.+)$/.exec(entry);
    if (m && SCOPES.includes(m[1]!)) byScope.set(m[1]!, m[2]!);
    else if (entry) rest.push(entry);
  }
  return { rest: rest.length > 0 ? rest.join(",") : undefined, byScope };
}

/** The --profile value for credentials of `scope` (undefined: the usual targets). */
export function profileFor(value: string | undefined, parsed: PartitionProfiles, scope: string | undefined): string | undefined {
  if (scope !== undefined && parsed.byScope.has(scope)) return parsed.byScope.get(scope);
  return parsed.byScope.size > 0 ? parsed.rest : value;
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
