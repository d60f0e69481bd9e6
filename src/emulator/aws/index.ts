// Placeholder: replaced by the aws emulator module.
import type { CloudEmulator, EmulatorContext, SeedFunction } from "../types.js";

export function createAwsEmulator(_ctx: EmulatorContext, _saved: unknown, _seeds: SeedFunction[]): CloudEmulator {
  return {
    provider: "aws",
    route: () => null,
    handle: async () => ({ status: 501, body: {} }),
    faultReply: () => ({ status: 500, body: {} }),
    state: () => ({}),
  };
}
