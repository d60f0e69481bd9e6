// Runs one command of the table in-process, as the CLI would (the same defaults, invoke() and
// error lines), capturing what would go to stdout and stderr. For tests whose subject is the
// command, not the process; process tests use ./cli.ts.
import { commands } from "../../src/commands/index.js";
import { optionsOf } from "../../src/commands/index.js";
import { invoke } from "../../src/commands/shared/invoke.js";
import { createLogger } from "../../src/output/log.js";
import { baseEnv, type CliResult } from "./cli.js";

/** What commander gives a command when an option is not on the command line. */
async function defaultsOf(name: string): Promise<Record<string, unknown>> {
  const spec = (await commands.find((c) => c.name === name)!.load()).default;
  const defaults: Record<string, unknown> = {};
  const options = optionsOf(spec);
  for (const o of options) {
    const long = /--(no-)?([a-z0-9-]+)/.exec(o.flags)!;
    const key = long[2]!.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    // `--no-x` alone defaults x to true; beside `--x` it leaves x unset (commander's rule).
    const positive = options.some((p) => new RegExp(`--${long[2]}(\\s|$)`).test(p.flags));
    if (long[1] && !positive) defaults[key] = true;
    else if (o.repeatable) defaults[key] = [];
    else if (o.default !== undefined) defaults[key] = o.default;
  }
  return defaults;
}

export interface InProcessResult extends CliResult {
  data?: unknown;
}

export async function runCommand(name: string, input: Record<string, unknown>, opts: { env?: Record<string, string | undefined>; format?: string } = {}): Promise<InProcessResult> {
  const spec = (await commands.find((c) => c.name === name)!.load()).default;
  let stderr = "";
  const stream = {
    write: (s: string) => {
      stderr += s;
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const outcome = await invoke(spec, { ...(await defaultsOf(name)), ...input }, opts.format ?? "json", { env: baseEnv(opts.env), log: createLogger({ stream }) });
  for (const { line } of outcome.errors) stderr += `layerctl: ${line}\n`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes are what is removed
  return { code: outcome.exitCode, stdout: outcome.stdout, stderr: stderr.replace(/\u001b\[[0-9;]*m/g, ""), data: outcome.data };
}
