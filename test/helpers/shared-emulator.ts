// One emulator for a whole test file (with a seeded function "api"), its variables for the
// CLI, and faults cleared before each test.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { emulatorEnv, start, type RunningEmulator } from "../../src/emulator/index.js";

export function sharedEmulator(): { emu: () => RunningEmulator; env: () => Record<string, string>; calls: () => number } {
  let emu: RunningEmulator;
  let env: Record<string, string>;
  beforeAll(async () => {
    emu = await start({ port: 0, tencentPublishDelayMs: 0, functions: [{ name: "api" }] });
    env = emulatorEnv(emu.credentials, emu.url);
  });
  afterAll(async () => {
    await emu?.close();
  });
  beforeEach(() => emu.faults.clear());
  return {
    emu: () => emu,
    env: () => env,
    /** Every call the emulator has answered so far. */
    calls: () => Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0),
  };
}
