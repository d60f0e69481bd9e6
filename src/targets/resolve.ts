// Turns --provider / --region / --endpoint / --emulator into resolved targets: one provider in
// one region with its endpoint and credentials. Everything here is checked before any cloud call.
import { UsageError } from "../errors.js";
import { getProvider } from "../providers/index.js";
import { checkRegion as checkRegionShape } from "../providers/regions.js";
import type { CredentialOptions, Provider, ProviderName, ResolvedCredentials } from "../providers/types.js";
import { providerNames } from "../providers/names.js";
import { providerPrefixed, qualifiedRegion, qualifierOf } from "../providers/qualified.js";
import { parseEndpoint } from "../providers/endpoint.js";
import { registerSecret } from "../output/redact.js";
import type { Logger } from "../output/log.js";
import type { SeedFunction } from "../emulator/types.js";
import { Traffic } from "../providers/traffic.js";
import { ALL, expandAll, homeRegion } from "./all-regions.js";
import { partitionProfiles, warnUnscoped } from "./credential-scopes.js";

const DEFAULT_LISTING_TIMEOUT_MS = 60_000;

export interface TargetOptions {
  /** Targets worked on at once (--concurrency), as typed; default DEFAULT_CONCURRENCY. */
  concurrency?: string;
  /** Comma-separated or repeated provider names. */
  provider?: string[];
  /** Region entries: `region` (every selected provider) or `provider:region`, `all` / `provider:all` for every region the account may use; comma-separated or repeated. */
  region?: string[];
  endpoint?: string;
  /** `NAME` (each selected cloud's profile of that name) and/or `provider:NAME`; comma-separated or repeated. */
  profile?: string | string[];
  /** Roles to assume with the resolved keys: an ARN (its shape names the cloud) or `provider:ARN`; repeated or comma-separated. */
  roleArn?: string | string[];
  emulator?: boolean;
}

export interface Target {
  provider: Provider;
  region: string;
  endpoint?: string;
  /** null only when resolveTargets was told credentials are optional (a dry run) and there were none. */
  credentials: ResolvedCredentials | null;
}

export interface ResolvedTargets {
  targets: Target[];
  /** Tells where calls go when that is not a cloud (the embedded emulator): for the command to print just before its first call, once nothing can fail as a usage error any more. */
  note?: string;
  /** Stops the embedded emulator, if one was started. */
  close(): Promise<void>;
  /** With optional credentials: what was missing, one line per provider (the missing-credentials error). */
  uncredentialed: string[];
}

