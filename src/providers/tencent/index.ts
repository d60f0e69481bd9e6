// Tencent Cloud SCF (API 2018-04-16). Everything layerctl knows about it is data in this folder;
// the SDK is loaded only by connect().
import { resolveRuntimeIds } from "../runtimes.js";
import { validateAgainstLimits } from "../validate.js";
import type { Provider } from "../types.js";
import { TencentClient } from "./client.js";
import { asTencentCredentials, resolveTencentCredentials, TENCENT_CREDENTIAL_VARIABLES, TENCENT_ENV, TENCENT_ROLE_ARN, tencentProfileRegion } from "./credentials.js";
import { tencentAbout } from "./about.js";
import { tencentContents } from "./contents.js";
import { tencentLayoutWarning } from "./layout.js";
import { tencentLimits } from "./limits.js";
import { TENCENT_DEFAULT_REGION, TENCENT_REGION_SHAPE, TENCENT_REGIONS } from "./regions.js";
import { tencentRuntimes } from "./runtimes.js";
import { TENCENT_SHARING } from "./sharing.js";
import { tencentStorage } from "./storage.js";

export const tencentProvider: Provider = {
  name: "tencent",
  title: tencentAbout.title,
  defaultRegion: TENCENT_DEFAULT_REGION,
  regions: TENCENT_REGIONS,
  regionShape: TENCENT_REGION_SHAPE,
  runtimes: tencentRuntimes,
  limits: tencentLimits,
  credentialVariables: TENCENT_CREDENTIAL_VARIABLES,
  secretVariables: [TENCENT_ENV.secretKey, ...TENCENT_ENV.tokens],
  endpointVariables: tencentAbout.endpointVariables,
  regionVariables: [TENCENT_ENV.region],
  roleArn: TENCENT_ROLE_ARN,
  features: { asyncPublish: true, functionNamespaces: true, asyncDelete: true, functionAliases: false, sharing: TENCENT_SHARING },
  storage: tencentStorage,
  contents: tencentContents,

  resolveRuntimes: (ids) => resolveRuntimeIds("tencent", tencentRuntimes, ids),
  validateLayer: (spec) => validateAgainstLimits("tencent", tencentLimits, spec),
  layoutWarning: (topLevel, nativeRuntimes) => tencentLayoutWarning(topLevel, nativeRuntimes),
  resolveCredentials: (env, opts) => resolveTencentCredentials(env, opts),
  profileRegion: tencentProfileRegion,

  async connect(opts) {
    const { createScfClient } = await import("./sdk.js");
    const credentials = asTencentCredentials(opts.credentials);
    return new TencentClient(await createScfClient(opts, credentials), opts, credentials);
  },
  async listRegions(opts) {
    const { listTencentRegions } = await import("./region-listing.js");
    return listTencentRegions(opts);
  },
};
