// Commander wiring only: a loop over the command table (src/commands/index.ts) that parses,
// calls the command (which returns data), renders it and sets the exit code. This is the only
// place that decides exit codes and writes documents to stdout.
//
// This file and what it imports statically are dist/cli.cjs, the one file Node loads before it
// knows the command (scripts/build.mjs): commander, the command table, the provider names and
// ./output/stdio.ts. What the commands share with it (errors, redact, the temp-file registry) it
// imports with import(), so there is one copy of each, in the chunks the commands load.
import { Argument, Command, CommanderError, Option } from "commander";
import pkg from "../package.json" with { type: "json" };
import { commands, optionsOf } from "./commands/index.js";
import type { CommandSpec } from "./commands/shared/define.js";
import type { Outcome } from "./commands/shared/invoke.js";
import { listInWords, targetHelp } from "./commands/shared/target-options.js";
import { drained, stream, terminalColumns, terminalHasColors, writeText } from "./output/stdio.js";
import { providerCatalog, providerNames } from "./providers/names.js";

const EXIT_CODES = `
Exit codes:
  0  success
  1  the cloud or the network failed (message keeps the provider's error code and request id)
  2  bad input or usage (nothing was sent to any cloud)
  130/143  interrupted (SIGINT/SIGTERM); temporary files are removed`;

const debug = process.argv.includes("--debug");

/** What --debug adds to an error (loaded only then: it needs node:util, a sixth of what `--help` costs on Node 24). */
async function debugDetail(err: unknown): Promise<string> {
  return (await import("./output/debug-detail.js")).debugDetail(err);
}

// Every command that touches credentials loads src/providers/index.ts, which registers each
// provider's secret variables with redact() before anything is printed.
const redaction = () => import("./output/redact.js");

/**
 * What a run registers to settle if it is interrupted (./interrupt.ts), once a command runs: the
 * signal handler then acts at once, before the command can write another line.
 */
let interrupt: typeof import("./interrupt.js") | undefined;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

async function fail(err: unknown): Promise<void> {
  const [{ exitCodeOf, formatError }, { redact }] = await Promise.all([import("./errors.js"), redaction()]);
  writeText(2, `${redact(`layerctl: ${formatError(err)}`)}\n`);
  if (debug) writeText(2, await debugDetail(err));
  process.exitCode = exitCodeOf(err);
}

async function context(withProgress: boolean) {
  const { createLogger } = await import("./output/log.js");
  const { createProgress } = await import("./output/progress.js");
  const progress = await createProgress(withProgress && !debug);
  const log = createLogger({ debug });
  // Warnings must not tear through the spinner line.
  const warn = log.warn;
  log.warn = (m: string) => {
    progress.stop();
    warn(m);
  };
  // Destructive commands ask on the terminal; off a terminal there is no asking (they need --yes).
  const { terminalConfirm } = await import("./output/confirm.js");
  const confirm = terminalConfirm();
  return {
    env: process.env,
    log,
    progress: (t: string) => progress.update(t),
    stop: () => progress.stop(),
    confirm:
      confirm &&
      (async (q: string) => {
        progress.stop();
        return confirm(q);
      }),
  };
}

/** Resolves on Ctrl-C or SIGTERM, replacing the exit-on-signal handlers (a service shuts down cleanly). */
function untilInterrupted(): Promise<void> {
  // Ours goes in before the others come out: removing the last listener stops Node's signal
  // watcher, and a Ctrl-C caught by it but not yet dispatched would be lost.
  return new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const before = process.listeners(signal);
      process.once(signal, () => resolve());
      for (const l of before) process.removeListener(signal, l);
    }
  });
}

/** Runs a command, writes its document to stdout and its errors or failed targets to stderr. */
async function execute(spec: CommandSpec, input: Record<string, unknown>, format: string): Promise<void> {
  try {
    // Before anything of the command writes: the streams' error handlers (see stream()).
    const [stdout, stderr] = [stream(1), stream(2)];
    const [{ invoke }, { redact }] = await Promise.all([import("./commands/shared/invoke.js"), redaction()]);
    interrupt = await import("./interrupt.js");
    const ctx = await context(Boolean(spec.progress));
    let outcome: Outcome;
    try {
      outcome = await invoke(spec, input, format, ctx);
    } finally {
      ctx.stop();
    }
    // Interrupted meanwhile: the signal handler reports and exits; the document would claim a finished run.
    if (interrupt.isInterrupted()) return new Promise<void>(() => {});
    const service = outcome.error === undefined ? spec.service?.(outcome.data) : undefined;
    // A service (the emulator) listens for Ctrl-C before it prints anything a script may act on.
    const stopped = service ? untilInterrupted() : undefined;
    for (const w of service?.warnings ?? []) stderr.write(`layerctl: warning: ${w}\n`);
    stdout.write(spec.unredacted ? outcome.stdout : redact(outcome.stdout));
    for (const { line, error } of outcome.errors) {
      stderr.write(`${redact(`layerctl: ${line}`)}\n`);
      if (debug) stderr.write(await debugDetail(error));
    }
    process.exitCode = outcome.exitCode;
    if (service && stopped !== undefined) {
      stderr.write(`${service.note}\n`);
      await stopped;
      await service.close();
    }
  } catch (err) {
    await fail(err);
  }
}