export function splitList(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function selectProviders(names: string[] | undefined): Provider[] {
  const list = splitList(names);
  if (list.length === 0) {
    throw new UsageError("no provider given", {
      code: "MissingProvider",
      hint: `pass --provider ${providerNames.slice(0, -1).join(", ")} or ${providerNames.at(-1)} (comma-separate several)`,
    });
  }
  return [...new Set(list)].map(getProvider);
}

function endpointFor(provider: Provider, explicit: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (explicit !== undefined) return parseEndpoint(explicit, "--endpoint");
  for (const name of provider.endpointVariables) {
    const v = env[name];
    if (v) return parseEndpoint(v, name);
  }
  return undefined;
}

/**
 * --profile for each provider: its own `provider:NAME` entry, else the one plain NAME (each cloud's
 * profile of that name). Profile names may hold a colon: only a known provider's name is a prefix.
 */
export function profilesFor(providers: Provider[], values: string | string[] | undefined): Map<ProviderName, string> {
  const own = new Map<ProviderName, string>();
  const plain: string[] = [];
  for (const e of splitList(typeof values === "string" ? [values] : values)) {
    const prefixed = providerPrefixed(e);
    if (!prefixed) plain.push(e);
    else if (!providers.some((p) => p.name === prefixed.provider)) {
      throw new UsageError(`--profile ${e} names ${prefixed.provider}, which is not among the selected providers`, {
        code: "UnusedProfile",
        hint: `add ${prefixed.provider} to --provider, or drop that profile`,
      });
    } else if (own.has(prefixed.provider) && own.get(prefixed.provider) !== prefixed.value) {
      throw new UsageError(`--profile names two profiles for ${prefixed.provider}: ${own.get(prefixed.provider)} and ${prefixed.value}`, { code: "ConflictingOptions" });
    } else own.set(prefixed.provider, prefixed.value);
  }
  if (new Set(plain).size > 1) {
    throw new UsageError(`--profile names several profiles for every cloud: ${plain.join(", ")}`, {
      code: "ConflictingOptions",
      hint: "give one NAME for all, or one per cloud as provider:NAME (e.g. --profile aws:prod,aliyun:release)",
    });
  }
  const out = new Map<ProviderName, string>();
  for (const p of providers) {
    const name = own.get(p.name) ?? plain[0];
    if (name) out.set(p.name, name);
  }
  return out;
}

/**
 * --role-arn for each provider: `provider:ARN`, or an ARN whose shape says whose it is (AWS
 * `arn:aws:iam::`, Tencent `qcs::cam::`, Aliyun `acs:ram::`). Commas separate entries only before
 * another ARN (an IAM role name may hold a comma).
 */
export function roleArnsFor(providers: Provider[], values: string | string[] | undefined): Map<ProviderName, string> {
  const entries = (typeof values === "string" ? [values] : (values ?? []))
    .flatMap((v) => v.split(/,(?=\s*(?:[a-z]+:)?(?:arn|qcs|acs):)/))
    .map((v) => v.trim())
    .filter(Boolean);
  const out = new Map<ProviderName, string>();
  for (const e of entries) {
    const prefixed = providerPrefixed(e);
    const name = prefixed?.provider ?? providerNames.find((n) => getProvider(n).roleArn.pattern.test(e));
    const arn = prefixed?.value ?? e;
    if (!name) {
      throw new UsageError(`--role-arn "${e}" is not a role ARN of any cloud`, {
        code: "InvalidRoleArn",
        hint: `e.g. ${providerNames.map((n) => getProvider(n).roleArn.example).join(", ")}`,
      });
    }
    if (!providers.some((p) => p.name === name)) {
      throw new UsageError(`--role-arn ${arn} is a ${name} role, but ${name} is not among the selected providers`, {
        code: "UnusedRoleArn",
        hint: `add ${name} to --provider, or drop that role`,
      });
    }
    if (out.has(name) && out.get(name) !== arn) throw new UsageError(`--role-arn names two roles for ${name}: ${out.get(name)} and ${arn}`, { code: "ConflictingOptions" });
    out.set(name, arn);
  }
  return out;
}

/** The regions asked for one provider; `all` (./all-regions.ts) is kept apart, expanded once credentials are known. */
function regionsFor(provider: Provider, entries: string[], env: NodeJS.ProcessEnv, warnings: string[], profileRegion?: string): { regions: string[]; all: boolean } {
  const mine: string[] = [];
  const shared: string[] = [];
  for (const e of entries) {
    const q = qualifiedRegion(e);
    if (q) {
      getProvider(q.qualifier); // an unknown provider prefix is a mistake, not something to ignore
      if (q.qualifier === provider.name) mine.push(q.region);
    } else shared.push(e);
  }
  let regions = mine.length > 0 ? mine : shared;
  const all = regions.includes(ALL);
  regions = regions.filter((r) => r !== ALL);
  if (regions.length === 0 && !all) {
    const fromEnv = provider.regionVariables.map((v) => env[v]).find(Boolean);
    regions = [fromEnv ?? profileRegion ?? provider.defaultRegion];
  }
  const unique = [...new Set(regions)];
  // Any region of the provider's shape (a new one too, with a warning); a typo is a usage error.
  for (const r of unique) {
    const warning = checkRegionShape(provider, r, env);
    if (warning) warnings.push(warning);
  }
  return { regions: unique, all };
}

/** Warnings already given to a logger: a run that resolves targets per layer (the config file) says each once. */
const warned = new WeakMap<Logger, Set<string>>();

function warnOnce(log: Logger, warnings: string[]): void {
  const seen = warned.get(log) ?? new Set<string>();
  warned.set(log, seen);
  for (const w of warnings) {
    if (!seen.has(w)) log.warn(w);
    seen.add(w);
  }
}

/**
 * Checks one region of a provider as --region does (a config file's regions go through here too).
 * A well-shaped region we do not know is warned about once, when the run resolves its targets.
 * `all` passes: it is expanded when the run resolves its targets (./all-regions.ts).
 */
export function checkRegion(provider: Provider, region: string, env: NodeJS.ProcessEnv): void {
  regionsFor(provider, [region], env, []);
}

/** The region a provider gets when none is given: its region variable, else its default. */
export function defaultRegion(provider: Provider, env: NodeJS.ProcessEnv): string {
  return regionsFor(provider, [], env, []).regions[0]!;
}

/**
 * Credentials resolved in this process, per environment object (a run's: process.env for the CLI)
 * and per what decides them: a release of several layers (the config file) resolves targets once
 * per layer, and must still make one STS exchange per cloud, not one per layer. A change of the
 * variables or files in question resolves anew; a failure is not kept.
 */
const resolved = new WeakMap<NodeJS.ProcessEnv, Map<string, Promise<ResolvedCredentials>>>();

function credentialsOnce(provider: Provider, env: NodeJS.ProcessEnv, opts: CredentialOptions): Promise<ResolvedCredentials> {
  const key = JSON.stringify([provider.name, opts, env.HOME, env.USERPROFILE, provider.credentialVariables.map((v) => env[v] ?? null)]);
  let byKey = resolved.get(env);
  if (!byKey) resolved.set(env, (byKey = new Map()));
  let found = byKey.get(key);
  if (!found) {
    found = provider.resolveCredentials(env, opts);
    byKey.set(key, found);
    found.catch(() => byKey.delete(key));
  }
  return found;
}

/** One error for every provider whose credentials are missing, rather than one per run. */
function missingCredentials(errors: UsageError[]): UsageError {
  if (errors.length === 1) return errors[0]!;
  return new UsageError(errors.map((e) => e.message).join("; "), {
    code: "MissingCredentials",
    hint: errors
      .map((e) => e.hint)
      .filter(Boolean)
      .join("; "),
    cause: errors[0],
  });
}

/** The emulator `--emulator` runs in this process: its URL, the variables that point every SDK at it, and what to say once. */
export interface EmbeddedEmulator {
  url: string;
  env: Record<string, string>;
  note: string;
  close(): Promise<void>;
}

export async function startEmbedded(seedFunctions?: SeedFunction[]): Promise<EmbeddedEmulator> {
  const { start, emulatorEnv } = await import("../emulator/index.js");
  // Short asynchronous states: a demo still shows them, without making anyone wait. Buckets named
  // with --bucket exist on first use: the embedded emulator starts empty.
  const emu = await start({ port: 0, publishDelayMs: 300, functionUpdateDelayMs: 300, functions: seedFunctions, autoCreateBuckets: true });
  const overlay = emulatorEnv(emu.credentials, emu.url);
  for (const [k, v] of Object.entries(overlay)) if (/SECRET|TOKEN/.test(k)) registerSecret(v);
  return {
    url: emu.url,
    env: overlay,
    // `versions --emulator` right after `publish --emulator` finds nothing: say why, and what lasts.
    note: `using the embedded emulator at ${emu.url} (nothing is sent to any cloud); what it holds lasts for this command only: for state that lasts, run \`layerctl emulate --state-dir DIR\` and export the variables it prints`,
    close: () => emu.close(),
  };
}

/** What resolveTargets is given besides the options. */
export interface ResolveContext {
  env: NodeJS.ProcessEnv;
  log: Logger;
  seedFunctions?: SeedFunction[];
  layerName?: string;
  /** A dry run calls nothing: a provider without credentials is planned anyway (credentials: null). */
  credentialsOptional?: boolean;
  /** Budget of a region listing (`all`), ms; default 60 s. */
  timeoutMs?: number;
  /** With --emulator: the run's embedded emulator, when the caller started one for several publishes. */
  embedded?: EmbeddedEmulator;
}

/** A region qualified with a provider the run does not select is a mistake, not a no-op. */
function checkRegionQualifiers(providers: Provider[], regionEntries: string[]): void {
  for (const e of regionEntries) {
    const named = qualifierOf(e);
    if (named !== undefined && !providers.some((p) => p.name === named)) {
      getProvider(named); // an unknown provider name gets that error first
      throw new UsageError(`--region ${e} names ${named}, which is not among the selected providers`, {
        code: "UnusedRegion",
        hint: `add ${named} to --provider, or drop that region`,
      });
    }
  }
}

type RegionPlan = Array<{ provider: Provider; regions: string[]; all: boolean }>;

/**
 * Each provider's regions, checked before any emulator starts (a typo never starts a server). With
 * no region given, the profile in effect may name one (AWS config `region`, tccli, aliyun `region_id`).
 */
async function planRegions(opts: TargetOptions, ctx: ResolveContext, providers: Provider[], regionEntries: string[], profiles: Map<ProviderName, string>): Promise<RegionPlan> {
  const warnings: string[] = [];
  const plan: RegionPlan = [];
  for (const p of providers) {
    const needsDefault = !regionEntries.some((e) => {
      const named = qualifierOf(e);
      return named === undefined || named === p.name;
    });
    const fromProfile =
      needsDefault && !opts.emulator && !p.regionVariables.some((v) => ctx.env[v]) ? await p.profileRegion?.(ctx.env, { profile: profiles.get(p.name) }) : undefined;
    plan.push({ provider: p, ...regionsFor(p, regionEntries, ctx.env, warnings, fromProfile) });
  }
  if (ctx.layerName !== undefined) for (const { provider, regions } of plan) for (const r of regions) provider.checkLayerRegion?.(ctx.layerName, r);
  warnOnce(ctx.log, warnings);
  return plan;
}

/** Where the calls go: the given endpoint and environment, or (--emulator) the embedded emulator's. */
async function destination(opts: TargetOptions, ctx: ResolveContext): Promise<{ env: NodeJS.ProcessEnv; endpoint?: string; close: () => Promise<void>; note?: string }> {
  if (!opts.emulator) return { env: ctx.env, endpoint: opts.endpoint, close: async () => {} };
  if (opts.endpoint !== undefined) throw new UsageError("--emulator and --endpoint cannot be used together", { code: "ConflictingOptions" });
  // One emulator for a whole run of several publishes (a config's layers), or one of our own.
  const emu = ctx.embedded ?? (await startEmbedded(ctx.seedFunctions));
  const env = { ...ctx.env, ...emu.env };
  if (ctx.embedded) return { env, endpoint: emu.url, close: async () => {} };
  return { env, endpoint: emu.url, close: () => emu.close(), note: emu.note };
}

/**
 * One provider's credentials per scope, resolved once each: a region of another AWS partition
 * needs that partition's own. A missing one is collected in `missing`, so one run names them all.
 */
function credentialsByScope(
  provider: Provider,
  env: NodeJS.ProcessEnv,
  ctx: ResolveContext,
  who: { scopes: ReturnType<typeof partitionProfiles>; profiles: Map<ProviderName, string>; roles: Map<ProviderName, string> },
  missing: UsageError[],
): (region: string) => Promise<ResolvedCredentials | null> {
  const byScope = new Map<string | undefined, ResolvedCredentials | null>();
  return async (region) => {
    const scope = provider.credentialScope?.(region);
    if (byScope.has(scope)) return byScope.get(scope)!;
    let credentials: ResolvedCredentials | null = null;
    try {
      const profile = (scope !== undefined ? who.scopes.byScope.get(scope) : undefined) ?? who.profiles.get(provider.name);
      // Where the keys come from is told (never the keys): in a dry run always, else with --debug.
      credentials = await credentialsOnce(provider, env, { profile, roleArn: who.roles.get(provider.name), offline: ctx.credentialsOptional });
      const line = `${provider.name}${scope ? ` (${scope})` : ""} credentials: ${credentials.source}`;
      if (ctx.credentialsOptional) ctx.log.info(`dry run: ${line}`);
      else ctx.log.debug(line);
    } catch (err) {
      if (!(err instanceof UsageError && err.code === "MissingCredentials")) throw err;
      missing.push(err);
    }
    byScope.set(scope, credentials);
    return credentials;
  };
}

export async function resolveTargets(opts: TargetOptions, ctx: ResolveContext): Promise<ResolvedTargets> {
  const providers = selectProviders(opts.provider);
  const regionEntries = splitList(opts.region);
  checkRegionQualifiers(providers, regionEntries);
  // `aws-cn:NAME` / `aws-us-gov:NAME` name the profile of another partition's targets (./credential-scopes.ts).
  const scopes = partitionProfiles(opts.profile);
  const profiles = profilesFor(providers, scopes.rest);
  const roles = roleArnsFor(providers, opts.roleArn);
  if (opts.emulator && (profiles.size > 0 || scopes.byScope.size > 0)) {
    throw new UsageError("--emulator uses the emulator's own keys: --profile does not apply", {
      code: "ConflictingOptions",
      hint: "drop --profile (--role-arn works: the emulator serves STS)",
    });
  }
  const plan = await planRegions(opts, ctx, providers, regionEntries, profiles);
  const { env, endpoint, close, ...dest } = await destination(opts, ctx);
  let note = dest.note;

  try {
    const targets: Target[] = [];
    const missing: UsageError[] = [];
    const listings: Array<() => Promise<void>> = [];
    for (const { provider, regions, all } of plan) {
      const ep = endpointFor(provider, endpoint, env);
      const credentialsFor = credentialsByScope(provider, env, ctx, { scopes, profiles, roles }, missing);
      const given: Target[] = [];
      for (const region of regions) given.push({ provider, region, endpoint: ep, credentials: await credentialsFor(region) });
      if (!all) {
        targets.push(...given);
        continue;
      }
      // `all`: asked of the cloud below, once every provider's credentials are known (a missing
      // one is a usage error before any call); the targets keep their place in the order.
      const at = targets.length;
      const credentials = await credentialsFor(homeRegion(provider, env));
      listings.push(async () => {
        const { regions: listed } = await expandAll(provider, {
          env,
          endpoint: ep,
          credentials,
          timeoutMs: ctx.timeoutMs ?? DEFAULT_LISTING_TIMEOUT_MS,
          log: ctx.log,
          traffic: new Traffic(),
        });
        const seen = new Set(regions);
        const more: Target[] = [];
        for (const region of listed) if (!seen.has(region)) more.push({ provider, region, endpoint: ep, credentials: await credentialsFor(region) });
        targets.splice(at + given.length, 0, ...more);
      });
      targets.push(...given);
    }
    if (missing.length > 0 && !ctx.credentialsOptional) throw missingCredentials(missing);
    // Listings after the emulator note: they are the run's first calls.
    if (listings.length > 0 && note) {
      ctx.log.info(note);
      note = undefined;
    }
    for (const list of listings.reverse()) await list();
    warnUnscoped(targets, scopes, ctx.log);
    return { targets, close, note, uncredentialed: [...new Set(missing.map((e) => e.message + (e.hint ? ` (${e.hint})` : "")))] };
  } catch (err) {
    await close();
    throw err;
  }
}
