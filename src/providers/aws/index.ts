// AWS Lambda layers. Everything layerctl knows about AWS lives in this folder; this file only
// assembles it. Nothing here loads the SDK: connect() and credential lookup import it on demand.
import { resolveRuntimeIds } from "../runtimes.js";
import { validateAgainstLimits } from "../validate.js";
import type { LayerSpec, Provider } from "../types.js";
import { awsAbout } from "./about.js";
import { AWS_CONTENTS } from "./contents.js";
import { AWS_CREDENTIAL_VARIABLES, AWS_ROLE_ARN, awsProfileRegion, resolveAwsCredentials } from "./credentials.js";
import { AWS_LIMITS, assertRequestFits, checkLayerArnRegion } from "./limits.js";
import { AWS_DEFAULT_REGION, AWS_REGION_SHAPE, AWS_REGIONS, awsPartition } from "./regions.js";
import { awsLayoutWarning } from "./layout.js";
import { AWS_RUNTIMES } from "./runtimes.js";
import { AWS_SHARING } from "./sharing.js";
import { awsStorage } from "./storage.js";

function nativeRuntimesOf(spec: LayerSpec): string[] {
  try {
    return resolveRuntimeIds("aws", AWS_RUNTIMES, spec.runtimes);
  } catch {
    return spec.runtimes;
  }
}

export const awsProvider: Provider = {
  name: "aws",
  title: awsAbout.title,
  defaultRegion: AWS_DEFAULT_REGION,
  regions: AWS_REGIONS,
  regionShape: AWS_REGION_SHAPE,
  runtimes: AWS_RUNTIMES,
  limits: AWS_LIMITS,
  credentialVariables: AWS_CREDENTIAL_VARIABLES,
  secretVariables: ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"],
  endpointVariables: awsAbout.endpointVariables,
  regionVariables: ["AWS_REGION", "AWS_DEFAULT_REGION"],
  roleArn: AWS_ROLE_ARN,
  features: { asyncPublish: false, functionNamespaces: false, asyncDelete: false, functionAliases: true, sharing: AWS_SHARING },
  storage: awsStorage,
  contents: AWS_CONTENTS,

  resolveRuntimes: (ids) => resolveRuntimeIds("aws", AWS_RUNTIMES, ids),
  validateLayer(spec) {
    const warnings = validateAgainstLimits("aws", AWS_LIMITS, spec);
    assertRequestFits(spec, nativeRuntimesOf(spec));
    return warnings;
  },
  checkLayerRegion: checkLayerArnRegion,
  layoutWarning: awsLayoutWarning,
  resolveCredentials: resolveAwsCredentials,
  profileRegion: awsProfileRegion,
  async connect(opts) {
    const { connectAws } = await import("./client.js");
    return connectAws(opts);
  },
  async listRegions(opts) {
    const { listAwsRegions } = await import("./region-listing.js");
    return listAwsRegions(opts);
  },
  // The default partition needs no scope of its own; China and GovCloud do.
  credentialScope: (region) => (awsPartition(region) === "aws" ? undefined : awsPartition(region)),
};
