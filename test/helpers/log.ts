// A logger that keeps every line, prefixed with its level ("warn: ...", "debug: ..."), for tests
// that check what a run said on stderr.
import type { Logger } from "../../src/output/log.js";

export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    debugEnabled: true,
    lines,
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}
