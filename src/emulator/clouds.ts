// The one list of emulated clouds. Adding a cloud: one folder under src/emulator/ whose index.ts
// exports a defineCloud({...}) (see README.md in this folder), and one line here. Credentials,
// printed variables, tuning and persistence all follow from this list.
import type { ProviderName } from "../providers/names.js";
import { aliyunCloud } from "./aliyun/index.js";
import { awsCloud } from "./aws/index.js";
import { tencentCloud } from "./tencent/index.js";

export const clouds = {
  tencent: tencentCloud,
  aws: awsCloud,
  aliyun: aliyunCloud,
} satisfies Record<ProviderName, { provider: ProviderName }>;

export const cloudNames = Object.keys(clouds) as ProviderName[];
