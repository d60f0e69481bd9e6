// AWS Lambda as the conformance suite sees it.
import type { ConformanceProfile } from "../profile.js";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export const awsProfile: ConformanceProfile = {
  provider: "aws",
  // Not the default region: proves the region reaches the signature scope, the emulator and the ARN.
  region: "eu-west-1",
  runtimes: {
    canonical: ["python3.12", "nodejs20", "java17", "go1", "custom"],
    native: ["python3.12", "nodejs20.x", "java17", "go1.x", "provided.al2023"],
  },
  // Lambda has no PHP runtime.
  unknownRuntime: "php8.0",
  // Dots are not allowed in Lambda layer names.
  invalidLayerName: "my.layer",
  codes: {
    layerVersionNotFound: "ResourceNotFoundException",
    functionNotFound: "ResourceNotFoundException",
    badSignature: "InvalidSignatureException",
    unknownKey: "UnrecognizedClientException",
    throttled: "TooManyRequestsException",
    serverError: "ServiceException",
  },
  publishLayerAction: "PublishLayerVersion",
  arnPattern: (layer, version, region) => new RegExp(`^arn:aws:lambda:${escapeRegExp(region)}:\\d{12}:layer:${escapeRegExp(layer)}:${version}$`),
  unchangedFunctionKeepsVersion: true,
  functionName: "conformance-fn",
};
