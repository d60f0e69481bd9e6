// The commands that remove what a COS upload leaves behind, pasted as printed (coscli, COS's own CLI).
// Imported by ./storage.ts (the synchronous part) and by the store's client alike.
import { shellWord } from "../../output/shell-word.js";
import type { ProviderStorage } from "../types.js";

// coscli (COS's own CLI): -e names the regional endpoint; `abort` ends the unfinished uploads under the key.
export const removeCommand: ProviderStorage["removeCommand"] = (o, endpoint) =>
  `coscli rm ${shellWord(`cos://${o.bucket}/${o.key}`)} -e ${shellWord(endpoint ?? `cos.${o.region}.myqcloud.com`)}`;
export const abortCommand: ProviderStorage["abortCommand"] = (o, _uploadId, endpoint) =>
  `coscli abort ${shellWord(`cos://${o.bucket}/${o.key}`)} -e ${shellWord(endpoint ?? `cos.${o.region}.myqcloud.com`)}`;
