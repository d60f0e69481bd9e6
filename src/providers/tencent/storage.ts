// Staging big layers in COS: what layerctl knows without loading the SDK. connect() imports ./cos.ts.
import type { ProviderStorage } from "../types.js";
import { abortCommand, removeCommand } from "./storage-commands.js";
import { COS_BUCKET } from "./storage-names.js";

export const tencentStorage: ProviderStorage = {
  service: "COS",
  bucketVariable: "LAYERCTL_BUCKET_TENCENT",
  endpointVariables: ["LAYERCTL_STORAGE_ENDPOINT_TENCENT"],
  // No separate zip limit for a layer from COS is documented: the unzipped one (ProviderLimits) decides.
  maxStagedZipBytes: null,
  limitNote: "SCF documents no zip limit for COS content, only 500 MB unzipped per function version",
  temporaryBucket: false,
  // COSCLI "rm": a bucket given by its full name needs the endpoint flag.
  // At most 60 characters with the suffix.
  bucketName: {
    pattern: new RegExp(`(?=^.{1,60}$)${COS_BUCKET.source}`),
    what: "a COS bucket name as the console shows it",
    hint: "give the full name with the APPID suffix, e.g. layers-1250000000",
  },
  async connect(opts, storage) {
    const { connectCos } = await import("./cos.js");
    return connectCos(opts, storage);
  },
  removeCommand,
  abortCommand,
};
