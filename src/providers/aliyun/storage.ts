// Staging big layers in OSS: what layerctl knows without loading the SDK. connect() imports ./oss.ts.
import type { ProviderStorage } from "../types.js";
import { abortCommand, removeCommand } from "./storage-commands.js";

// OSS bucket names: 3-63 lower-case letters, digits and hyphens, starting and ending with a letter or digit.
const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export const aliyunStorage: ProviderStorage = {
  service: "OSS",
  bucketVariable: "LAYERCTL_BUCKET_ALIYUN",
  endpointVariables: ["LAYERCTL_STORAGE_ENDPOINT_ALIYUN"],
  // FC 3.0: a layer of up to 500 MB zipped through OSS (100 MB of base64 inline).
  maxStagedZipBytes: 500 * 1024 * 1024,
  limitNote: "FC takes layers of at most 500 MB zipped through OSS",
  temporaryBucket: true,
  bucketName: { pattern: BUCKET, what: "an OSS bucket name", hint: "OSS bucket names are 3-63 lower-case letters, digits and hyphens" },
  async connect(opts, storage) {
    const { connectOss } = await import("./oss.js");
    return connectOss(opts, storage);
  },
  removeCommand,
  abortCommand,
};
