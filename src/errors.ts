// One error type carries everything the CLI needs to report a failure and pick the exit code.
// Commands and adapters throw; only src/cli.ts turns an error into output and process.exit.
import type { ProviderName } from "./providers/names.js";

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
  cause?: unknown;
  /** Lines reported before the error's own, one problem each (e.g. each file the contents check refused). */
  details?: string[];
}

export interface CloudErrorOptions extends LayerctlErrorOptions {
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
}

export abstract class LayerctlError extends Error {
  abstract readonly exitCode: 1 | 2;
  readonly code: string;
  readonly hint?: string;
  readonly provider?: ProviderName;
  readonly requestId?: string;
  readonly httpStatus?: number;
  readonly retryable: boolean;
  readonly details?: string[];

  constructor(message: string, opts: LayerctlErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = opts.code ?? this.defaultCode();
    this.hint = opts.hint;
    this.provider = opts.provider;
    this.requestId = opts.requestId;
    this.httpStatus = opts.httpStatus;
    this.retryable = opts.retryable ?? false;
    this.details = opts.details;
  }

  /**
   * The same error with some fields changed (message included), of the same class. Copies are
   * made here only: a copy written out field by field drops the fields added after it was written.
   */
  with(changes: LayerctlErrorOptions & { message?: string }): this {
    const { message = this.message, ...rest } = changes;
    const Same = this.constructor as new (message: string, opts: LayerctlErrorOptions) => this;
    return new Same(message, { ...this.options(), ...rest });
  }

  /** Everything the constructor took, for with(). */
  protected options(): LayerctlErrorOptions {
    return {
      code: this.code,
      hint: this.hint,
      provider: this.provider,
      requestId: this.requestId,
      httpStatus: this.httpStatus,
      retryable: this.retryable,
      cause: this.cause,
      details: this.details,
    };
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
  readonly retryAfterMs?: number;
  readonly unprocessed: boolean;
  readonly version?: number;
  readonly arn?: string;

  constructor(message: string, opts: CloudErrorOptions = {}) {
    super(message, opts);
    this.retryAfterMs = opts.retryAfterMs;
    this.unprocessed = opts.unprocessed ?? false;
    this.version = opts.version;
    this.arn = opts.arn;
  }

  override with(changes: CloudErrorOptions & { message?: string }): this {
    return super.with(changes);
  }

  protected override options(): CloudErrorOptions {
    return { ...super.options(), retryAfterMs: this.retryAfterMs, unprocessed: this.unprocessed, version: this.version, arn: this.arn };
  }

  protected defaultCode(): string {
    return "CloudError";
  }
}

/** What one failure line is made of: an error, or a failed target's record. */
export interface FailureParts {
  /** Where it happened: a provider, or "provider region" for one target of several. */
  where?: string;
  code?: string;
  message: string;
  requestId?: string | null;
  hint?: string;
  /** The error object it was made from, for --debug (not part of the line). */
  error?: unknown;
}

/** One line: where, the provider's code, what went wrong, the request id, and how to fix it. */
export function formatFailure(f: FailureParts): string {
  const where = f.where ? `${f.where}: ` : "";
  const code = f.code ? `${f.code}: ` : "";
  const rid = f.requestId ? ` (request id ${f.requestId})` : "";
  const hint = f.hint ? `; ${f.hint}` : "";
  return oneLine(`${where}${code}${f.message}${rid}${hint}`);
}

export function formatError(err: unknown): string {
  if (err instanceof LayerctlError) {
    // A usage error's code is ours (for scripts reading JSON), not worth a place in the line.
    const code = err instanceof CloudError && err.code !== "CloudError" ? err.code : undefined;
    return formatFailure({ where: err.provider, code, message: err.message, requestId: err.requestId, hint: err.hint });
  }
  const e = err as { message?: unknown } | undefined;
  return formatFailure({ message: `internal error: ${typeof e?.message === "string" ? e.message : String(err)}` });
}

export function exitCodeOf(err: unknown): number {
  return err instanceof LayerctlError ? err.exitCode : 1;
}

function oneLine(s: string): string {
  return s.replace(/\s*\r?\n\s*/g, " ").trim();
}
