// What the three emulated clouds share about updating functions: an update is applied at once
// but reported as in progress for `functionUpdateDelayMs` after it started (computed from the
// clock, no timers, like Tencent's layer publishing), and aliases name a function version.

/** An alias of a function, as every cloud keeps it (name -> version). */
export interface AliasState {
  name: string;
  /** The function version it points at. */
  version: string;
  description: string;
  /** Epoch ms. */
  createdAtMs: number;
  updatedAtMs: number;
}

/** Fields a function record carries for its last update (kept optional: older saved states lack them). */
export interface FunctionUpdateState {
  /** Epoch ms at which the last configuration update started; absent: never updated. */
  updateStartedAtMs?: number;
  aliases?: Record<string, AliasState>;
}

export function updateInProgress(fn: FunctionUpdateState, now: Date, delayMs: number): boolean {
  return fn.updateStartedAtMs !== undefined && now.getTime() - fn.updateStartedAtMs < delayMs;
}

/** Creates or moves an alias in place; the caller checks that the version exists. */
export function setAlias(fn: FunctionUpdateState, name: string, version: string, description: string | undefined, now: Date): AliasState {
  const aliases = (fn.aliases ??= {});
  const t = now.getTime();
  const existing = aliases[name];
  const alias: AliasState = existing
    ? { ...existing, version, description: description ?? existing.description, updatedAtMs: t }
    : { name, version, description: description ?? "", createdAtMs: t, updatedAtMs: t };
  aliases[name] = alias;
  return alias;
}
