// What a command gets from the CLI besides its input: the environment, a logger, progress.
import type { Logger } from "../../output/log.js";

export interface CommandContext {
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Progress for people (spinner); a no-op off a TTY. */
  progress?: (text: string) => void;
}
