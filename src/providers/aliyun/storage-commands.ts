// The commands that remove what an OSS upload leaves behind, pasted as printed (ossutil, OSS's own CLI).
// Imported by ./storage.ts (the synchronous part) and by the store's client alike.
import { shellWord } from "../../output/shell-word.js";
import type { ProviderStorage } from "../types.js";

// ossutil (OSS's own CLI): -e names the regional endpoint; `rm -m` removes an object's unfinished multipart uploads.
export const removeCommand: ProviderStorage["removeCommand"] = (o, endpoint) =>
  `ossutil rm ${shellWord(`oss://${o.bucket}/${o.key}`)} -e ${shellWord(endpoint ?? `oss-${o.region}.aliyuncs.com`)}`;
export const abortCommand: ProviderStorage["abortCommand"] = (o, _uploadId, endpoint) =>
  `ossutil rm ${shellWord(`oss://${o.bucket}/${o.key}`)} -m -e ${shellWord(endpoint ?? `oss-${o.region}.aliyuncs.com`)}`;
