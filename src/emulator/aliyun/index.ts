// Placeholder: replaced by the aliyun emulator module.
import type { CloudEmulator, EmulatorContext, SeedFunction } from "../types.js";

export function createAliyunEmulator(_ctx: EmulatorContext, _saved: unknown, _seeds: SeedFunction[]): CloudEmulator {
  return {
    provider: "aliyun",
    route: () => null,
    handle: async () => ({ status: 501, body: {} }),
    faultReply: () => ({ status: 500, body: {} }),
    state: () => ({}),
  };
}
