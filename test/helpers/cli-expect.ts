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

/** The UsageError `p` rejects with (failing the test when it resolves, or rejects with another error). */
export async function usageRejectionOf(p: Promise<unknown>): Promise<UsageError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return err as UsageError;
}

/** Resolve with the error a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & Record<string, any>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, any>;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
