// SCF responses -> the normalized records. SCF times are China Standard Time without a zone.
import { blankRecord, toIsoUtc } from "../record.js";
import type { LayerVersionRecord } from "../types.js";

export const CHINA_TIME = "+08:00";

export interface LayerVersionFields {
  LayerName?: string;
  LayerVersion?: number;
  CompatibleRuntimes?: string[];
  CodeSha256?: string;
  Location?: string;
  AddTime?: string;
  Description?: string;
  LicenseInfo?: string;
  Status?: string;
  RequestId?: string;
}

export function layerRecord(region: string, layerName: string, r: LayerVersionFields): LayerVersionRecord {
  const rec = blankRecord("tencent", region, r.LayerName || layerName);
  rec.version = typeof r.LayerVersion === "number" ? r.LayerVersion : null;
  rec.state = r.Status || null;
  rec.codeSha256 = r.CodeSha256 ? r.CodeSha256.toLowerCase() : null;
  rec.compatibleRuntimes = r.CompatibleRuntimes ?? [];
  rec.description = r.Description || null;
  rec.license = r.LicenseInfo || null;
  rec.createdAt = toIsoUtc(r.AddTime, CHINA_TIME);
  rec.location = r.Location || null;
  rec.requestId = r.RequestId || null;
  // Read back, a version whose publishing failed exists but will never be usable: say so in the
  // field scripts check, not only in the provider's state.
  if (r.Status === "PublishFailed") rec.status = "failed";
  return rec;
}

/** Lifecycle states after which a version will never become Active. */
export const DEAD_STATES = new Set(["PublishFailed", "Deleting", "Deleted", "DeleteFailed"]);
