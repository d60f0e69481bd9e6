// Alibaba Cloud FC 3.0 as the conformance suite sees it.
import type { ConformanceProfile } from "../profile.js";

export const aliyunProfile: ConformanceProfile = {
  provider: "aliyun",
  // Not the default region: proves the region reaches the emulator (x-acs-region-id) and the ARN.
  region: "cn-shanghai",
  runtimes: {
    canonical: ["python3.12", "nodejs20.x", "java11", "go1", "custom"],
    native: ["python3.12", "nodejs20", "java11", "go1", "custom"],
  },
  // FC 3.0 has no Java 17.
  unknownRuntime: "java17",
  // FC layer names must start with a letter.
  invalidLayerName: "1layer",
  codes: {
    layerVersionNotFound: "LayerVersionNotFound",
    functionNotFound: "FunctionNotFound",
    badSignature: "SignatureDoesNotMatch",
    unknownKey: "InvalidAccessKeyId.NotFound",
    throttled: "Throttling.User",
    serverError: "InternalServerError",
  },
  publishLayerAction: "CreateLayerVersion",
  arnPattern: (layer, version, region) => new RegExp(`^acs:fc:${region}:\\d+:layers/${layer}/versions/${version}$`),
  unchangedFunctionKeepsVersion: false,
  functionName: "conformance-fn",
};
