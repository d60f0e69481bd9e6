// Records of the lifecycle commands (layers, delete, prune, share). Their field names are public
// interface, as the publish records are: scripts read them from `--output json`.
import type { ProviderName } from "../providers/names.js";
import type { RecordError } from "../providers/types.js";

/**
 * kept: stays (newest N, younger than --older-than, still publishing); in-use: stays because a
 * function references it; planned: would be deleted (dry run); deleted; not-found: there was no
 * such version (nothing deleted); failed: see `error`.
 */
export type VersionStatus = "kept" | "in-use" | "planned" | "deleted" | "not-found" | "failed";

export interface VersionActionRecord {
  provider: ProviderName;
  region: string;
  layerName: string;
  /** null only when the whole target failed before its versions were known. */
  version: number | null;
  arn: string | null;
  status: VersionStatus;
  /** The provider's lifecycle state after the action (Tencent `Deleted`), else as listed. */
  state: string | null;
  createdAt: string | null;
  /** Why: "newest 3", "younger than 30d", "not among the newest 3"... */
  reason: string | null;
  /** Function configurations that reference this version: `api:$LATEST`, `prod/api:2`, `api:alias live`. */
  usedBy: string[];
  requestId: string | null;
  error?: RecordError;
}

export interface LayerSummaryRecord {
  provider: ProviderName;
  region: string;
  layerName: string;
  /** The newest version. */
  version: number | null;
  arn: string | null;
  state: string | null;
  createdAt: string | null;
  compatibleRuntimes: string[];
  description: string | null;
  /** Versions the layer holds, counted where the provider caps them (Tencent: 200); else null. */
  versionCount: number | null;
  versionLimit: number | null;
  /** Set when the layer is close to its version cap. */
  warning: string | null;
  requestId: string | null;
  error?: RecordError;
}

export interface ShareRecord {
  provider: ProviderName;
  region: string;
  layerName: string;
  version: number | null;
  /** shared / revoked: what holds now; skipped: the provider cannot make this grant (see `reason`); failed: see `error`. */
  status: "shared" | "revoked" | "skipped" | "failed";
  /** `public`, `account 123456789012`, `organization o-abc...`. */
  grantee: string;
  /** What the grant covers: the version, or the whole layer (every version, present and future). */
  scope: "version" | "layer";
  /** The provider's id for the grant (AWS statement id). */
  statementId: string | null;
  /** false: it already was so (a re-run); null: the provider cannot tell. */
  changed: boolean | null;
  /** Why it was skipped (Tencent has no sharing API); null otherwise. */
  reason: string | null;
  requestId: string | null;
  error?: RecordError;
}
