// chalk, with one rule added: chalk honours FORCE_COLOR but not NO_COLOR (no-color.org), and
// any non-empty NO_COLOR turns colour off. Only renderers and logs import this, never the CLI's
// entry: chalk loads node:tty (and with it Node's net and stream modules), which `--help` and
// every run that prints no colour would pay for at start-up.
import chalk, { chalkStderr } from "chalk";

if (process.env.NO_COLOR && !process.env.FORCE_COLOR) {
  chalk.level = 0;
  chalkStderr.level = 0;
}

/** Colours for stdout (tables). */
export const stdoutColors = chalk;
/** Colours for stderr (log lines): decided by whether stderr is a terminal. */
export const stderrColors = chalkStderr;
