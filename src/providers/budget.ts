// A target's time budget: made once when the target's work starts (--timeout from then), never
// changed. Work that may run past it (the lookup after an ambiguous failure, aborting a multipart
// upload) gets a budget of its own, made anew; the target's stays as it was.

export interface Budget {
  /** Epoch ms after which no new attempt starts; a request under way runs to its own timeout. */
  readonly deadline: number;
  /** Ms left until the deadline, 0 once it has passed. */
  remaining(): number;
  /** Aborted when the deadline passes: for work that can be torn down then (a timer that does not hold the process). */
  readonly signal: AbortSignal;
}

/** A budget that ends at `deadline` (epoch ms). */
export function budgetUntil(deadline: number): Budget {
  let signal: AbortSignal | undefined;
  return Object.freeze({
    deadline,
    remaining: () => Math.max(0, deadline - Date.now()),
    // Made on first use: most work never asks, and each one is a timer.
    get signal() {
      return (signal ??= AbortSignal.timeout(Math.max(0, Math.min(deadline - Date.now(), 2 ** 31 - 1))));
    },
  });
}

/** A target's budget, starting now: `ms` is --timeout. */
export function startBudget(ms: number, now = Date.now()): Budget {
  return budgetUntil(now + ms);
}

/** The later-ending of a budget and `atLeastMs` from now: a new budget, the given one unchanged. */
export function extendBudget(budget: Budget | undefined, atLeastMs: number): Budget {
  return budgetUntil(Math.max(budget?.deadline ?? 0, Date.now() + atLeastMs));
}

/** The earlier-ending of a budget and `deadline` (a wait that must end by both). */
export function narrowBudget(budget: Budget | undefined, deadline: number): Budget {
  return budgetUntil(Math.min(budget?.deadline ?? deadline, deadline));
}
