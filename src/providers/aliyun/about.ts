// What help text says about Alibaba Cloud FC 3.0, loadable without the adapter (see ../names.ts).
import type { ProviderAbout } from "../names.js";
import { aliyunEnv } from "./limits.js";

export const aliyunAbout = {
  title: "Alibaba Cloud Function Compute 3.0",
  credentials: `${aliyunEnv.accessKeyId}, ${aliyunEnv.accessKeySecret}, ${aliyunEnv.accountId}`,
  endpointVariables: [aliyunEnv.endpoint],
} satisfies ProviderAbout;
