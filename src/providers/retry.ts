// Bounded retries with exponential backoff and full jitter, shared by the adapters whose SDK
// does not retry on its own (Tencent never does; Aliyun does not by default).
import { CloudError, LayerctlError } from "../errors.js";
import type { ProviderName } from "./names.js";
import { extendBudget, type Budget } from "./budget.js";
import type { SharedBodyHold, TargetTraffic } from "./traffic.js";
import type { ConnectOptions, RetryPolicy } from "./types.js";

export interface RetryHooks {
  /** The target's budget: no attempt starts past its deadline (none: the policy's attempts alone bound it). */
  budget?: Budget;
  /** Called before sleeping; attempt is the one that failed (1-based). */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  isRetryable?: (err: unknown) => boolean;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };

export function isRetryable(err: unknown): boolean {
  return err instanceof LayerctlError && err.retryable;
}

/** For calls that create something (a layer or function version): only what certainly had no effect. */
export function isSafeToRepeat(err: unknown): boolean {
  return err instanceof CloudError && err.retryable && err.unprocessed;
}

/**
 * After this error the call may or may not have been carried out (a timeout, reset, 5xx or an
 * unreadable answer), and nothing names what it made: for a call that changes something, what
 * happened must be looked into before anything is repeated or reported.
 */
export function outcomeUnknown(err: unknown): err is CloudError {
  return err instanceof CloudError && err.retryable && !err.unprocessed && err.version === undefined;
}

/**
 * After an unknown outcome, looking into it may run this long past the target's deadline: telling
 * the truth about what may exist is worth a few seconds. This is the one margin `--timeout`
 * documents (README: a target ends within --timeout + 5 s); everything else ends by the deadline.
 */
export const LOOKUP_GRACE_MS = 5_000;

/** A lookup's own budget: the target's, or LOOKUP_GRACE_MS from now if that ends later (a new one: the target's is left as it is). */
export function lookupBudget(budget: Budget | undefined): Budget {
  return extendBudget(budget, LOOKUP_GRACE_MS);
}

export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number, retryAfterMs?: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(random() * cap);
  // A server's Retry-After is a floor, still bounded by the policy's maximum.
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

export async function withRetry<T>(policy: RetryPolicy, fn: (attempt: number) => Promise<T>, hooks: RetryHooks = {}): Promise<T> {
  const { budget } = hooks;
  const retryable = hooks.isRetryable ?? isRetryable;
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = hooks.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= policy.maxAttempts || !retryable(err)) throw err;
      const after = err instanceof CloudError ? err.retryAfterMs : undefined;
      const delay = backoffDelay(policy, attempt, random, after);
      if (budget !== undefined && Date.now() + delay >= budget.deadline) throw err;
      hooks.onRetry?.(err, attempt, delay);
      await sleep(delay);
    }
  }
}

/**
 * One classification of HTTP statuses for every cloud: the status decides, not the body's format
 * (a gateway's HTML 502 is as retryable as the cloud's own JSON 503). 429 was turned away before
 * the cloud acted; a 5xx may have been acted on.
 */
export function classifyStatus(status: number): { retryable: boolean; unprocessed: boolean } {
  return { retryable: status === 429 || status >= 500, unprocessed: status === 429 };
}

/** Every attempt may take at least this long, however small its upload. */
export const ATTEMPT_FLOOR_MS = 30_000;
/** A conservative upload rate (256 KiB/s) to scale an attempt's timeout to what it sends. */
export const UPLOAD_BYTES_PER_S = 256 * 1024;

/**
 * Each attempt's own timeout, covering connect, upload and the whole answer (headers and body):
 * a floor plus the upload at a conservative rate, at most `capMs`, and never beyond the
 * target's deadline, so a hung request is abandoned and retried while budget is left.
 */
export function attemptTimeoutMs(capMs: number, uploadBytes: number, deadline: number | undefined, now = Date.now()): number {
  const scaled = ATTEMPT_FLOOR_MS + Math.ceil((uploadBytes / UPLOAD_BYTES_PER_S) * 1000);
  const left = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - now;
  return Math.max(1, Math.min(capMs, scaled, left));
}

