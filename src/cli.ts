// Commander wiring only: parse, call a command (which returns data), render, set the exit code.
// This is the only place that decides exit codes and writes documents to stdout.
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { exitCodeOf, formatError, LayerctlError, UsageError } from "./errors.js";
import { redact } from "./output/redact.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

const EXIT_CODES = `
Exit codes:
  0  success
  1  the cloud or the network failed (message keeps the provider's error code and request id)
  2  bad input or usage (nothing was sent to any cloud)`;

let debug = process.argv.includes("--debug");

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function out(text: string): void {
  process.stdout.write(redact(text));
}

function fail(err: unknown): void {
  process.stderr.write(redact(`layerctl: ${formatError(err)}`) + "\n");
  if (debug) {
    const stack = err instanceof Error && err.stack ? err.stack : String(err);
    process.stderr.write(redact(stack) + "\n");
    const cause = (err as { cause?: unknown })?.cause;
    if (cause) process.stderr.write(redact(`caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`) + "\n");
  }
  process.exitCode = exitCodeOf(err);
}

/** Runs a command, renders its data to stdout, or reports its error on stderr. */
async function run<T>(fn: () => Promise<T>, render: (data: T) => string, exitCode: (data: T) => number = () => 0): Promise<void> {
  try {
    const data = await fn();
    out(render(data));
    process.exitCode = exitCode(data);
  } catch (err) {
    fail(err);
  }
}

function outputOption(formats: string[], fallback: string): Option {
  return new Option("--output <format>", "what to print on stdout").choices(formats).default(fallback);
}

export function buildProgram(): Command {
  const program = new Command("layerctl")
    .description("Publish serverless layers to Tencent Cloud SCF, AWS Lambda and Alibaba Cloud FC 3.0")
    .version(pkg.version, "-V, --version")
    .option("--debug", "print stack traces and SDK detail on stderr")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", EXIT_CODES);

  program
    .command("pack")
    .description("zip a directory into a deterministic layer archive")
    .argument("<dir>", "directory to pack")
    .option("-o, --out <file>", "zip to write (default: ./<dir name>.zip)")
    .option("--exclude <glob>", "leave out paths matching this gitignore-style pattern (repeatable)", collect, [])
    .option("--prefix <path>", "put the contents under this folder in the zip (e.g. python, nodejs)")
    .addOption(new Option("--symlinks <mode>", "keep links (inside <dir> only) or store their targets").choices(["keep", "follow"]).default("keep"))
    .addOption(outputOption(["table", "json"], "table"))
    .addHelpText(
      "after",
      `
Examples:
  layerctl pack ./my-layer -o deps.zip
  layerctl pack ./site-packages --prefix python --exclude '__pycache__/' --output json
  SOURCE_DATE_EPOCH=1700000000 layerctl pack ./layer -o layer.zip

Ignore rules come from <dir>/.layerignore (gitignore syntax) plus every --exclude.
The same tree always gives the same bytes: entries sorted, fixed timestamps
(1980-01-01 or SOURCE_DATE_EPOCH), modes normalised to 0755/0644.
${EXIT_CODES}`,
    )
    .action(async (dir: string, opts: { out?: string; exclude: string[]; prefix?: string; symlinks: string; output: "table" | "json" }) => {
      const { packCommand } = await import("./commands/pack.js");
      const { renderArchive } = await import("./output/archive.js");
      await run(() => packCommand({ dir, ...opts }), (s) => renderArchive(s, opts.output));
    });

  return program;
}

async function main(): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  program.configureOutput({
    writeErr: (s) => process.stderr.write(redact(s)),
    writeOut: (s) => process.stdout.write(s),
  });
  try {
    await program.parseAsync(process.argv);
    debug = Boolean(program.opts().debug);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every parse error is a usage error (2), as documented.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    fail(err instanceof LayerctlError ? err : new UsageError(String((err as Error)?.message ?? err)));
  }
}

await main();
