// Contract between the emulator's shared server (router, faults, rate limits, persistence)
// and each cloud's module in src/emulator/<cloud>/.
import type { IncomingHttpHeaders } from "node:http";
import type { ProviderName } from "../providers/names.js";
import type { clouds } from "./clouds.js";

type Clouds = typeof clouds;

/** Each cloud's keys, as its definition in src/emulator/<cloud>/ declares them. */
export type EmulatorCredentials = { [K in keyof Clouds]: Clouds[K]["credentials"] };

/** Each cloud's tuning knobs (publish delays, clock windows, size caps). */
export type EmulatorTuning = { [K in keyof Clouds]: Clouds[K]["tuning"] };

export type FaultKind =
  /** Provider's throttling error (Tencent RequestLimitExceeded, AWS 429 + Retry-After, Aliyun Throttling*). */
  | "throttle"
  /** Provider-shaped 5xx / InternalError. */
  | "server-error"
  /** TCP reset before any response byte. */
  | "reset"
  /** Carry the call out (a version may be created), then reset instead of answering: the ambiguous failure. */
  | "lost-response"
  /** Delay `latencyMs`, then answer normally. */
  | "latency"
  /** Read the request, never answer (until the client gives up or the server closes). */
  | "hang"
  /** Answer normally but report a checksum that does not match the stored zip. */
  | "bad-checksum"
  /** Tencent: the asynchronous operation this call starts ends failed: a new layer version `PublishFailed`, a delete `DeleteFailed`. */
  | "publish-failed"
  /** Carry the call out, send the status line and headers, then never send the body (a stalled answer). */
  | "stall"
  /** Carry the call out, send the headers with the full content-length but only part of the body, then close. */
  | "truncate"
  /** A gateway's 502 with an HTML page instead of the cloud's error shape; the call is not carried out. */
  | "html-error"
  /**
   * Every temporary key the cloud's STS has issued expires now, long before its stated expiry (a
   * revoked session, a clock ahead): this call and every later one signed with them get the
   * cloud's expired-token error, until the caller asks its STS for new keys.
   */
  | "expire-credentials"
  // "2xx but incomplete": the call is carried out and answered with its own status, but what
  // arrives is not the whole answer (a proxy, a gateway or a cut connection in between).
  /** The answer's status and headers with an empty body. */
  | "empty-body"
  /** The answer's envelope only (Tencent `{"Response":{"RequestId"}}`, `{}` elsewhere; an XML answer's empty root). */
  | "hollow"
  /** The answer with every list in it left out (`Layers`, `Functions`, `versions`...): a JSON without the operation's list. */
  | "no-list"
  /** The answer sent chunked, cut at half its length, and the chunked body ended cleanly. */
  | "truncate-chunked";

export interface FaultRule {
  provider: ProviderName | "*";
  /** Provider's action name (PublishLayerVersion, CreateLayerVersion, ...) or "*". */
  action: string;
  kind: FaultKind;
  /** How many matching calls it applies to; default: all. */
  times?: number;
  /** Matching calls to let through before it applies (the fault hits the next one); default 0. */
  after?: number;
  latencyMs?: number;
}

export interface FaultController {
  add(rule: FaultRule): void;
  clear(): void;
  /** Calls per second per provider+action before the throttling error; null: no limit. */
  setRateLimit(perSecond: number | null): void;
  /** How many calls each provider+action received, e.g. counts()["tencent:PublishLayerVersion"]; downloads of stored zips as "blob:GET". */
  counts(): Record<string, number>;
}

/** One HTTP request as the router hands it to a cloud module (the body is read once the headers pass admit()). */
export interface IncomingCall {
  method: string;
  /** Raw path as sent (still percent-encoded), without the query string. */
  rawPath: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body's SHA-256 (hex) when it was hashed as it was read; read it with bodySha256Hex (./body.ts). */
  bodySha256?: string;
  /** Fresh id for this call; use it as the provider's request id. */
  requestId: string;
  /** Set by the fault layer: report a wrong checksum in this answer. */
  corruptChecksum: boolean;
  /** Set by the fault layer: a layer version published by this call ends PublishFailed (Tencent). */
  failPublish: boolean;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON (application/json); Buffers as they are. */
  body: unknown;
}

/** What the shared server gives one cloud: its own credentials and tuning, blobs, clock, persistence. */
export interface EmulatorContext<C = unknown, T = unknown> {
  credentials: C;
  tuning: T;
  /** Zip contents, content-addressed (sha256 hex). Survive restarts with a state dir. */
  blobs: BlobStore;
  /** Base URL of the running server, e.g. http://127.0.0.1:41234 (for Location links). */
  baseUrl(): string;
  /** URL at which the server serves a stored blob (GET, application/zip). */
  blobUrl(sha256: string): string;
  now(): Date;
  /** Persist this cloud's state (no-op in memory mode). Call after every mutation. */
  save(): Promise<void>;
}

