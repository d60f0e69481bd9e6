// The commands that remove what an S3 upload leaves behind, pasted as printed (the AWS CLI).
// Imported by ./storage.ts (the synchronous part) and by the store's client alike.
import { shellWord } from "../../output/shell-word.js";
import type { ProviderStorage } from "../types.js";

export const removeCommand: ProviderStorage["removeCommand"] = (o, endpoint) =>
  `aws s3 rm ${shellWord(`s3://${o.bucket}/${o.key}`)} --region ${shellWord(o.region)}${endpointFlag(endpoint)}`;
export const abortCommand: ProviderStorage["abortCommand"] = (o, uploadId, endpoint) =>
  `aws s3api abort-multipart-upload --bucket ${shellWord(o.bucket)} --key ${shellWord(o.key)} --upload-id ${shellWord(uploadId)} --region ${shellWord(o.region)}${endpointFlag(endpoint)}`;
function endpointFlag(endpoint: string | undefined): string {
  return endpoint ? ` --endpoint-url ${shellWord(endpoint)}` : "";
}
