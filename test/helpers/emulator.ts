// The emulator as tests start it: on any free port, with Tencent's publish finishing at once (a
// test that wants the asynchronous state asks for a delay), and closed when the tests are done.
import { start, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";
import { useResource } from "./hooks.js";

/** An emulator on port 0 with no Tencent publish delay, unless `options` say otherwise. */
export function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return start({ port: 0, tencentPublishDelayMs: 0, ...options });
}

/**
 * One emulator for the tests of the enclosing file or describe block: started (see startEmulator)
 * before them all and handed to `started`, closed after them. Hooks the block registers later run
 * after it has started.
 */
export function useEmulator(options: EmulatorOptions, started: (emu: RunningEmulator) => void): void {
  useResource(
    "all",
    () => startEmulator(options),
    started,
    (emu) => emu.close(),
  );
}
