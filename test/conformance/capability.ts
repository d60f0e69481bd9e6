// What the conformance files share around their scenarios: skipping by capability (never by
// provider name) and a logger that keeps what a command told the user.
import { it } from "vitest";
import { silentLogger, type Logger } from "../../src/output/log.js";

/** `it` when the provider can, else a skip whose title says why (never a skip by provider name). */
export function when(capable: boolean, reason: string) {
  return capable ? it : (title: string, fn: () => Promise<void>) => it.skip(`${title} (skipped: ${reason})`, fn);
}

/** A logger keeping the warnings ("warning: ...") and notes a command printed, in order. */
export function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { ...silentLogger, lines, warn: (m: string) => lines.push(`warning: ${m}`), info: (m: string) => lines.push(m) };
}
