// Placeholder: replaced by the tencent emulator module.
import type { CloudEmulator, EmulatorContext, SeedFunction } from "../types.js";

export function createTencentEmulator(_ctx: EmulatorContext, _saved: unknown, _seeds: SeedFunction[]): CloudEmulator {
  return {
    provider: "tencent",
    route: () => null,
    handle: async () => ({ status: 501, body: {} }),
    faultReply: () => ({ status: 500, body: {} }),
    state: () => ({}),
  };
}
