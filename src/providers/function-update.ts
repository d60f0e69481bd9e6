// What the three clouds share about updating a function's layers: waiting for the update to
// finish (each cloud applies it asynchronously and spells the states its own way), and telling
// the layer itself apart from its version.
import { CloudError } from "../errors.js";
import type { AttachedLayer, ProviderName, UpdateWaitOptions } from "./types.js";

/** The layers `read` finds on a function, or null when the cloud answers with one of `missing` (no such function). */
export async function layersIfFound(read: () => Promise<{ layers: AttachedLayer[] }>, missing: ReadonlySet<string>): Promise<AttachedLayer[] | null> {
  try {
    return (await read()).layers;
  } catch (err) {
    if (err instanceof CloudError && missing.has(err.code)) return null;
    throw err;
  }
}

/** Where a function's last update stands, as read from the cloud. */
export type UpdateProgress = { done: true } | { done: false } | { failed: string };

export interface WaitFor<T> {
  provider: ProviderName;
  functionName: string;
  /** One read of the function (retried by the adapter's call wrapper). */
  read: () => Promise<T>;
  progress: (got: T) => UpdateProgress;
  requestId?: (got: T) => string | undefined;
  sleep?: (ms: number) => Promise<void>;
}

/** Polls until the update is done; a failed update or the end of the budget is a CloudError. */
export async function waitForUpdate<T>(w: WaitFor<T>, opts: UpdateWaitOptions): Promise<T> {
  const sleep = w.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + opts.waitTimeoutMs;
  for (;;) {
    const got = await w.read();
    const p = w.progress(got);
    if ("failed" in p) {
      throw new CloudError(`the update of function ${w.functionName} failed: ${p.failed}`, {
        code: "FunctionUpdateFailed",
        provider: w.provider,
        requestId: w.requestId?.(got),
        hint: "see the function's state in the console; its layer list may not have changed",
      });
    }
    if (p.done) return got;
    if (Date.now() + opts.pollIntervalMs > deadline) {
      throw new CloudError(`function ${w.functionName} is still updating after ${opts.waitTimeoutMs} ms`, {
        code: "FunctionUpdateTimeout",
        provider: w.provider,
        requestId: w.requestId?.(got),
        hint: "the update may still finish: check the function later, or give a longer --timeout",
      });
    }
    await sleep(opts.pollIntervalMs);
  }
}

/** A layer version ARN ends in its version number (AWS `...:layer:NAME:3`, Aliyun `.../versions/3`). */
export function layerFromArn(arn: string): AttachedLayer | null {
  const m = /(?::layer:([^:/]+):|[:/]layers\/([^/]+)\/versions\/)(\d+)$/.exec(arn);
  if (!m) return null;
  return { layerName: (m[1] ?? m[2])!, version: Number(m[3]), arn };
}

/**
 * The layer regardless of its version: the ARN without the version number (so a same-named layer
 * of another account is a different layer), or the name where layers have no ARN.
 */
export function layerIdentity(l: AttachedLayer): string {
  if (l.arn === null) return `name:${l.layerName}`;
  const suffix = String(l.version);
  return l.arn.endsWith(suffix) ? l.arn.slice(0, -suffix.length) : l.arn;
}

/** A function's layer ARNs as attached layers; one that does not read as a layer version ARN is an invalid answer. */
export function layersFromArns(arns: Array<string | undefined>, where: { provider: ProviderName; functionName: string; requestId?: string }): AttachedLayer[] {
  return arns.map((arn) => {
    const parsed = arn ? layerFromArn(arn) : null;
    if (!parsed) {
      throw new CloudError(`function ${where.functionName} references a layer ARN layerctl cannot read: ${arn ?? "(none)"}`, {
        code: "InvalidResponse",
        provider: where.provider,
        requestId: where.requestId,
      });
    }
    return parsed;
  });
}

/** Two layer lists hold the same versions in the same order. */
export function sameLayers(a: AttachedLayer[], b: AttachedLayer[]): boolean {
  return a.length === b.length && a.every((l, i) => layerIdentity(l) === layerIdentity(b[i]!) && l.version === b[i]!.version);
}

/** Another change to the function landed between our read and our write: the run lost a race, and says so. */
export function concurrentUpdate(provider: ProviderName, functionName: string, detail: string, requestId?: string): CloudError {
  return new CloudError(`function ${functionName} was changed by someone else while this run updated its layers (${detail})`, {
    code: "ConcurrentUpdate",
    provider,
    requestId,
    hint: "another deploy or attach is changing it: run attach again once it is done (the list is read afresh)",
  });
}

/**
 * An error while waiting for an update the cloud accepted: the same error, saying the layer list
 * may be applied already (a half-updated function is not a plain failure).
 */
export function acceptedButUnsettled(err: unknown, functionName: string): unknown {
  if (!(err instanceof CloudError)) return err;
  return err.with({ message: `${err.message} (the new layer list of ${functionName} was accepted and may be applied already)` });
}

/** Published function versions, newest first: numbers (every cloud's ids are), without $LATEST / LATEST. */
export function newestFirst(versions: string[]): string[] {
  return [...new Set(versions.filter((v) => /^\d+$/.test(v)))].sort((a, b) => Number(b) - Number(a));
}

/** The same, for version items (number and description), newest first. */
export function newestFirstItems<T extends { version: string }>(items: T[]): T[] {
  const order = newestFirst(items.map((i) => i.version));
  return order.map((v) => items.find((i) => i.version === v)!);
}

/** An answer without a field we use is unreadable, never empty. */
export function invalid(action: string, field: string, requestId?: string | null, provider?: ProviderName): CloudError {
  return new CloudError(`${action}: the answer has no ${field}`, { code: "InvalidResponse", provider, requestId: requestId ?? undefined });
}
