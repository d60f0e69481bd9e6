// Logs, progress and warnings go to stderr only: stdout carries exactly one document.
// Colour decisions follow stderr (a terminal or not), where these lines go.
import { stderrColors as chalk } from "./colors.js";
import { redact } from "./redact.js";

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  readonly debugEnabled: boolean;
}

export interface LoggerOptions {
  debug?: boolean;
  quiet?: boolean;
  stream?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const stream = opts.stream ?? process.stderr;
  const write = (line: string) => stream.write(redact(line) + "\n");
  return {
    debugEnabled: Boolean(opts.debug),
    debug: (m) => {
      if (opts.debug) write(chalk.dim(`debug: ${m}`));
    },
    info: (m) => {
      if (!opts.quiet) write(m);
    },
    warn: (m) => write(chalk.yellow(`warning: ${m}`)),
    error: (m) => write(chalk.red(`error: ${m}`)),
  };
}

/** A logger that drops everything: the default for library callers and tests. */
export const silentLogger: Logger = {
  debugEnabled: false,
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
