// One emulator for a whole test file (with a seeded function "api"), its variables for the
// CLI, and faults cleared before each test.
import { beforeEach } from "vitest";
import { emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { useEmulator } from "./emulator.js";

export function sharedEmulator(): { emu: () => RunningEmulator; env: () => Record<string, string>; calls: () => number } {
  let emu: RunningEmulator;
  let env: Record<string, string>;
  useEmulator({ functions: [{ name: "api" }] }, (started) => {
    emu = started;
    env = emulatorEnv(emu.credentials, emu.url);
  });
  beforeEach(() => emu.faults.clear());
  return {
    emu: () => emu,
    env: () => env,
    /** Every call the emulator has answered so far. */
    calls: () => Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0),
  };
}