export interface BlobStore {
  put(bytes: Buffer): Promise<string>;
  get(sha256: string): Promise<Buffer | undefined>;
}

/** One running cloud as the HTTP server drives it (built by cloud.ts from the cloud's definition). */
export interface CloudEmulator {
  readonly provider: ProviderName;
  /** The most a request may send before it is authenticated. */
  readonly maxRequestBytes: number;
  /** The cap for this request (an object store's is its own); default maxRequestBytes. */
  requestCap?(call: IncomingCall): number;
  /** The action this request names if it belongs to this cloud, else null (not mine). */
  route(call: IncomingCall): string | null;
  /** Checks made on the headers alone, before the body is read: the cloud's error reply, or null to go on. */
  admit(call: IncomingCall): Reply | null;
  /** Whether checking this request hashes its body (SHA-256): then it is hashed as it arrives. */
  hashesBody?(call: IncomingCall): boolean;
  /** The cloud's answer to a body larger than maxRequestBytes. */
  tooLarge(call: IncomingCall): Reply;
  handle(call: IncomingCall, action: string): Promise<Reply>;
  /** The provider's own shape for an injected throttling or server error. */
  faultReply(kind: "throttle" | "server-error", call: IncomingCall, action: string): Reply;
  /** The envelope of a JSON answer without its payload (the "hollow" fault); undefined: `{}`. */
  hollow?(reply: Reply, call: IncomingCall): unknown;
  /** The `expire-credentials` fault: every temporary key issued so far expires now. */
  expireCredentials?(): void;
}

/** A bucket that exists from the start, in one cloud's object store. */
export interface SeedBucket {
  provider: ProviderName;
  /** As the store names it (COS: with the -APPID suffix). */
  name: string;
  region: string;
}

/** Functions that exist from the start, so PublishVersion has something to version. */
export interface SeedFunction {
  provider?: ProviderName;
  name: string;
  namespace?: string;
  /** Layer versions its current configuration ($LATEST) uses, in order. */
  layers?: SeedLayer[];
  /** Published versions 1..n, oldest first, each with the layers it was published with. */
  versions?: Array<{ layers?: SeedLayer[]; description?: string }>;
  /** Aliases pointing at published versions (clouds with aliases in the emulator: AWS). */
  aliases?: Array<{ name: string; version: string }>;
}

/** A layer version by name and number; each cloud writes it its own way (ARN or name + number). */
export interface SeedLayer {
  name: string;
  version: number;
  /** Exactly this layer version ARN, e.g. another account's public layer (clouds with layer ARNs). */
  arn?: string;
}

export interface EmulatorOptions {
  host?: string;
  port?: number;
  stateDir?: string;
  credentials?: { [K in keyof Clouds]?: Partial<EmulatorCredentials[K]> };
  /** Per cloud, e.g. { tencent: { publishDelayMs: 0 }, aws: { maxClockSkewMs: 60_000 } }. */
  tuning?: { [K in keyof Clouds]?: Partial<EmulatorTuning[K]> };
  /**
   * Sets publishDelayMs of every cloud that publishes asynchronously (how long a new layer version
   * stays Publishing and a deleted one Deleting; each such cloud's default otherwise): shared code
   * sets it without knowing which clouds those are.
   */
  publishDelayMs?: number;
  /** Alias of tuning.tencent.publishDelayMs (kept: users' scripts pass it); wins over publishDelayMs. */
  tencentPublishDelayMs?: number;
  /** Sets every cloud's maxClockSkewMs (each cloud's default is its documented window). */
  maxClockSkewMs?: number;
  /** Sets every cloud's functionUpdateDelayMs (how long a function update stays in progress; default 1000). */
  functionUpdateDelayMs?: number;
  /** The emulator's clock (default: the real one): lets tests step through time-based states without waiting. */
  now?: () => Date;
  functions?: SeedFunction[];
  /** Object storage buckets that exist from the start (each in its provider's store). */
  buckets?: SeedBucket[];
  /** Any bucket exists on first use, in the region asked for (the embedded --emulator). */
  autoCreateBuckets?: boolean;
  faults?: FaultRule[];
  rateLimit?: number | null;
}

export interface RunningEmulator {
  url: string;
  port: number;
  credentials: EmulatorCredentials;
  faults: FaultController;
  close(): Promise<void>;
}
