// A layer version's zip downloaded for a target (the download command, and copy's source): the
// target's budget, the usual read retries, a fresh link asked for when one has expired, and
// progress lines in one wording.
import type { Logger } from "../output/log.js";
import { humanBytes } from "../output/table.js";
import type { Budget } from "../providers/budget.js";
import { downloadZip, type Downloaded } from "../providers/content.js";
import type { ProviderName } from "../providers/names.js";
import { defaultRetryPolicy } from "../providers/retry.js";
import type { LayerContent, ProviderClient } from "../providers/types.js";

export interface VersionDownload {
  client: ProviderClient;
  provider: ProviderName;
  layerName: string;
  version: number;
  /** What the cloud answered for the version (its link and digest). */
  content: LayerContent;
  budget: Budget;
  log: Logger;
  /** Where the progress lines say it comes from, e.g. "from aws us-east-1" (optional). */
  from?: string;
  progress?: (line: string) => void;
}

export function downloadVersion(file: string, d: VersionDownload): Promise<Downloaded> {
  const what = `${d.layerName} version ${d.version}${d.from ? ` from ${d.from}` : ""}`;
  return downloadZip(d.content, file, {
    provider: d.provider,
    budget: d.budget,
    retry: defaultRetryPolicy,
    log: d.log,
    refresh: () => d.client.layerContent(d.layerName, d.version),
    progress: d.progress && ((bytes, total) => d.progress?.(`downloading ${what}: ${humanBytes(bytes)}${total ? ` of ${humanBytes(total)}` : ""}`)),
  });
}
