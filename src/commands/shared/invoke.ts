// Runs one command of the table and says what to print and which exit code to end with: the one
// place where a command's data or error becomes an outcome. src/cli.ts writes it out (redacted);
// tests call it in-process.
import { type FailureParts, LayerctlError, exitCodeOf, formatError, formatFailure } from "../../errors.js";
import type { CommandContext } from "../../targets/context.js";
import type { CommandSpec } from "./define.js";

export interface Outcome<Data = unknown> {
  /** The document for stdout ("" for none). */
  stdout: string;
  /** One line each for stderr, without the "layerctl: " prefix, with the error behind it (for --debug). */
  errors: Array<{ line: string; error?: unknown }>;
  exitCode: number;
  data?: Data;
  /** What the command threw, if it did (for --debug's stack trace). */
  error?: unknown;
}

export async function invoke<Input, Data>(spec: CommandSpec<Input, Data>, input: Input, format: string, ctx: CommandContext): Promise<Outcome<Data>> {
  try {
    const data = await spec.run(input, ctx);
    const stdout = spec.render(data, format);
    const failures = spec.failures?.(data) ?? [];
    return { stdout, errors: failures.map((f) => ({ line: formatFailure(f), error: f.error })), exitCode: exitCodeOfRun(spec, data, failures), data };
  } catch (error) {
    const details = error instanceof LayerctlError ? (error.details ?? []) : [];
    return { stdout: "", errors: [...details.map((line) => ({ line })), { line: formatError(error), error }], exitCode: exitCodeOf(error), error };
  }
}

/** The spec's exit code for a run that returned data; failures make it non-zero whatever the spec says. */
function exitCodeOfRun<Input, Data>(spec: CommandSpec<Input, Data>, data: Data, failures: readonly FailureParts[]): number {
  const code = spec.exitCode?.(data, failures) ?? (failures.length > 0 ? 1 : 0);
  return code === 0 && failures.length > 0 ? 1 : code;
}
