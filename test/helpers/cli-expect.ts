// What every failure report must look like, for process and in-process tests alike.
import { expect } from "vitest";

/** One stderr line, "layerctl: ..." holding every part, and no stack trace. */
export function expectOneLineError(stderr: string, ...parts: string[]): void {
  const lines = stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^layerctl: /);
  for (const p of parts) expect(lines[0]).toContain(p);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
}
