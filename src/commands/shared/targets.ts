// Turns --provider / --region / --endpoint / --emulator into resolved targets: one provider in
// one region with its endpoint and credentials. Everything here is checked before any cloud call.
import { UsageError } from "../../errors.js";
import { getProvider } from "../../providers/index.js";
import type { Provider, ResolvedCredentials } from "../../providers/types.js";
import { registerSecret } from "../../output/redact.js";
import type { Logger } from "../../output/log.js";
import type { SeedFunction } from "../../emulator/types.js";
import { Traffic } from "../../providers/traffic.js";
import { ALL, expandAll, homeRegion } from "./all-regions.js";
import { partitionProfiles, profileFor, warnUnscoped } from "./credential-scopes.js";

const DEFAULT_LISTING_TIMEOUT_MS = 60_000;

export interface TargetOptions {
  /** Targets worked on at once (--concurrency), as typed; default DEFAULT_CONCURRENCY. */
  concurrency?: string;
  /** Comma-separated or repeated provider names. */
  provider?: string[];
  /** Region entries: `region` (every selected provider) or `provider:region`, `all` / `provider:all` for every region the account may use; comma-separated or repeated. */
  region?: string[];
  endpoint?: string;
  profile?: string;
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
    throw new UsageError("no provider given", { code: "MissingProvider", hint: "pass --provider tencent, aws or aliyun (comma-separate several)" });
  }
  return [...new Set(list)].map(getProvider);
}

export function parseEndpoint(value: string, from: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${from} "${value}" is not a URL`, { code: "InvalidEndpoint", hint: "give a full URL such as http://127.0.0.1:9000" });
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname || (url.pathname !== "/" && url.pathname !== "") || url.search || url.username) {
    throw new UsageError(`${from} "${value}" must be a plain http(s)://host[:port] URL`, {
      code: "InvalidEndpoint",
      hint: "give scheme, host and port only, e.g. https://lambda.us-east-1.amazonaws.com or http://127.0.0.1:9000",
    });
  }
  return `${url.protocol}//${url.host}`;
}

function endpointFor(provider: Provider, explicit: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (explicit !== undefined) return parseEndpoint(explicit, "--endpoint");
  for (const name of provider.endpointVariables) {
    const v = env[name];
    if (v) return parseEndpoint(v, name);
  }
  return undefined;
}

