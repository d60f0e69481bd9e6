// The one skeleton every emulated cloud fills (as rclone backends and unstorage drivers fill one
// shape). A cloud declares data: its credentials, the environment variables that point its SDK
// here, its tuning, its state format, which requests are its own, and an operation table. The
// skeleton does what was written three times before: routing (one route format, one handling of
// path labels and bad `%` escapes), the request pipeline (size cap and header checks before the
// body is read, then authentication, unknown operations, the handler, the cloud's error reply),
// and regional state with a format version (see store.ts for loading and atomic saving).
import type { ProviderName } from "../providers/names.js";
import type { CloudEmulator, EmulatorContext, EmulatorOptions, IncomingCall, Reply, SeedBucket, SeedFunction } from "./types.js";

/** A map without a prototype: a layer called `constructor` or `__proto__` is just a key. */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** The region shape the three clouds share today: layers and functions by name. */
export interface LayersAndFunctions<L, F> {
  layers: Record<string, L>;
  functions: Record<string, F>;
}

export function emptyLayersAndFunctions<L, F>(): LayersAndFunctions<L, F> {
  return { layers: dict(), functions: dict() };
}

/** What every cloud's tuning holds; each cloud adds its own knobs. */
export interface BaseTuning {
  /**
   * How long a function configuration update stays in progress (AWS LastUpdateStatus InProgress,
   * Tencent Status Updating, Aliyun lastUpdateStatus InProgress) before it is done.
   */
  functionUpdateDelayMs: number;
  /** Allowed distance between the request's signed time and the emulator's clock. */
  maxClockSkewMs: number;
  /** The most an unauthenticated request may send: larger bodies are refused unread. */
  maxRequestBytes: number;
  /** Object storage buckets that exist from the start (start() option `buckets`). */
  buckets?: SeedBucket[];
  /** A bucket is created, in the region asked for, on first use (the embedded --emulator). */
  autoCreateBuckets?: boolean;
  /** How long a download link (Content.Location, Location, code.location) works; default 10 minutes (./content.ts). */
  contentUrlTtlMs?: number;
  /** The regions the account may use, as the region-listing operation reports them (default: every region the cloud's module knows). */
  regions?: string[];
  /** The region-listing operation refuses the caller as one without permission for it (403 / UnauthorizedOperation). */
  denyRegionListing?: boolean;
}

/**
 * Another API of the same cloud on the same port, with addressing of its own: the cloud's object
 * store (S3, COS, OSS). The cloud's requests are routed to it first; it admits, authenticates and
 * answers them itself, under its own body cap, and the fault layer sees its actions under the
 * cloud's provider name ("aws:UploadPart").
 */
export interface Companion {
  /** The action this request names if it is the companion's, else null. */
  route(call: IncomingCall): string | null;
  readonly maxRequestBytes: number;
  admit(call: IncomingCall): Reply | null;
  /** Whether its signature check hashes this request's body (SHA-256); default no. */
  hashesBody?(call: IncomingCall): boolean;
  tooLarge(call: IncomingCall): Reply;
  handle(call: IncomingCall, action: string): Promise<Reply>;
  faultReply(kind: "throttle" | "server-error", call: IncomingCall): Reply;
}

/** One operation: where it is routed (path-routed clouds) and what answers it. */
export interface Operation<Req> {
  /**
   * `METHOD /path/{Label}/...` with an optional `?key=value` that the query must carry, e.g.
   * `GET /2018-10-31/layers?find=LayerVersion`. Absent where a header names the operation (Tencent).
   */
  route?: string;
  run(req: Req): Reply | Promise<Reply>;
}

/**
 * Which requests belong to a cloud: path prefixes (REST/ROA) or one RPC endpoint naming the action
 * in a header. Several clouds answer at POST / (Tencent's API 3.0, and the STS of AWS and Aliyun):
 * an RPC cloud claims only the requests `recognise` says are its own.
 */
export type Ownership = { prefixes: string[] } | { rpc: { method: string; path: string; actionHeader: string; recognise?: (call: IncomingCall) => boolean } };

/** The name the skeleton gives a request of the cloud's that no operation matches. */
export const UNKNOWN_OPERATION = "UnknownOperation";

/** What a cloud's handlers are built from: the shared context plus its regional state. */
export interface CloudContext<C, T, R> extends EmulatorContext<C, T> {
  /** This region's state, created empty on first use. */
  region(name: string): R;
  /** Every region seen so far. */
  regions(): Record<string, R>;
}

