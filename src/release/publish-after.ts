// What follows a successful publish on one target: the sharing asked for with --public,
// --share-account and --share-organization, and the version-cap warning. A share that fails
// makes the target failed, naming the version that was published (it exists, unshared).
import type { Logger } from "../output/log.js";
import type { Grantee, LayerVersionRecord, ProviderClient } from "../providers/types.js";
import type { ShareRecord } from "./lifecycle-records.js";
import { applyGrant } from "./sharing.js";
import type { Target } from "../targets/resolve.js";
import { versionQuotaWarning } from "./version-quota.js";

export interface AfterPublish {
  grantees: Grantee[];
  log: Logger;
  /** Each grant made (or failed), for the document's "shares". */
  onShare?: (r: ShareRecord) => void;
}

function shareFlag(g: Grantee): string {
  return g.kind === "public" ? "--public" : `--${g.kind} ${g.id}`;
}

export async function afterPublish(client: ProviderClient, t: Target, rec: LayerVersionRecord, opts: AfterPublish): Promise<LayerVersionRecord> {
  if ((rec.status !== "published" && rec.status !== "unchanged") || rec.version === null) return rec;
  for (const g of opts.grantees) {
    const shared = await applyGrant(client, t, rec.layerName, rec.version, g, false);
    opts.onShare?.(shared);
    if (shared.error) {
      return {
        ...rec,
        status: "failed",
        requestId: shared.error.requestId ?? rec.requestId,
        error: {
          ...shared.error,
          message: `version ${rec.version} was published, but sharing it (${shared.grantee}) failed: ${shared.error.message}`,
          hint: `share it with: layerctl share ${rec.layerName} ${rec.version} -p ${t.provider.name} -r ${t.region} ${shareFlag(g)}`,
        },
      };
    }
  }
  // Only a new version moves a layer towards the cap: an unchanged target (--skip-unchanged) would
  // pay a third round trip to list versions it has just listed.
  if (t.provider.limits.maxVersionsPerLayer !== null && rec.status === "published") {
    try {
      const count = (await client.listLayerVersions(rec.layerName)).length;
      const warning = versionQuotaWarning(t.provider, t.region, rec.layerName, count);
      if (warning) opts.log.warn(warning);
    } catch (err) {
      // Only a warning depends on it: the publish itself succeeded.
      opts.log.debug(`${t.provider.name} ${t.region}: could not count the versions of ${rec.layerName}: ${(err as Error).message}`);
    }
  }
  return rec;
}