/** The regions asked for one provider; `all` (./all-regions.ts) is kept apart, expanded once credentials are known. */
function regionsFor(provider: Provider, entries: string[], env: NodeJS.ProcessEnv): { regions: string[]; all: boolean } {
  const mine: string[] = [];
  const shared: string[] = [];
  for (const e of entries) {
    const m = /^([a-z]+)[:=](.+)$/.exec(e);
    if (m) {
      getProvider(m[1]!); // an unknown provider prefix is a mistake, not something to ignore
      if (m[1] === provider.name) mine.push(m[2]!);
    } else shared.push(e);
  }
  let regions = mine.length > 0 ? mine : shared;
  const all = regions.includes(ALL);
  regions = regions.filter((r) => r !== ALL);
  if (regions.length === 0 && !all) {
    const fromEnv = provider.regionVariables.map((v) => env[v]).find(Boolean);
    regions = [fromEnv ?? provider.defaultRegion];
  }
  for (const r of regions) {
    if (!provider.regions.includes(r) && env.LAYERCTL_ALLOW_UNKNOWN_REGION !== "1") {
      throw new UsageError(`unknown ${provider.name} region "${r}"`, {
        code: "UnknownRegion",
        hint: `use one of: ${provider.regions.join(", ")} (for a region newer than layerctl, set LAYERCTL_ALLOW_UNKNOWN_REGION=1)`,
      });
    }
  }
  return { regions: [...new Set(regions)], all };
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

export async function resolveTargets(
  opts: TargetOptions,
  ctx: {
    env: NodeJS.ProcessEnv;
    log: Logger;
    seedFunctions?: SeedFunction[];
    layerName?: string;
    /** A dry run calls nothing: a provider without credentials is planned anyway (credentials: null). */
    credentialsOptional?: boolean;
    /** Budget of a region listing (`all`), ms; default 60 s. */
    timeoutMs?: number;
  },
): Promise<ResolvedTargets> {
  const providers = selectProviders(opts.provider);
  const regionEntries = splitList(opts.region);
  for (const e of regionEntries) {
    const m = /^([a-z]+)[:=]/.exec(e);
    if (m && !providers.some((p) => p.name === m[1])) {
      getProvider(m[1]!); // an unknown provider name gets that error first
      throw new UsageError(`--region ${e} names ${m[1]}, which is not among the selected providers`, {
        code: "UnusedRegion",
        hint: `add ${m[1]} to --provider, or drop that region`,
      });
    }
  }
  let env = ctx.env;
  let close = async () => {};
  let endpoint = opts.endpoint;
  let note: string | undefined;

  // Validate what needs no emulator first, so a typo never starts a server.
  const plan = providers.map((p) => ({ provider: p, ...regionsFor(p, regionEntries, env) }));
  if (ctx.layerName !== undefined) for (const { provider, regions } of plan) for (const r of regions) provider.checkLayerRegion?.(ctx.layerName, r);
  const scopes = partitionProfiles(opts.profile);

  if (opts.emulator) {
    if (opts.endpoint !== undefined) throw new UsageError("--emulator and --endpoint cannot be used together", { code: "ConflictingOptions" });
    const { start, emulatorEnv } = await import("../../emulator/index.js");
    // Short asynchronous states: a demo still shows them, without making anyone wait. Buckets named
    // with --bucket exist on first use: the embedded emulator starts empty.
    const emu = await start({ port: 0, tuning: { tencent: { publishDelayMs: 300 } }, functionUpdateDelayMs: 300, functions: ctx.seedFunctions, autoCreateBuckets: true });
    const overlay = emulatorEnv(emu.credentials, emu.url);
    for (const [k, v] of Object.entries(overlay)) if (/SECRET|TOKEN/.test(k)) registerSecret(v);
    env = { ...env, ...overlay };
    endpoint = emu.url;
    close = () => emu.close();
    note = `using the embedded emulator at ${emu.url} (nothing is sent to any cloud)`;
  }

  try {
    const targets: Target[] = [];
    const missing: UsageError[] = [];
    const listings: Array<() => Promise<void>> = [];
    for (const { provider, regions, all } of plan) {
      const ep = endpointFor(provider, endpoint, env);
      // Credentials per scope: a region of another AWS partition needs that partition's own.
      const byScope = new Map<string | undefined, ResolvedCredentials | null>();
      const credentialsFor = async (region: string): Promise<ResolvedCredentials | null> => {
        const scope = provider.credentialScope?.(region);
        if (byScope.has(scope)) return byScope.get(scope)!;
        let credentials: ResolvedCredentials | null = null;
        try {
          credentials = await provider.resolveCredentials(env, { profile: profileFor(opts.profile, scopes, scope) });
        } catch (err) {
          // Every provider's missing credentials are collected, so one run names them all.
          if (!(err instanceof UsageError && err.code === "MissingCredentials")) throw err;
          missing.push(err);
        }
        byScope.set(scope, credentials);
        return credentials;
      };
      const given = [];
      for (const region of regions) given.push({ provider, region, endpoint: ep, credentials: await credentialsFor(region) });
      if (!all) {
        targets.push(...given);
        continue;
      }
      // `all`: asked of the cloud below, once every provider's credentials are known (a missing
      // one is a usage error before any call); the targets keep their place in the order.
      const at = targets.length;
      const home = homeRegion(provider, env);
      const credentials = await credentialsFor(home);
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
        const more = [];
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
