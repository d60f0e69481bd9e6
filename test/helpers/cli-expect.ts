// What every failure report must look like, for process and in-process tests alike.
import { expect } from "vitest";
import { UsageError } from "../../src/errors.js";

/** One stderr line, "layerctl: ..." holding every part, and no stack trace. */
export function expectOneLineError(stderr: string, ...parts: string[]): void {
  const lines = stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^layerctl: /);
  for (const p of parts) expect(lines[0]).toContain(p);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
}

/** The UsageError `fn` throws (failing the test when it throws none, or another error). */
export function usageErrorOf(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error("expected a UsageError");
}
