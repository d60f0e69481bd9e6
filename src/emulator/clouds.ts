// The one list of emulated clouds. Adding a cloud: one folder under src/emulator/ and one line here.
import type { ProviderName } from "../providers/names.js";
import type { CloudEmulatorFactory, SeedFunction } from "./types.js";
import { createTencentEmulator } from "./tencent/index.js";
import { createAwsEmulator } from "./aws/index.js";
import { createAliyunEmulator } from "./aliyun/index.js";

export type CloudFactoryWithSeeds = (
  ...args: [...Parameters<CloudEmulatorFactory>, seeds: SeedFunction[]]
) => ReturnType<CloudEmulatorFactory>;

export const clouds = {
  tencent: createTencentEmulator,
  aws: createAwsEmulator,
  aliyun: createAliyunEmulator,
} satisfies Record<ProviderName, CloudFactoryWithSeeds>;
