// One error type carries everything the CLI needs to report a failure and pick the exit code.
// Commands and adapters throw; only src/cli.ts turns an error into output and process.exit.

export type ProviderName = "tencent" | "aws" | "aliyun";

export interface LayerctlErrorOptions {
  /** Short machine-readable code: ours for usage errors, the provider's for cloud errors. */
  code?: string;
  /** How to fix it; appended to the one-line message. */
  hint?: string;
  provider?: ProviderName;
  requestId?: string;
  httpStatus?: number;
  /** Throttling, 5xx, resets and timeouts: safe to try again with backoff. */
  retryable?: boolean;
  /** Server-suggested delay before retrying (Retry-After), in ms. */
  retryAfterMs?: number;
  /**
   * The request certainly had no effect (throttled, connection refused, name not resolved): safe
   * to repeat even when it creates something. Timeouts, resets and 5xx are ambiguous: the cloud
   * may have acted, so creating calls are not blindly repeated after them.
   */
  unprocessed?: boolean;
  /** A layer version that exists although the operation failed (e.g. it ended PublishFailed). */
  version?: number;
  arn?: string;
  cause?: unknown;
}

export abstract class LayerctlError extends Error {
  abstract readonly exitCode: 1 | 2;
  readonly code: string;
  readonly hint?: string;
  readonly provider?: ProviderName;
  readonly requestId?: string;
  readonly httpStatus?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly unprocessed: boolean;
  readonly version?: number;
  readonly arn?: string;

  constructor(message: string, opts: LayerctlErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = opts.code ?? this.defaultCode();
    this.hint = opts.hint;
    this.provider = opts.provider;
    this.requestId = opts.requestId;
    this.httpStatus = opts.httpStatus;
    this.retryable = opts.retryable ?? false;
    this.retryAfterMs = opts.retryAfterMs;
    this.unprocessed = opts.unprocessed ?? false;
    this.version = opts.version;
    this.arn = opts.arn;
  }

  protected abstract defaultCode(): string;
}

/** A user mistake found before any cloud call: exit 2. */
export class UsageError extends LayerctlError {
  override name = "UsageError";
  readonly exitCode = 2 as const;
  protected defaultCode(): string {
    return "UsageError";
  }
}

/** The cloud (or the network to it) said no: exit 1. Keeps the provider's code and request id. */
export class CloudError extends LayerctlError {
  override name = "CloudError";
  readonly exitCode = 1 as const;
  protected defaultCode(): string {
    return "CloudError";
  }
}

/** One line: what went wrong, how to fix it, and the provider's code and request id when known. */
export function formatError(err: unknown): string {
  if (err instanceof LayerctlError) {
    const where = err.provider ? `${err.provider}: ` : "";
    const code = err instanceof CloudError && err.code !== "CloudError" ? `${err.code}: ` : "";
    const rid = err.requestId ? ` (request id ${err.requestId})` : "";
    const hint = err.hint ? `; ${err.hint}` : "";
    return oneLine(`${where}${code}${err.message}${rid}${hint}`);
  }
  const e = err as { message?: unknown } | undefined;
  return oneLine(`internal error: ${typeof e?.message === "string" ? e.message : String(err)}`);
}

export function exitCodeOf(err: unknown): number {
  return err instanceof LayerctlError ? err.exitCode : 1;
}

function oneLine(s: string): string {
  return s.replace(/\s*\r?\n\s*/g, " ").trim();
}
