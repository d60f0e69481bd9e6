// Commander wiring only: parse, call a command (which returns data), render, set the exit code.
// This is the only place that decides exit codes and writes documents to stdout.
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import chalk, { chalkStderr } from "chalk";
import { exitCodeOf, formatError } from "./errors.js";
import { removeLeftovers } from "./interrupt.js";
// Every command that touches credentials loads src/providers/index.ts, which registers each
// provider's secret variables with redact() before anything is printed.
import { redact } from "./output/redact.js";
import { debugDetail, errorObjectOf } from "./output/debug-detail.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

const EXIT_CODES = `
Exit codes:
  0  success
  1  the cloud or the network failed (message keeps the provider's error code and request id)
  2  bad input or usage (nothing was sent to any cloud)
  130/143  interrupted (SIGINT/SIGTERM); temporary files are removed`;

let debug = process.argv.includes("--debug");

// chalk honours FORCE_COLOR but not NO_COLOR (no-color.org): any non-empty value turns colour off.
if (process.env.NO_COLOR && !process.env.FORCE_COLOR) {
  chalk.level = 0;
  chalkStderr.level = 0;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function out(text: string): void {
  process.stdout.write(redact(text));
}

function fail(err: unknown): void {
  process.stderr.write(redact(`layerctl: ${formatError(err)}`) + "\n");
  if (debug) process.stderr.write(debugDetail(err));
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

function outputOption(formats: string[]): Option {
  return new Option("--output <format>", "what to print on stdout (default: table on a terminal, json otherwise)").choices(formats);
}

function defaultFormat<F extends string>(given: F | undefined): F {
  return given ?? ((process.stdout.isTTY ? "table" : "json") as F);
}

function targetOptions(cmd: Command): Command {
  return cmd
    .option("-p, --provider <names>", "tencent, aws or aliyun; comma-separate (or repeat) for several", collect, [])
    .option("-r, --region <region>", "region, or provider:region; comma-separate (or repeat) for several", collect, [])
    .option("--endpoint <url>", "API endpoint override, a full http(s)://host:port URL")
    .option("--profile <name>", "AWS shared config profile; for tencent, a profile of ~/.tencentcloud/credentials, used when TENCENTCLOUD_* are not set")
    .option("--emulator", "run against an embedded local emulator (nothing is sent to any cloud)")
    .option("--timeout <seconds>", "give up on a target after this long: no attempt or poll starts later (default 300)");
}

const TARGET_HELP = `
Credentials come from each cloud's standard places:
  tencent  TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY [, TENCENTCLOUD_SESSION_TOKEN]
  aws      AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or the AWS default chain (--profile)
  aliyun   ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_ACCOUNT_ID
Endpoints: --endpoint, or LAYERCTL_ENDPOINT_TENCENT / LAYERCTL_ENDPOINT_AWS (also AWS_ENDPOINT_URL_LAMBDA,
AWS_ENDPOINT_URL) / LAYERCTL_ENDPOINT_ALIYUN.`;

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
  return { env: process.env, log, progress: (t: string) => progress.update(t), stop: () => progress.stop() };
}

/** Failed targets: one stderr line each; exit 1. The document still lists them (status "failed"). */
function reportFailures(results: Array<{ provider: string; region: string; error?: { code: string; message: string; requestId: string | null; hint?: string } }>): number {
  const failed = results.filter((r) => r.error);
  for (const { provider, region, error } of failed) {
    const rid = error!.requestId ? ` (request id ${error!.requestId})` : "";
    const hint = error!.hint ? `; ${error!.hint}` : "";
    process.stderr.write(redact(`layerctl: ${provider} ${region}: ${error!.code}: ${error!.message}${rid}${hint}`.replace(/\s*\n\s*/g, " ")) + "\n");
    if (debug) process.stderr.write(debugDetail(errorObjectOf(error)));
  }
  return failed.length > 0 ? 1 : 0;
}

export function buildProgram(): Command {
  const program = new Command("layerctl")
    .description("Publish serverless layers to Tencent Cloud SCF, AWS Lambda and Alibaba Cloud FC 3.0")
    .version(pkg.version, "-V, --version")
    .option("--debug", "print stack traces and SDK detail on stderr")
    // Sub-commands copy these settings when created: set them before any .command().
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(redact(s)),
      writeOut: (s) => process.stdout.write(s),
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

  program
    .command("pack")
    .description("zip a directory into a deterministic layer archive")
    .argument("<dir>", "directory to pack")
    .option("-o, --out <file>", "zip to write (default: ./<dir name>.zip)")
    .option("--exclude <glob>", "leave out paths matching this gitignore-style pattern (repeatable)", collect, [])
    .option("--prefix <path>", "put the contents under this folder in the zip (e.g. python, nodejs)")
    .addOption(new Option("--symlinks <mode>", "keep links (inside <dir> only) or store their targets").choices(["keep", "follow"]).default("keep"))
    .addOption(outputOption(["table", "json"]))
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
    .action(async (dir: string, opts: { out?: string; exclude: string[]; prefix?: string; symlinks: string; output?: "table" | "json" }) => {
      const { packCommand } = await import("./commands/pack.js");
      const { renderArchive } = await import("./output/archive.js");
      await run(() => packCommand({ dir, ...opts }), (s) => renderArchive(s, defaultFormat(opts.output)));
    });

  targetOptions(
    program
      .command("publish")
      .description("pack a directory (or take a .zip) and publish it as a new layer version")
      .argument("<source>", "layer directory, or a .zip to publish as it is")
      .option("-n, --name <layer>", "layer name")
      .option("--runtime <ids>", "compatible runtimes, e.g. python3.12,nodejs20 (see `layerctl providers`)", collect, [])
      .option("--arch <arch>", "x86_64 or arm64 (AWS; repeat for both; providers without architectures ignore it with a warning)", collect, [])
      .option("--description <text>", "version description")
      .option("--license <text>", "license (SPDX id, URL or text)")
      .option("--dry-run", "validate and pack, print what would be published, call nothing; needs no credentials (those set are checked)")
      .option("--no-wait", "do not wait for asynchronous publishing (Tencent) to finish")
      .option("--skip-unchanged", "if the newest version has this exact zip, runtimes and architectures, report it (status unchanged) instead of publishing; description and license are not compared")
      .option("-o, --out <file>", "also keep the built zip here (a path ending in .zip; for the print format see --output)")
      .option("--exclude <glob>", "leave out paths matching this gitignore-style pattern (repeatable)", collect, [])
      .option("--prefix <path>", "put the contents under this folder in the zip (e.g. python, nodejs)")
      .addOption(new Option("--symlinks <mode>", "keep links (inside the dir only) or store their targets").choices(["keep", "follow"]).default("keep"))
      .addOption(outputOption(RECORD_FORMATS_LIST)),
  )
    .addHelpText(
      "after",
      `
Examples:
  layerctl publish ./my-layer --provider tencent --name deps --runtime python3.10
  layerctl publish ./site-packages --prefix python -p aws -n deps --runtime python3.12 --arch arm64
  layerctl publish layer.zip -p aws,aliyun -r aws:eu-west-1,aliyun:cn-shanghai -n deps --runtime nodejs20
  layerctl publish ./my-layer -p tencent -n deps --runtime python3.10 --emulator --output json
  echo "version=$(layerctl publish ./l -p aws -n deps --runtime nodejs20 --output version)" >> "$GITHUB_OUTPUT"

Output: table (people), json ({"archive": {...}, "results": [record, ...]}), version (the bare
number for one target; "provider region version" lines for several; "planned" on --dry-run),
env (KEY=value lines). Only the document goes to stdout; progress and warnings go to stderr.
A failed target is listed with status "failed" and reported on stderr; the exit code is then 1.
${TARGET_HELP}
${EXIT_CODES}`,
    )
    .action(async (source: string, opts: PublishCliOptions) => {
      const { publishCommand } = await import("./commands/publish.js");
      const { renderLayerDocument } = await import("./output/records.js");
      const ctx = await context(true);
      const format = defaultFormat(opts.output);
      await run(
        async () => {
          try {
            return await publishCommand({ source, ...opts, runtime: opts.runtime }, ctx);
          } finally {
            ctx.stop();
          }
        },
        (doc) => printable(doc.results, format) ? renderLayerDocument(doc, format) : "",
        (doc) => reportFailures(doc.results),
      );
    });

  targetOptions(
    program
      .command("get")
      .description("show one layer version")
      .argument("<name>", "layer name")
      .argument("<version>", "version number")
      .addOption(outputOption(RECORD_FORMATS_LIST)),
  )
    .addHelpText("after", `\nExamples:\n  layerctl get deps 3 --provider tencent --region ap-shanghai\n  layerctl get deps 3 -p aws --output json | jq -r '.results[0].location'\n${TARGET_HELP}\n${EXIT_CODES}`)
    .action(async (name: string, version: string, opts: ReadCliOptions) => {
      const { getCommand } = await import("./commands/get.js");
      const { renderLayerDocument } = await import("./output/records.js");
      const ctx = await context(false);
      const format = defaultFormat(opts.output);
      await run(
        () => getCommand({ ...opts, name, version }, ctx),
        (doc) => (printable(doc.results, format) ? renderLayerDocument(doc, format) : ""),
        (doc) => reportFailures(doc.results),
      );
    });

  targetOptions(
    program
      .command("versions")
      .description("list the versions of a layer, newest first")
      .argument("<name>", "layer name")
      .addOption(outputOption(RECORD_FORMATS_LIST)),
  )
    .addHelpText("after", `\nExamples:\n  layerctl versions deps --provider aliyun --region cn-shanghai\n  layerctl versions deps -p aws --output version | head -1\n${TARGET_HELP}\n${EXIT_CODES}`)
    .action(async (name: string, opts: ReadCliOptions) => {
      const { versionsCommand } = await import("./commands/get.js");
      const { renderLayerDocument } = await import("./output/records.js");
      const ctx = await context(false);
      const format = defaultFormat(opts.output);
      await run(
        () => versionsCommand({ ...opts, name }, ctx),
        (doc) => (printable(doc.results, format) ? renderLayerDocument(doc, format) : ""),
        (doc) => reportFailures(doc.results),
      );
    });

  targetOptions(
    program
      .command("publish-function")
      .description("publish a new version of a function (Tencent PublishVersion, AWS PublishVersion, Aliyun PublishFunctionVersion)")
      .argument("<function>", "function name")
      .option("--description <text>", "version description")
      .option("--namespace <ns>", "function namespace (Tencent; default: default)")
      .addOption(outputOption(RECORD_FORMATS_LIST)),
  )
    .addHelpText("after", `\nExamples:\n  layerctl publish-function api --provider tencent --namespace prod --description "release 42"\n  layerctl publish-function api -p aws --output version\n${TARGET_HELP}\n${EXIT_CODES}`)
    .action(async (fn: string, opts: ReadCliOptions & { description?: string; namespace?: string }) => {
      const { publishFunctionCommand } = await import("./commands/publish-function.js");
      const { renderFunctionDocument } = await import("./output/records.js");
      const ctx = await context(true);
      await run(
        async () => {
          try {
            return await publishFunctionCommand({ ...opts, functionName: fn }, ctx);
          } finally {
            ctx.stop();
          }
        },
        (doc) => (printable(doc.results, defaultFormat(opts.output)) ? renderFunctionDocument(doc, defaultFormat(opts.output)) : ""),
        (doc) => reportFailures(doc.results),
      );
    });

  program
    .command("providers")
    .description("list each provider's runtimes, limits and credential variables")
    .addOption(outputOption(["table", "json"]))
    .addHelpText("after", `\nExamples:\n  layerctl providers\n  layerctl providers --output json | jq '.providers[] | {name, runtimes: [.runtimes[].id]}'\n${EXIT_CODES}`)
    .action(async (opts: { output?: "table" | "json" }) => {
      const { providersCommand } = await import("./commands/providers.js");
      const { renderProviders } = await import("./output/records.js");
      await run(async () => providersCommand(), (doc) => renderProviders(doc, defaultFormat(opts.output)));
    });

  program
    .command("emulate")
    .description("run a local emulator of the Tencent SCF, AWS Lambda and Aliyun FC 3.0 layer APIs")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on (0: any free port)", "9000")
    .option("--state-dir <dir>", "keep layers (metadata and zips) here across restarts (default: in memory)")
    .option("--publish-delay <ms>", "how long a new Tencent layer version stays Publishing", "1000")
    .option("--fault <spec>", "inject a fault: provider:action:kind[:times][:latencyMs] (repeatable)", collect, [])
    .option("--rate-limit <n>", "calls per second per provider and action before throttling errors")
    .option("--function <name>", "a function that exists from the start, NAME or PROVIDER:NAME (repeatable)", collect, [])
    .addHelpText(
      "after",
      `
Fault kinds: throttle, server-error, reset, lost-response (carried out, answer lost), latency, hang,
bad-checksum, publish-failed, stall (headers then no body), truncate (part of the body), html-error (gateway 502).

Examples:
  layerctl emulate --port 9000
  layerctl emulate --state-dir .emulator --function tencent:api --rate-limit 20
  layerctl emulate --fault tencent:PublishLayerVersion:throttle:2 --fault '*:*:latency::300'

Then, in another shell, export the printed variables and run layerctl (or any SDK) against it.
${EXIT_CODES}`,
    )
    .action(async (opts: { host: string; port: string; stateDir?: string; publishDelay: string; fault: string[]; rateLimit?: string; function: string[] }) => {
      const { emulateCommand } = await import("./commands/emulate.js");
      const { emulatorEnv } = await import("./emulator/env.js");
      try {
        const emu = await emulateCommand(opts);
        // Our handler goes in before the others come out and before anything is printed: removing the
        // last listener stops Node's signal watcher, and a Ctrl-C caught by it but not yet dispatched is lost.
        const stopped = new Promise<void>((resolve) => {
          for (const signal of ["SIGINT", "SIGTERM"] as const) {
            const before = process.listeners(signal);
            process.once(signal, () => resolve());
            for (const l of before) process.removeListener(signal, l);
          }
        });
        // The emulator's own keys are meant to be shown: they open nothing but this local server.
        for (const w of emu.warnings) process.stderr.write(`layerctl: warning: ${w}\n`);
        const lines = Object.entries(emulatorEnv(emu.credentials, emu.url)).map(([k, v]) => `export ${k}=${v}`);
        process.stdout.write(lines.join("\n") + "\n");
        process.stderr.write(`layerctl emulator listening on ${emu.url} (${opts.stateDir ? `state in ${opts.stateDir}` : "in memory"}); Ctrl-C to stop\n`);
        await stopped;
        await emu.close();
      } catch (err) {
        fail(err);
      }
    });

  return program;
}

const RECORD_FORMATS_LIST = ["table", "json", "version", "env"];

/**
 * Nothing on stdout when every target failed (so `| jq` fails cleanly), nor for `version` output
 * when any did: its lines would no longer say which target they belong to.
 */
function printable(results: Array<{ error?: unknown }>, format: string): boolean {
  if (results.length > 0 && results.every((r) => r.error)) return false;
  return !(format === "version" && results.some((r) => r.error));
}

interface ReadCliOptions {
  provider: string[];
  region: string[];
  endpoint?: string;
  profile?: string;
  emulator?: boolean;
  timeout?: string;
  output?: "table" | "json" | "version" | "env";
}

interface PublishCliOptions extends ReadCliOptions {
  name?: string;
  runtime: string[];
  arch: string[];
  description?: string;
  license?: string;
  dryRun?: boolean;
  wait: boolean;
  skipUnchanged?: boolean;
  out?: string;
  exclude: string[];
  prefix?: string;
  symlinks: string;
}

/**
 * Ctrl-C or a CI's SIGTERM: remove temp files, say so on stderr, exit 128+signal as shells do.
 * (`emulate` replaces these with its own clean shutdown.)
 */
function exitOnSignals(): void {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.once(signal, () => {
      removeLeftovers();
      process.stderr.write(`layerctl: interrupted (${signal})\n`);
      process.exit(code);
    });
  }
}

async function main(): Promise<void> {
  exitOnSignals();
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every parse error is a usage error (2), as documented.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    // Anything else escaping an action is our bug, not the user's: exit 1, never 2.
    fail(err);
  }
}

await main();
