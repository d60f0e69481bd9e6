// COS bucket names as users see them (console, COS SDK) carry the account's APPID: layers-1250000000.
// SCF's PublishLayerVersion takes the name without it, and the object name with a leading "/".
import type { StagedObject } from "../types.js";

/** <name>-<APPID>: lower-case letters, digits and hyphens, then the numeric APPID. */
export const COS_BUCKET = /^([a-z0-9][a-z0-9-]*[a-z0-9]|[a-z0-9])-(\d+)$/;

export function cosContent(staged: StagedObject): { CosBucketName: string; CosObjectName: string; CosBucketRegion: string } {
  const m = COS_BUCKET.exec(staged.bucket);
  return {
    CosBucketName: m ? m[1]! : staged.bucket,
    CosObjectName: staged.key.startsWith("/") ? staged.key : `/${staged.key}`,
    CosBucketRegion: staged.region,
  };
}
