// What help text says about Tencent Cloud SCF, loadable without the adapter (see ../names.ts).
import type { ProviderAbout } from "../names.js";

export const tencentAbout = {
  title: "Tencent Cloud SCF",
  credentials: "TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY [, TENCENTCLOUD_SESSION_TOKEN]",
  profile: "a profile of ~/.tencentcloud/credentials, used when TENCENTCLOUD_* are not set",
  endpointVariables: ["LAYERCTL_ENDPOINT_TENCENT"],
} satisfies ProviderAbout;
