// What a publish takes and gives: the input (commands/publish.ts maps flags and the config file
// onto it), the document it returns, and a publish prepared but not begun.
import type { ArchiveSummary } from "../archive/types.js";
import type { ProviderName } from "../providers/names.js";
import type { AttachRecord, LayerVersionRecord } from "../providers/types.js";
import type { ShareRecord } from "./lifecycle-records.js";
import type { ConnectedTargets } from "../targets/runner.js";
import type { ResolvedTargets, Target, TargetOptions } from "../targets/resolve.js";
import type { StagingInput } from "./staging.js";

export interface PublishInput extends TargetOptions, StagingInput {
  source: string;
  name?: string;
  runtime?: string[];
  arch?: string[];
  description?: string;
  license?: string;
  dryRun?: boolean;
  wait?: boolean;
  skipUnchanged?: boolean;
  /** Seconds, as typed. */
  timeout?: string;
  exclude?: string[];
  prefix?: string;
  symlinks?: string;
  /** Keep the built zip here. */
  out?: string;
  /** false (--no-check): skip the compatibility check of the binaries inside. */
  check?: boolean;
  /** Share each published version (see ./shared/publish-after.ts): with everyone, or on these providers only (the config's per-provider sharing). */
  public?: boolean | string[];
  shareAccount?: string[];
  shareOrganization?: string[];
  /**
   * Share where the clouds can, with no error when none of this publish's can: the caller checked
   * its whole run (per-provider prefixes publish in groups), or the grants are the config file's
   * (a matrix leg on Tencent still publishes).
   */
  shareWhereCan?: boolean;
  /** Functions to attach the published version to (comma-separated or repeated). */
  attach?: string[];
  /** With attach: the function namespace (Tencent), publish a function version, point an alias. */
  namespace?: string;
  publishVersion?: boolean;
  alias?: string;
  /** Publish until every target holds the same version number (../release/align.ts). */
  alignVersion?: boolean;
  /** With alignVersion: the most padding versions one target may need (as typed; default 10). */
  maxPadding?: string;
  /** A record file: publish only to the targets it does not show holding this zip (../release/resume.ts). */
  resume?: string;
}

export interface PublishDocument {
  archive: ArchiveSummary;
  results: LayerVersionRecord[];
  /** With --attach: one record per target and function. */
  attachments?: AttachRecord[];
  /** With --dry-run --attach: what would be attached, one per target and function. */
  plannedAttachments?: PlannedAttachment[];
  /** With --public / --share-*: each grant on each target (shared, skipped where the cloud cannot, failed). */
  shares?: ShareRecord[];
  /** With --align-version: the version number every target was to hold. */
  alignedVersion?: number;
}

/** Targets resolved by the caller (copy resolves its source and targets itself); they are not closed here. */
export interface PublishPreset {
  resolved: ResolvedTargets;
  /** The targets as the caller connected them (and the Traffic its calls to them went through). */
  connected?: ConnectedTargets;
  /**
   * Each target's newest version, read by the caller before the zip was ready (publishOnce's
   * baseline: undefined when the read failed; it is made again then).
   */
  baselines?: ReadonlyMap<Target, Promise<number | undefined>>;
}

/**
 * A publish checked and packed, not yet begun: every check that can refuse it (inputs, the zip's
 * limits, staging, --align-version's padding) has passed, and nothing has been created. A config
 * run prepares every layer before the first one runs, so a later layer's mistake never stops a
 * release half way.
 */
export interface PreparedPublish {
  run(): Promise<PublishDocument>;
  /** Removes the temporary zip and stops the embedded emulator; call it however run() ended. */
  dispose(): Promise<void>;
}

/** `publish --dry-run --attach`: what would be attached where (one per target and function). */
export interface PlannedAttachment {
  provider: ProviderName;
  region: string;
  functionName: string;
  /** Tencent namespace; null elsewhere. */
  namespace: string | null;
  layerName: string;
  /** A function version would be published after the update (--publish-version, or --alias). */
  publishVersion: boolean;
  /** The alias that would be pointed at that function version; null when none is asked for. */
  alias: string | null;
}
