// The shape every command file fills: what it takes (arguments, options), how it is documented
// (examples, notes), what it does (run, returning data) and how its data is shown (render,
// failures). src/cli.ts turns these into commander commands; completion reads the same data.
// This module imports nothing at run time, so the table stays cheap to load.
import type { FailureParts } from "../../errors.js";
import type { CommandContext } from "../../targets/context.js";

export interface ArgumentSpec {
  /** As shown in help: `<name>`, `[name]` when optional, `<name...>` when variadic. */
  name: string;
  /** The input field it fills (default: name). */
  key?: string;
  description: string;
  optional?: boolean;
  /** Takes every remaining word, as an array (last argument only). */
  variadic?: boolean;
  /** The only values accepted. Completion offers them. */
  choices?: readonly string[];
}

export interface OptionSpec {
  /** Commander flags, e.g. "-n, --name <layer>" or "--no-wait". */
  flags: string;
  description: string;
  /** The only values accepted: anything else is a usage error. Completion offers them. */
  choices?: readonly string[];
  /** Values worth suggesting where others are allowed too (e.g. comma lists of provider names). */
  suggestions?: readonly string[];
  /** May be given several times; the values are collected, in order, into an array. */
  repeatable?: boolean;
  default?: string | boolean;
}

/** A long-running command's data after it was printed: the CLI waits for Ctrl-C, then closes it. */
export interface Service {
  /** One stderr line saying what is running. */
  note: string;
  /** Printed on stderr before anything else (e.g. the emulator's keys are public on a shared host). */
  warnings?: string[];
  close(): Promise<void>;
}

export interface CommandSpec<Input = unknown, Data = unknown> {
  arguments?: ArgumentSpec[];
  options?: OptionSpec[];
  /** Takes --provider, --region, --endpoint, --profile, --emulator, --timeout (./target-options.ts). */
  targets?: boolean;
  /** Values of --output; the first is for people (the default on a terminal), json otherwise. */
  formats?: readonly string[];
  /** Command lines shown under "Examples:" in its --help. */
  examples: string[];
  /** Help text after the examples. */
  notes?: string;
  /** Shows a spinner on a terminal while it runs. */
  progress?: boolean;
  /** Its document is meant to be seen as it is (e.g. the emulator's own keys): not redacted. */
  unredacted?: boolean;
  /** Does the work and returns data; throws LayerctlError for what the user must fix or the cloud refused. */
  run(input: Input, ctx: CommandContext): Promise<Data>;
  /** The stdout document ("" for none). */
  render(data: Data, format: string): string;
  /** Targets that failed, reported one line each on stderr; any of them makes the exit code 1 (unless exitCode says otherwise). */
  failures?(data: Data): FailureParts[];
  /**
   * The exit code, from the data and the failures above (default: 1 when there are failures, else
   * 0). What a script gates on: `check` exits 2 on findings (the input is wrong), `status` 3 when a
   * target is behind. A run with failures never exits 0 (invoke() makes a 0 a 1).
   */
  exitCode?(data: Data, failures: readonly FailureParts[]): number;
  /** For a command that keeps running once its document is printed. */
  service?(data: Data): Service;
}

/** Pins the types of a command file's default export. */
export function defineCommand<Input, Data>(spec: CommandSpec<Input, Data>): CommandSpec<Input, Data> {
  return spec;
}