export interface CloudCall {
  /** For the debug lines: "aws PublishLayerVersion". */
  name: string;
  provider: ProviderName;
  /** The longest any attempt may take (ConnectOptions.requestTimeoutMs). */
  timeoutMs: number;
  /** Bytes this call uploads, to scale its attempts' timeouts. */
  uploadBytes?: number;
  /**
   * Bytes the upload holds in memory while in flight, counted against the run's upload budget
   * (default uploadBytes): an SDK that builds its own copies of the body holds several.
   */
  heldBytes?: number;
  retry: RetryPolicy;
  /** The target's budget (none: attempts are bounded by the policy alone). */
  budget?: Budget;
  log: { debug(message: string): void };
  /**
   * The call creates something (a layer or function version): it is repeated only after errors
   * that certainly had no effect, since after a timeout, reset or 5xx the version may exist and a
   * blind retry would create a second one.
   */
  creates?: boolean;
  /** The API action, for pacing (the name's second word). */
  action?: string;
  /** The run's pacing and upload budget, awaited before every attempt. */
  traffic?: TargetTraffic;
  /** The body is one buffer shared by several uploads (held once: see TargetTraffic.gate). */
  sharedBody?: SharedBodyHold;
}

/**
 * The CloudCall of one adapter call. Every cloud names, bounds and paces its calls the same way
 * from its ConnectOptions; only `creates`, the upload size and a per-call policy differ per call.
 */
export function cloudCall(
  provider: ProviderName,
  action: string,
  opts: Pick<ConnectOptions, "requestTimeoutMs" | "retry" | "budget" | "log" | "traffic">,
  call: { creates?: boolean; uploadBytes?: number; heldBytes?: number; retry?: RetryPolicy; budget?: Budget; sharedBody?: SharedBodyHold } = {},
): CloudCall {
  return {
    name: `${provider} ${action}`,
    action,
    provider,
    timeoutMs: opts.requestTimeoutMs,
    uploadBytes: call.uploadBytes,
    heldBytes: call.heldBytes,
    retry: call.retry ?? opts.retry,
    budget: call.budget ?? opts.budget,
    log: opts.log,
    creates: call.creates,
    traffic: opts.traffic,
    sharedBody: call.sharedBody,
  };
}

/**
 * One SDK call, its failures mapped to CloudError by the adapter, retried within the policy.
 * `send` gets a signal to pass to the SDK (so the socket is torn down) and the attempt's timeout;
 * the attempt ends at that timeout whatever the SDK does with them, body still streaming or not.
 */
export function retryCall<T>(call: CloudCall, send: (signal: AbortSignal, timeoutMs: number) => Promise<T>, toError: (err: unknown) => unknown): Promise<T> {
  return withRetry(
    call.retry,
    async () => {
      const release = await call.traffic?.gate(call.action ?? call.name, call.heldBytes ?? call.uploadBytes ?? 0, call.sharedBody);
      const timeoutMs = attemptTimeoutMs(call.timeoutMs, call.uploadBytes ?? 0, call.budget?.deadline);
      const abort = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          abort.abort();
          reject(abort.signal.reason);
        }, timeoutMs);
      });
      try {
        return await Promise.race([send(abort.signal, timeoutMs), expired]);
      } catch (err) {
        throw abort.signal.aborted ? attemptTimedOut(call, timeoutMs) : toError(err);
      } finally {
        clearTimeout(timer);
        release?.();
      }
    },
    {
      budget: call.budget,
      isRetryable: call.creates ? isSafeToRepeat : isRetryable,
      onRetry: (err, attempt, delayMs) => {
        const e = err instanceof LayerctlError ? err : undefined;
        const rid = e?.requestId ? `, request id ${e.requestId}` : "";
        call.log.debug(`${call.name}: attempt ${attempt} of ${call.retry.maxAttempts} failed (${e?.code ?? "error"}${rid}); retrying in ${delayMs} ms`);
      },
    },
  );
}

/** Ambiguous: the request may have been carried out; reads retry it, creating calls look first. */
function attemptTimedOut(call: CloudCall, timeoutMs: number): CloudError {
  return new CloudError(`${call.name.replace(/^\S+ /, "")}: no complete answer within ${timeoutMs} ms`, {
    code: "RequestTimeout",
    provider: call.provider,
    retryable: true,
    hint: "the network or the cloud is slow; retry, or raise --timeout for large layers on slow links",
  });
}
