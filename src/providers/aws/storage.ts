// Staging big layers in S3: what layerctl knows without loading the SDK. connect() imports ./s3.ts.
import type { ProviderStorage } from "../types.js";
import { abortCommand, removeCommand } from "./storage-commands.js";

// S3 general purpose bucket names: 3-63 lower-case letters, digits, dots and hyphens, starting
// and ending with a letter or digit (bucket naming rules, S3 user guide).
const BUCKET = /^(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const awsStorage: ProviderStorage = {
  service: "S3",
  bucketVariable: "LAYERCTL_BUCKET_AWS",
  // The SDK's own variables too: AWS_ENDPOINT_URL_S3 for S3 only, AWS_ENDPOINT_URL for every service.
  endpointVariables: ["LAYERCTL_STORAGE_ENDPOINT_AWS", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"],
  // A zip from S3 has no size limit of its own: the unzipped one (ProviderLimits) decides.
  maxStagedZipBytes: null,
  limitNote: "Lambda sets no zip limit for S3 content, only 262,144,000 bytes unzipped",
  temporaryBucket: false,
  bucketName: { pattern: BUCKET, what: "an S3 bucket name", hint: "S3 bucket names are 3-63 lower-case letters, digits, dots and hyphens" },
  async connect(opts, storage) {
    const { connectS3 } = await import("./s3.js");
    return connectS3(opts, storage);
  },
  removeCommand,
  abortCommand,
};
