// The emulator as tests start it: on any free port, with Tencent's publish finishing at once (a
// test that wants the asynchronous state asks for a delay), and closed when the tests are done.
import { beforeEach } from "vitest";
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

/**
 * Clears the emulator's faults before each test and counts the calls it answers from then on:
 * `calls("aws:GetLayerVersion")` is how many that test made.
 */
export function callsSinceEachTest(emu: () => RunningEmulator): (key: string) => number {
  let before: Record<string, number> = {};
  beforeEach(() => {
    emu().faults.clear();
    before = emu().faults.counts();
  });
  return (key) => (emu().faults.counts()[key] ?? 0) - (before[key] ?? 0);
}
