// Alibaba Cloud Function Compute 3.0: everything layerctl knows about it. Only connect() loads
// the SDK (see ./sdk.ts).
import { layoutWarningFor } from "../layout.js";
import { resolveRuntimeIds } from "../runtimes.js";
import type { Provider } from "../types.js";
import { validateAgainstLimits } from "../validate.js";
import { aliyunAbout } from "./about.js";
import { aliyunContents } from "./contents.js";
import { connectAliyun } from "./client.js";
import { ALIYUN_CREDENTIAL_VARIABLES, ALIYUN_ROLE_ARN, aliyunProfileRegion, resolveAliyunCredentials } from "./credentials.js";
import { aliyunEnv, aliyunLayout, aliyunLimits } from "./limits.js";
import { ALIYUN_DEFAULT_REGION, ALIYUN_REGION_SHAPE, ALIYUN_REGIONS } from "./regions.js";
import { aliyunRuntimes } from "./runtimes.js";
import { ALIYUN_SHARING } from "./sharing.js";
import { aliyunStorage } from "./storage.js";

export const aliyunProvider: Provider = {
  name: "aliyun",
  title: aliyunAbout.title,
  defaultRegion: ALIYUN_DEFAULT_REGION,
  regions: ALIYUN_REGIONS,
  regionShape: ALIYUN_REGION_SHAPE,
  runtimes: aliyunRuntimes,
  limits: aliyunLimits,
  credentialVariables: ALIYUN_CREDENTIAL_VARIABLES,
  secretVariables: [aliyunEnv.accessKeySecret, aliyunEnv.securityToken],
  endpointVariables: aliyunAbout.endpointVariables,
  regionVariables: [aliyunEnv.region],
  roleArn: ALIYUN_ROLE_ARN,
  features: { asyncPublish: false, functionNamespaces: false, asyncDelete: false, functionAliases: false, sharing: ALIYUN_SHARING },
  storage: aliyunStorage,
  contents: aliyunContents,

  resolveRuntimes: (ids) => resolveRuntimeIds("aliyun", aliyunRuntimes, ids),
  validateLayer: (spec) => validateAgainstLimits("aliyun", aliyunLimits, spec),
  layoutWarning: (topLevel, nativeRuntimes) => layoutWarningFor(aliyunLayout, topLevel, nativeRuntimes, "aliyun", ["bin", "lib"]),
  resolveCredentials: resolveAliyunCredentials,
  profileRegion: aliyunProfileRegion,
  connect: (opts) => connectAliyun(opts),
  async listRegions(opts) {
    const { listAliyunRegions } = await import("./region-listing.js");
    return listAliyunRegions(opts);
  },
};
