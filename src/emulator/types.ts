// Contract between the emulator's shared server (router, faults, rate limits, persistence)
// and each cloud's module in src/emulator/<cloud>/.
import type { IncomingHttpHeaders } from "node:http";
import type { ProviderName } from "../providers/names.js";

export interface EmulatorCredentials {
  tencent: { secretId: string; secretKey: string };
  aws: { accessKeyId: string; secretAccessKey: string; accountId: string };
  aliyun: { accessKeyId: string; accessKeySecret: string; accountId: string };
}

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
  /** Tencent: the new layer version ends `PublishFailed` instead of `Active`. */
  | "publish-failed"
  /** Carry the call out, send the status line and headers, then never send the body (a stalled answer). */
  | "stall"
  /** Carry the call out, send the headers with the full content-length but only part of the body, then close. */
  | "truncate"
  /** A gateway's 502 with an HTML page instead of the cloud's error shape; the call is not carried out. */
  | "html-error";

export interface FaultRule {
  provider: ProviderName | "*";
  /** Provider's action name (PublishLayerVersion, CreateLayerVersion, ...) or "*". */
  action: string;
  kind: FaultKind;
  /** How many matching calls it applies to; default: all. */
  times?: number;
  latencyMs?: number;
}

export interface FaultController {
  add(rule: FaultRule): void;
  clear(): void;
  /** Calls per second per provider+action before the throttling error; null: no limit. */
  setRateLimit(perSecond: number | null): void;
  /** How many calls each provider+action received, e.g. counts()["tencent:PublishLayerVersion"]. */
  counts(): Record<string, number>;
}

/** One HTTP request, fully read, as the router hands it to a cloud module. */
export interface IncomingCall {
  method: string;
  /** Raw path as sent (still percent-encoded), without the query string. */
  rawPath: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
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

export interface EmulatorContext {
  credentials: EmulatorCredentials;
  /** Zip contents, content-addressed (sha256 hex). Survive restarts with a state dir. */
  blobs: BlobStore;
  /** Base URL of the running server, e.g. http://127.0.0.1:41234 (for Location links). */
  baseUrl(): string;
  /** URL at which the server serves a stored blob (GET, application/zip). */
  blobUrl(sha256: string): string;
  now(): Date;
  options: CloudTuning;
  /** Persist this cloud's state (no-op in memory mode). Call after every mutation. */
  save(): Promise<void>;
}

export interface CloudTuning {
  /** Tencent: how long a new layer version stays `Publishing` before `Active`. */
  tencentPublishDelayMs: number;
  /** Allowed clock skew for signed requests. */
  maxClockSkewMs: number;
}

export interface BlobStore {
  put(bytes: Buffer): Promise<string>;
  get(sha256: string): Promise<Buffer | undefined>;
}

export interface CloudEmulator {
  readonly provider: ProviderName;
  /** The action this request names if it belongs to this cloud, else null (not mine). */
  route(call: IncomingCall): string | null;
  handle(call: IncomingCall, action: string): Promise<Reply>;
  /** The provider's own shape for an injected throttling or server error. */
  faultReply(kind: "throttle" | "server-error", call: IncomingCall, action: string): Reply;
  /** JSON-serializable state for persistence. */
  state(): unknown;
}

/** Each cloud module exports one of these; `saved` is what state() returned last time, if any. */
export type CloudEmulatorFactory = (ctx: EmulatorContext, saved: unknown | undefined) => CloudEmulator;

/** Functions that exist from the start, so PublishVersion has something to version. */
export interface SeedFunction {
  provider?: ProviderName;
  name: string;
  namespace?: string;
}

export interface EmulatorOptions {
  host?: string;
  port?: number;
  stateDir?: string;
  credentials?: Partial<EmulatorCredentials>;
  tencentPublishDelayMs?: number;
  maxClockSkewMs?: number;
  /** The emulator's clock (default: the real one): lets tests step through time-based states without waiting. */
  now?: () => Date;
  functions?: SeedFunction[];
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
