// `--region all` / `--region aws:all` (and "regions": ["aws:all"] in the config): every region the
// account may use, asked of the cloud at run time (Provider.listRegions: AWS Account ListRegions,
// Tencent DescribeRegions, FC DescribeRegions). A separate step of target resolution: the other
// region entries are checked as typed (targets.ts); `all` is taken out before that and expanded
// once credentials are known. When the caller may not list regions, or a dry run has no
// credentials, layerctl's own list is used instead, with a warning saying so.
import type { Logger } from "../output/log.js";
import { startBudget } from "../providers/budget.js";
import { defaultRetryPolicy } from "../providers/retry.js";
import type { Provider, ResolvedCredentials } from "../providers/types.js";
import type { Traffic } from "../providers/traffic.js";

export const ALL = "all";

/** The region the listing is asked in: the provider's region variable, else its default. */
export function homeRegion(provider: Provider, env: NodeJS.ProcessEnv): string {
  return provider.regionVariables.map((v) => env[v]).find(Boolean) ?? provider.defaultRegion;
}

/**
 * layerctl's list for `all`: the known regions that need the same credentials as the home region
 * (for AWS, the home region's partition: commercial keys do not open aws-cn or aws-us-gov).
 */
export function knownRegions(provider: Provider, home: string): string[] {
  const scope = provider.credentialScope?.(home);
  return provider.regions.filter((r) => provider.credentialScope?.(r) === scope);
}

export interface Expansion {
  regions: string[];
  /** Where the list came from, for the note printed before the first call. */
  source: "cloud" | "known";
}

/** The regions `provider:all` stands for in this run. */
export async function expandAll(
  provider: Provider,
  opts: { env: NodeJS.ProcessEnv; endpoint?: string; credentials: ResolvedCredentials | null; timeoutMs: number; log: Logger; traffic: Traffic },
): Promise<Expansion> {
  const home = homeRegion(provider, opts.env);
  const known = knownRegions(provider, home);
  if (opts.credentials === null) {
    opts.log.warn(`${provider.name}:all: no credentials to ask ${provider.title} which regions are enabled (dry run); planning layerctl's list of ${known.length} regions`);
    return { regions: known, source: "known" };
  }
  const listing = await provider.listRegions({
    region: home,
    endpoint: opts.endpoint,
    credentials: opts.credentials,
    requestTimeoutMs: opts.timeoutMs,
    retry: defaultRetryPolicy,
    budget: startBudget(opts.timeoutMs),
    log: opts.log,
    traffic: opts.traffic.forTarget(provider.name, home, provider.limits.requestRate),
  });
  if ("denied" in listing) {
    const e = listing.denied;
    opts.log.warn(
      `${provider.name}:all: not permitted to list the account's regions (${e.code}${e.requestId ? `, request id ${e.requestId}` : ""}); using layerctl's list of ${known.length} regions, some of which the account may not have enabled`,
    );
    return { regions: known, source: "known" };
  }
  return { regions: listing.regions, source: "cloud" };
}
