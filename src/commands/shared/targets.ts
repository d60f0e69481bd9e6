// Turns --provider / --region / --endpoint / --emulator into resolved targets: one provider in
// one region with its endpoint and credentials. Everything here is checked before any cloud call.
import { UsageError } from "../../errors.js";
import { getProvider } from "../../providers/index.js";
import { checkRegion } from "../../providers/regions.js";
import type { Provider, ResolvedCredentials } from "../../providers/types.js";
import { registerSecret } from "../../output/redact.js";
import type { Logger } from "../../output/log.js";
import type { SeedFunction } from "../../emulator/types.js";

export interface TargetOptions {
  /** Targets worked on at once (--concurrency), as typed; default DEFAULT_CONCURRENCY. */
  concurrency?: string;
  /** Comma-separated or repeated provider names. */
  provider?: string[];
  /** Region entries: `region` (every selected provider) or `provider:region`; comma-separated or repeated. */
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

function regionsFor(provider: Provider, entries: string[], env: NodeJS.ProcessEnv, warnings: string[]): string[] {
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
  if (regions.length === 0) {
    const fromEnv = provider.regionVariables.map((v) => env[v]).find(Boolean);
    regions = [fromEnv ?? provider.defaultRegion];
  }
  const unique = [...new Set(regions)];
  // Any region of the provider's shape (a new one too, with a warning); a typo is a usage error.
  for (const r of unique) {
    const warning = checkRegion(provider, r, env);
    if (warning) warnings.push(warning);
  }
  return unique;
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
  const regionWarnings: string[] = [];
  const plan = providers.map((p) => ({ provider: p, regions: regionsFor(p, regionEntries, env, regionWarnings) }));
  if (ctx.layerName !== undefined) for (const { provider, regions } of plan) for (const r of regions) provider.checkLayerRegion?.(ctx.layerName, r);
  warnOnce(ctx.log, regionWarnings);

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
    for (const { provider, regions } of plan) {
      const ep = endpointFor(provider, endpoint, env);
      let credentials: ResolvedCredentials | null = null;
      try {
        credentials = await provider.resolveCredentials(env, { profile: opts.profile });
      } catch (err) {
        // Every provider's missing credentials are collected, so one run names them all.
        if (!(err instanceof UsageError && err.code === "MissingCredentials")) throw err;
        missing.push(err);
      }
      for (const region of regions) targets.push({ provider, region, endpoint: ep, credentials });
    }
    if (missing.length > 0 && !ctx.credentialsOptional) throw missingCredentials(missing);
    return { targets, close, note, uncredentialed: missing.map((e) => e.message + (e.hint ? ` (${e.hint})` : "")) };
  } catch (err) {
    await close();
    throw err;
  }
}
