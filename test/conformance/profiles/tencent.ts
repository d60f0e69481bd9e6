// Tencent Cloud SCF as the conformance suite sees it.
import type { ConformanceProfile } from "../profile.js";

export const tencentProfile: ConformanceProfile = {
  provider: "tencent",
  region: "ap-guangzhou",
  runtimes: { canonical: ["python3.9", "nodejs18"], native: ["Python3.9", "Nodejs18.15"] },
  // SCF has no Node.js 20 runtime.
  unknownRuntime: "nodejs20",
  // Must not end with a hyphen or underscore.
  invalidLayerName: "my-layer-",
  codes: {
    layerVersionNotFound: "ResourceNotFound.LayerVersion",
    functionNotFound: "ResourceNotFound.Function",
    badSignature: "AuthFailure.SignatureFailure",
    unknownKey: "AuthFailure.SecretIdNotFound",
    throttled: "RequestLimitExceeded",
    serverError: "InternalError",
  },
  publishLayerAction: "PublishLayerVersion",
  arnPattern: null,
  unchangedFunctionKeepsVersion: false,
  storage: {
    bucket: "conf-layers-1250000000",
    otherBucket: "conf-shanghai-1250000000",
    otherRegion: "ap-shanghai",
    // COS: another region's endpoint does not know the bucket.
    codes: { noSuchBucket: "NoSuchBucket", wrongRegion: "NoSuchBucket", stagedMissing: "InvalidParameterValue.CosObjectName" },
  },
  functionName: "release-fn",
  namespace: "default",
  // ListLayers pages by Offset/Limit (layerctl asks for 20); ListLayerVersions does not page.
  pages: { layers: 20, versions: null },
  grants: null,
  shareAction: null,
  fleet: { listRegionsAction: "DescribeRegions", regions: ["ap-guangzhou", "ap-shanghai", "na-ashburn"], sharedRuntime: "python3.10" },
};
