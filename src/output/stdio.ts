// The CLI's stdout and stderr, made when first used. Node creates process.stdout/stderr on
// first access, and making one loads its stream modules (and net or tty behind them): ~3 ms,
// a fifth of what `layerctl --help` adds to Node's own start-up. Help and usage errors are
// written without them; a command's run takes them (with their error handlers) as before.
import { fstatSync, statSync, writeSync } from "node:fs";

type Fd = 1 | 2;

const prepared = new Set<Fd>();

/**
 * A write to fd failed. A reader that goes away (`layerctl publish --help | head -1`) is not our
 * failure: the rest of the output has nowhere to go, so it is dropped and the process ends with
 * the code it had, without Node's unhandled-'error' stack. Any other write error on stdout (a
 * full disk) is said once and fails the run.
 */
function writeFailed(fd: Fd, err: NodeJS.ErrnoException): void {
  if (err.code === "EPIPE") {
    // Nowhere left to say anything (stderr): end quietly, but not as a success.
    if (fd === 2) process.exitCode = 1;
    return;
  }
  if (fd === 1) writeText(2, `layerctl: cannot write the output: ${err.message}\n`);
  process.exitCode = 1;
}

/** process.stdout or process.stderr, with its error handler on (writeFailed). */
export function stream(fd: Fd): NodeJS.WriteStream {
  const s = fd === 1 ? process.stdout : process.stderr;
  if (!prepared.has(fd)) {
    prepared.add(fd);
    s.on("error", (err: NodeJS.ErrnoException) => writeFailed(fd, err));
  }
  return s;
}

/**
 * Whether fd could be a terminal, without making its stream: only a character device other than
 * /dev/null can be. (Pipes, files and sockets never are; /dev/null is where benchmarks and
 * cron jobs send output.) When in doubt, yes: the caller then asks the stream itself.
 */
function mayBeTerminal(fd: Fd): boolean {
  let known = terminalPossible.get(fd);
  if (known === undefined) {
    try {
      const st = fstatSync(fd);
      known = st.isCharacterDevice() && st.rdev !== statSync("/dev/null").rdev;
    } catch {
      known = true;
    }
    terminalPossible.set(fd, known);
  }
  return known;
}

/** Asked twice per help (width and colours): what an fd is does not change during a run. */
const terminalPossible = new Map<Fd, boolean>();

/** The terminal's width for help text, or undefined when fd is no terminal (commander then uses 80). */
export function terminalColumns(fd: Fd): number | undefined {
  if (!mayBeTerminal(fd)) return undefined;
  const s = stream(fd);
  return s.isTTY ? s.columns : undefined;
}

/** Whether help may be coloured on fd (commander's own rule, from the stream's colour depth). */
export function terminalHasColors(fd: Fd): boolean {
  if (!mayBeTerminal(fd)) return false;
  const s = stream(fd);
  return Boolean(s.isTTY && s.hasColors?.());
}

/**
 * Writes text to fd, synchronously when its stream has not been made: help and usage errors,
 * the last thing a run prints. Once the stream exists it is used, so writes stay in order. A
 * closed reader ends quietly as in stream(); a full non-blocking pipe hands the rest to the stream.
 */
export function writeText(fd: Fd, text: string): void {
  if (prepared.has(fd)) {
    stream(fd).write(text);
    return;
  }
  const bytes = Buffer.from(text, "utf8");
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(fd, bytes, done);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EAGAIN") stream(fd).write(bytes.subarray(done));
    else writeFailed(fd, err as NodeJS.ErrnoException);
  }
}

/** Resolves once everything written to the streams in use has been handed to the system. */
export async function drained(): Promise<void> {
  for (const fd of prepared) {
    const s = fd === 1 ? process.stdout : process.stderr;
    // An empty write's callback runs after every earlier write is done; a destroyed stream
    // (its reader went away) has nothing more to deliver.
    if (!s.destroyed && s.writableLength > 0) await new Promise<void>((resolve) => s.write("", () => resolve()));
  }
}
