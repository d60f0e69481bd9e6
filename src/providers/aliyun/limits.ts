// What FC 3.0 accepts, as data: checked before any call so a user never uploads 50 MB to learn
// that a name or a count is wrong.
import type { ProviderLimits } from "../types.js";
import type { LayoutRule } from "../layout.js";

export const aliyunLimits: ProviderLimits = {
  layerNameRule: "1-64 characters: letters, digits, '_' and '-', starting with a letter",
  layerNamePattern: /^[a-zA-Z][a-zA-Z0-9_-]*$/,
  layerNameMaxLength: 64,
  // The API reference documents 100 MB for the base64 payload (~75 MB of zip), yet uploads of
  // about 50 MB are reported to fail. We stop at 50 MiB of zip (~70 MB of base64 JSON): the
  // limit nobody has seen fail. Bigger layers need OSS (ossBucketName/ossObjectName).
  maxZipBytes: 50 * 1024 * 1024,
  maxZipNote: "the API documents 100 MB of base64 payload (~75 MB of zip), but uploads of about 50 MB are reported to fail, so layerctl stops at 50 MiB",
  // FC documents no unzipped limit for layers.
  maxUnzippedBytes: null,
  // compatibleRuntime takes 0-20 entries.
  maxRuntimes: 20,
  architectures: null,
  maxArchitectures: 0,
  // Not documented for layers; 256 is FC's limit for descriptions elsewhere, and what the
  // emulator enforces for both.
  maxDescriptionLength: 256,
  maxLicenseLength: 256,
  // FC documents no cap on versions per layer.
  // FC 3.0: a function references at most 5 layers (FC layer documentation).
  maxLayersPerFunction: 5,
  maxVersionsPerLayer: null,
  // FC documents no cap on layers per region.
  maxLayersPerRegion: null,
  // The FC 3.0 references we have give no per-API rate: nothing to pace below (the conformance
  // suite still covers its Throttling errors).
  requestRate: null,
};

/** Where FC puts layer folders on the path once extracted to /opt. */
export const aliyunLayout: LayoutRule[] = [
  { runtimePrefixes: ["python"], expected: ["python"], suggestPrefix: "python" },
  { runtimePrefixes: ["nodejs"], expected: ["nodejs/node_modules"], suggestPrefix: "nodejs/node_modules" },
  { runtimePrefixes: ["java"], expected: ["java/lib"], suggestPrefix: "java/lib" },
];

export const aliyunEnv = {
  accessKeyId: "ALIBABA_CLOUD_ACCESS_KEY_ID",
  accessKeySecret: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  securityToken: "ALIBABA_CLOUD_SECURITY_TOKEN",
  accountId: "ALIBABA_CLOUD_ACCOUNT_ID",
  region: "ALIBABA_CLOUD_REGION_ID",
  endpoint: "LAYERCTL_ENDPOINT_ALIYUN",
} as const;
