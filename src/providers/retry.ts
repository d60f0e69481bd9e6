// Bounded retries with exponential backoff and full jitter, shared by the adapters whose SDK
// does not retry on its own (Tencent never does; Aliyun does not by default).
import { LayerctlError } from "../errors.js";
import type { RetryPolicy } from "./types.js";

export interface RetryHooks {
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
  return err instanceof LayerctlError && err.retryable && err.unprocessed;
}

export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number, retryAfterMs?: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(random() * cap);
  // A server's Retry-After is a floor, still bounded by the policy's maximum.
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

export async function withRetry<T>(policy: RetryPolicy, fn: (attempt: number) => Promise<T>, hooks: RetryHooks = {}): Promise<T> {
  const retryable = hooks.isRetryable ?? isRetryable;
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = hooks.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= policy.maxAttempts || !retryable(err)) throw err;
      const after = err instanceof LayerctlError ? err.retryAfterMs : undefined;
      const delay = backoffDelay(policy, attempt, random, after);
      if (policy.deadline !== undefined && Date.now() + delay >= policy.deadline) throw err;
      hooks.onRetry?.(err, attempt, delay);
      await sleep(delay);
    }
  }
}

export interface CloudCall {
  /** For the debug lines: "aws PublishLayerVersion". */
  name: string;
  retry: RetryPolicy;
  log: { debug(message: string): void };
  /**
   * The call creates something (a layer or function version): it is repeated only after errors
   * that certainly had no effect, since after a timeout, reset or 5xx the version may exist and a
   * blind retry would create a second one.
   */
  creates?: boolean;
}

/** One SDK call, its failures mapped to CloudError by the adapter, retried within the policy. */
export function retryCall<T>(call: CloudCall, send: () => Promise<T>, toError: (err: unknown) => unknown): Promise<T> {
  return withRetry(
    call.retry,
    async () => {
      try {
        return await send();
      } catch (err) {
        throw toError(err);
      }
    },
    {
      isRetryable: call.creates ? isSafeToRepeat : isRetryable,
      onRetry: (err, attempt, delayMs) => {
        const e = err instanceof LayerctlError ? err : undefined;
        const rid = e?.requestId ? `, request id ${e.requestId}` : "";
        call.log.debug(`${call.name}: attempt ${attempt} of ${call.retry.maxAttempts} failed (${e?.code ?? "error"}${rid}); retrying in ${delayMs} ms`);
      },
    },
  );
}