/** Gives a sub-command its arguments, options, help and action from its table entry. */
function configure(cmd: Command, spec: CommandSpec): void {
  const args = spec.arguments ?? [];
  for (const a of args) {
    const word = `${a.name}${a.variadic ? "..." : ""}`;
    const argument = new Argument(a.optional ? `[${word}]` : `<${word}>`, a.description);
    if (a.choices) argument.choices(a.choices);
    cmd.addArgument(argument);
  }
  for (const o of optionsOf(spec)) {
    const option = new Option(o.flags, o.description);
    if (o.choices) option.choices(o.choices);
    if (o.repeatable) option.argParser(collect).default([]);
    else if (o.default !== undefined) option.default(o.default);
    cmd.addOption(option);
  }
  const help = [`Examples:\n${spec.examples.map((e) => `  ${e}`).join("\n")}`, spec.notes, spec.targets ? targetHelp() : undefined];
  cmd.addHelpText("after", `\n${help.filter(Boolean).join("\n\n")}\n${EXIT_CODES}`);
  cmd.action(async (...values: unknown[]) => {
    const opts = values[args.length] as Record<string, unknown>;
    const input: Record<string, unknown> = { ...opts };
    args.forEach((a, i) => {
      input[a.key ?? a.name] = values[i];
    });
    const format = (opts.output as string | undefined) ?? (stream(1).isTTY ? "table" : "json");
    await execute(spec, input, format);
  });
}

/** The sub-command named on the command line (global options take no values), if any. */
function invokedCommand(argv: string[]): string | undefined {
  const operands = argv.slice(2).filter((a) => !a.startsWith("-"));
  return operands[0] === "help" ? operands[1] : operands[0];
}

/** Commander's own colour rule for help, from the environment: undefined when it does not decide. */
function colorFromEnv(): boolean | undefined {
  const env = process.env;
  if (env.NO_COLOR || env.FORCE_COLOR === "0" || env.FORCE_COLOR === "false") return false;
  if (env.FORCE_COLOR || env.CLICOLOR_FORCE !== undefined) return true;
  return undefined;
}

/** Commander's usage errors for stderr, written through redact() once parsing is over (see run()). */
let usageErrors = "";

/** Every command is listed; only the one being run is loaded and given its options. */
export async function buildProgram(argv: string[] = process.argv): Promise<Command> {
  const titles = providerNames.map((n) => providerCatalog[n].title);
  const program = new Command("layerctl")
    .description(`Publish serverless layers to ${listInWords(titles, "and")}`)
    .version(pkg.version, "-V, --version")
    .option("--debug", "print stack traces and SDK detail on stderr")
    // Sub-commands copy these settings when created: set them before any .command().
    .exitOverride()
    .configureOutput({
      // Help and usage errors are written without making Node's stdio streams (./output/stdio.ts).
      writeErr: (s) => {
        usageErrors += s;
      },
      writeOut: (s) => writeText(1, s),
      // Commander's own default answers undefined off a terminal too (then uses 80); its types say number.
      getOutHelpWidth: () => terminalColumns(1) as number,
      getErrHelpWidth: () => terminalColumns(2) as number,
      getOutHasColors: () => colorFromEnv() ?? terminalHasColors(1),
      getErrHasColors: () => colorFromEnv() ?? terminalHasColors(2),
      // Parse errors look like every other usage error: one line, with where to read more.
      outputError: (s, write) => write(`layerctl: ${s.replace(/^error: /, "").trim()} (see --help)\n`),
    })
    .addHelpText(
      "after",
      `
Examples:
  layerctl publish ./my-layer --provider tencent --name deps --runtime python3.10
  layerctl publish ./layer --provider aws,aliyun --name deps --runtime nodejs20 --output json
  V=$(layerctl publish layer.zip -p aws -n deps --runtime python3.12 --output version)
  layerctl get deps 3 --provider aws --region eu-west-1
  layerctl emulate --port 9000
${EXIT_CODES}`,
    );
  const invoked = invokedCommand(argv);
  for (const entry of commands) {
    const cmd = program.command(entry.name, { hidden: entry.hidden }).description(entry.summary);
    if (entry.name === invoked) configure(cmd, (await entry.load()).default);
  }
  return program;
}

/** How long an interrupted run may take to abort its uploads and remove its staged objects before it exits. */
const INTERRUPT_BUDGET_MS = 3_000;

/**
 * Ctrl-C or a CI's SIGTERM: remove temp files, abort unfinished uploads and remove staged objects
 * (or name them), name the calls under way whose outcome will not be known, say so on stderr, and
 * exit 128+signal as shells do. A second signal exits at once. (`emulate` replaces these with its
 * own clean shutdown.)
 */
function exitOnSignals(): void {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.on(signal, async () => {
      // Loaded already when a command runs (no await then); before that nothing is registered.
      const { isInterrupted, removeLeftovers, settleInterrupted } = interrupt ?? (interrupt = await import("./interrupt.js"));
      if (isInterrupted()) process.exit(code);
      removeLeftovers();
      const lines = await settleInterrupted(INTERRUPT_BUDGET_MS);
      const { redact } = await redaction();
      for (const line of lines) writeText(2, `${redact(`layerctl: ${line}`)}\n`);
      writeText(2, `layerctl: interrupted (${signal})\n`);
      process.exit(code);
    });
  }
}

async function run(): Promise<void> {
  try {
    const program = await buildProgram(process.argv);
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every parse error is a usage error (2), as documented.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    // Anything else escaping an action is our bug, not the user's: exit 1, never 2.
    await fail(err);
  } finally {
    if (usageErrors) writeText(2, (await redaction()).redact(usageErrors));
  }
}

async function main(): Promise<void> {
  exitOnSignals();
  await run();
  if (interrupt?.isInterrupted()) return;
  // The run is over and every document and message has left the process: end now. Left to
  // itself Node would first tear the runtime down (~2.5 ms, a tenth of its own start-up), and
  // wait on anything an SDK left behind.
  await drained();
  process.exit();
}

// (Not awaited: dist/cli.cjs is CommonJS, which has no top-level await.)
void main();