export interface CloudRuntime<Req, E extends Error> {
  operations: Record<string, Operation<Req>>;
  /** Header-only checks (signature headers, key id, clock) before the body is read: throw the cloud's error. */
  admit(call: IncomingCall): void;
  /** Checks that need the body (the signature over it): throw the cloud's error; returns the caller. */
  authenticate(call: IncomingCall): unknown;
  /** The request the handlers take (region, parsed body...), built after authentication. */
  request(call: IncomingCall, caller: unknown, params: Record<string, string>, action: string): Req | Promise<Req>;
  /** The cloud's error type and its reply; other errors are emulator bugs (HTTP 500). */
  isError(err: unknown): err is E;
  errorReply(err: E, call: IncomingCall): Reply;
  unknownOperation(call: IncomingCall, action: string): E;
  tooLarge(call: IncomingCall, action: string, maxBytes: number): E;
  /** The cloud's own shape for an injected throttling or server error. */
  faultReply(kind: "throttle" | "server-error", call: IncomingCall, action: string): Reply;
  /** The envelope of an answer with its payload left out (the "hollow" fault); default `{}`. */
  hollow?(reply: Reply, call: IncomingCall): unknown;
  /** Other APIs of the cloud served on the same port (its object store, its STS). */
  companions?: Companion[];
  /** The `expire-credentials` fault: every temporary key its STS issued expires now. */
  expireCredentials?(): void;
}

export interface CloudDefinition<C extends object, T extends BaseTuning, R, Req, E extends Error> {
  provider: ProviderName;
  /** The keys this emulator accepts unless told otherwise (printed by `layerctl emulate`: they open nothing else). */
  credentials: C;
  /** The variables that point this cloud's SDK and layerctl's adapter at the emulator. */
  env(credentials: C, url: string): Record<string, string>;
  tuning: T;
  /** Older public start() options that set this cloud's tuning (kept as aliases). */
  tuningAliases?(options: EmulatorOptions): Partial<T>;
  state: {
    /** Bumped when the saved shape changes; a saved state of another format is refused, never overwritten. */
    format: number;
    emptyRegion(): R;
    /** Accept a saved state from before the format field existed (return true if `saved` is usable as is). */
    acceptsUnversioned?(saved: Record<string, unknown>): boolean;
  };
  owns: Ownership;
  setup(ctx: CloudContext<C, T, R>, seeds: SeedFunction[]): CloudRuntime<Req, E>;
}

/** Pins the types of a cloud's definition (it does nothing else). */
export function defineCloud<C extends object, T extends BaseTuning, R, Req, E extends Error>(def: CloudDefinition<C, T, R, Req, E>): CloudDefinition<C, T, R, Req, E> {
  return def;
}

export interface SavedState<R> {
  format: number;
  regions: Record<string, R>;
}

/** The saved state of a cloud, checked; throws (code EBADSTATE) rather than starting empty over a user's file. */
export function restoreState<R>(def: Pick<CloudDefinition<object, BaseTuning, R, unknown, Error>, "provider" | "state">, saved: unknown, file: string): SavedState<R> {
  if (saved === undefined) return { format: def.state.format, regions: dict() };
  const s = saved as Record<string, unknown> | null;
  const shaped = s !== null && typeof s === "object" && !Array.isArray(s) && typeof s.regions === "object" && s.regions !== null && !Array.isArray(s.regions);
  const versionOk = shaped && (s.format === def.state.format || (s.format === undefined && def.state.acceptsUnversioned?.(s) === true));
  if (!versionOk) {
    const what = shaped ? `format ${JSON.stringify(s.format ?? null)}` : "an unknown shape";
    throw Object.assign(
      new Error(
        `the saved ${def.provider} emulator state ${file} has ${what}; this layerctl reads format ${def.state.format}. Move it away (or use another --state-dir) to start over`,
      ),
      { code: "EBADSTATE" },
    );
  }
  return { format: def.state.format, regions: s.regions as Record<string, R> };
}

interface CompiledRoute {
  method: string;
  pattern: RegExp;
  labels: string[];
  query?: [string, string];
  action: string;
}

function compileRoutes(operations: Record<string, Operation<unknown>>): CompiledRoute[] {
  const routes: CompiledRoute[] = [];
  for (const [action, op] of Object.entries(operations)) {
    if (!op.route) continue;
    const m = /^([A-Z]+) (\/[^?]*)(?:\?([^=]+)=(.*))?$/.exec(op.route);
    if (!m) throw new Error(`bad route for ${action}: ${op.route}`);
    const labels: string[] = [];
    const source = m[2]!
      .split("/")
      .map((seg) => {
        const label = /^\{(\w+)\}$/.exec(seg);
        if (!label) return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        labels.push(label[1]!);
        return "([^/]+)";
      })
      .join("/");
    routes.push({ method: m[1]!, pattern: new RegExp(`^${source}$`), labels, query: m[3] ? [m[3], m[4]!] : undefined, action });
  }
  // Routes with a query condition are more specific than the same path without one.
  return routes.sort((a, b) => Number(!!b.query) - Number(!!a.query));
}

export interface RouteMatch {
  action: string;
  /** Path labels, percent-decoded. */
  params: Record<string, string>;
}

/**
 * The operation a request names, UNKNOWN_OPERATION for one of the cloud's requests that names none,
 * or null when the request is not this cloud's. A path label with a bad `%` escape matches no
 * route (the path names nothing), for every cloud alike.
 */
