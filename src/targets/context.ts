// What a command (and the release work and target runs it starts) gets from the CLI besides its
// input: the environment, a logger, progress, the run's embedded emulator.
import type { Logger } from "../output/log.js";
import type { EmbeddedEmulator } from "./resolve.js";

export interface CommandContext {
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Progress for people (spinner); a no-op off a TTY. */
  progress?: (text: string) => void;
  /** Asks one yes/no question on the terminal (destructive commands); undefined when stdin is not a terminal. */
  confirm?: (question: string) => Promise<boolean>;
  /** With --emulator: one embedded emulator for every publish of the run (a config's layers). */
  embedded?: EmbeddedEmulator;
}