function matcher(owns: Ownership, operations: Record<string, Operation<unknown>>): (call: IncomingCall) => RouteMatch | null {
  if ("rpc" in owns) {
    const { method, path, actionHeader, recognise } = owns.rpc;
    return (call) => {
      if (call.method !== method || call.rawPath !== path || (recognise && !recognise(call))) return null;
      const v = call.headers[actionHeader];
      const action = Array.isArray(v) ? v.join(",") : v;
      return { action: action || UNKNOWN_OPERATION, params: {} };
    };
  }
  const routes = compileRoutes(operations);
  return (call) => {
    if (!owns.prefixes.some((p) => call.rawPath.startsWith(p) || `${call.rawPath}/` === p)) return null;
    for (const r of routes) {
      if (r.method !== call.method) continue;
      if (r.query && call.url.searchParams.get(r.query[0]) !== r.query[1]) continue;
      const m = r.pattern.exec(call.rawPath);
      if (!m) continue;
      const params = dict<string>();
      let ok = true;
      r.labels.forEach((label, i) => {
        try {
          params[label] = decodeURIComponent(m[i + 1]!);
        } catch {
          ok = false;
        }
      });
      if (ok) return { action: r.action, params };
    }
    return { action: UNKNOWN_OPERATION, params: {} };
  };
}

/** Bytes the client says it will send (Content-Length), or undefined when it streams without saying. */
export function declaredLength(call: IncomingCall): number | undefined {
  const v = call.headers["content-length"];
  return v === undefined || !/^\d+$/.test(v) ? undefined : Number(v);
}

/** One running cloud: the definition's runtime behind the interface the HTTP server drives. */
export function instantiate<C extends object, T extends BaseTuning, R, Req, E extends Error>(
  def: CloudDefinition<C, T, R, Req, E>,
  ctx: EmulatorContext<C, T>,
  saved: SavedState<R>,
  seeds: SeedFunction[],
): CloudEmulator & { state(): SavedState<R> } {
  const regions = saved.regions;
  const cloudCtx: CloudContext<C, T, R> = {
    ...ctx,
    region: (name) => (regions[name] ??= def.state.emptyRegion()),
    regions: () => regions,
  };
  const rt = def.setup(cloudCtx, seeds);
  const operations = Object.assign(dict<Operation<Req>>(), rt.operations);
  const match = matcher(def.owns, operations as Record<string, Operation<unknown>>);
  const maxBytes = ctx.tuning.maxRequestBytes;
  const companions = rt.companions ?? [];
  const companionOf = (call: IncomingCall) => companions.find((c) => c.route(call) !== null);

  async function answer(call: IncomingCall, action: string): Promise<Reply> {
    const caller = rt.authenticate(call);
    const op = operations[action];
    const route = match(call);
    if (!op || !route || route.action !== action) throw rt.unknownOperation(call, action);
    return op.run(await rt.request(call, caller, route.params, action));
  }

  function replyTo(err: unknown, call: IncomingCall): Reply {
    if (rt.isError(err)) return rt.errorReply(err, call);
    throw err;
  }

  return {
    provider: def.provider,
    maxRequestBytes: maxBytes,
    requestCap: (call) => companionOf(call)?.maxRequestBytes ?? maxBytes,
    route(call) {
      for (const c of companions) {
        const action = c.route(call);
        if (action !== null) return action;
      }
      return match(call)?.action ?? null;
    },
    admit(call) {
      const companion = companionOf(call);
      if (companion) return companion.admit(call);
      try {
        const declared = declaredLength(call);
        if (declared !== undefined && declared > maxBytes) throw rt.tooLarge(call, match(call)?.action ?? UNKNOWN_OPERATION, maxBytes);
        rt.admit(call);
        return null;
      } catch (err) {
        return replyTo(err, call);
      }
    },
    // The three APIs' signatures (SigV4, ACS3, TC3) all cover the body's SHA-256.
    hashesBody: (call) => {
      const companion = companionOf(call);
      return companion ? (companion.hashesBody?.(call) ?? false) : true;
    },
    tooLarge: (call) => companionOf(call)?.tooLarge(call) ?? rt.errorReply(rt.tooLarge(call, match(call)?.action ?? UNKNOWN_OPERATION, maxBytes), call),
    async handle(call, action) {
      const companion = companionOf(call);
      if (companion) return companion.handle(call, action);
      try {
        return await answer(call, action);
      } catch (err) {
        return replyTo(err, call);
      }
    },
    faultReply: (kind, call, action) => companionOf(call)?.faultReply(kind, call) ?? rt.faultReply(kind, call, action),
    hollow: (reply, call) => (companionOf(call) ? undefined : rt.hollow?.(reply, call)),
    expireCredentials: rt.expireCredentials,
    state: () => ({ format: def.state.format, regions }),
  };
}
