// The contract between commands and cloud adapters. Field names of the records are public
// interface: scripts parse them from `--output json`. Change them only with a major version.
import type { Budget } from "./budget.js";
import type { ProviderName } from "./names.js";
import type { Logger } from "../output/log.js";
import type { RegionShape } from "./regions.js";
import type { RateRule, TargetTraffic } from "./traffic.js";
import type { CloudError } from "../errors.js";

export type { ProviderName };

export type RecordStatus = "published" | "unchanged" | "planned" | "failed";

export interface RecordError {
  code: string;
  message: string;
  requestId: string | null;
  /** How to fix it, when layerctl knows. */
  hint?: string;
}

/** One layer version as every provider reports it, normalized. */
export interface LayerVersionRecord {
  provider: ProviderName;
  region: string;
  layerName: string;
  /** null only for `planned` (dry run) or a failure before a version existed. */
  version: number | null;
  /** AWS/Aliyun layer version ARN; null where the provider has none (Tencent). */
  arn: string | null;
  status: RecordStatus;
  /** Provider lifecycle state as the provider spells it (Tencent `Active`, `Publishing`...); AWS/Aliyun: `Active`. */
  state: string | null;
  /** Hex SHA-256 of the zip, always hex (AWS base64 converted; computed where the provider returns another checksum). */
  codeSha256: string | null;
  codeSize: number | null;
  /** Provider-native runtime ids, as stored by the provider. */
  compatibleRuntimes: string[];
  compatibleArchitectures: string[];
  description: string | null;
  license: string | null;
  /** ISO 8601 UTC, e.g. 2026-11-23T16:31:00.000Z. */
  createdAt: string | null;
  location: string | null;
  requestId: string | null;
  /** How the zip reached the cloud (set by publish; absent on reads). */
  upload?: UploadMode;
  /** Where the zip was staged, when it went through object storage. */
  staged?: StagedRecord;
  /** publish --align-version: versions of this same zip created below `version` to reach it (padding). */
  padding?: number[];
  error?: RecordError;
}

export type UploadMode = "inline" | "storage";

/** A staged object as a publish record names it. */
export interface StagedRecord {
  bucket: string;
  key: string;
  /**
   * The object is still there after the run: --keep-staged, or a version not Active yet (Tencent
   * --no-wait: SCF still reads it), which a delete would make fail.
   */
  kept?: true;
  /** With `kept`: a command that removes it, pasteable as is (once the version is Active). */
  removeCommand?: string;
}

export interface FunctionVersionRecord {
  provider: ProviderName;
  region: string;
  functionName: string;
  /** Providers disagree on the type (Tencent string, AWS string, Aliyun string id): always a string; null on failure. */
  version: string | null;
  arn: string | null;
  description: string | null;
  requestId: string | null;
  /** On failure: what went wrong (the other targets of the run still report their results). */
  error?: RecordError;
}

/** One layer version in a function's layer list, as the function's configuration holds it. */
export interface AttachedLayer {
  layerName: string;
  version: number;
  /** The version ARN the function references (AWS, Aliyun); null where layers are name + version (Tencent). */
  arn: string | null;
}

/** A function to attach layers to. */
export interface FunctionRef {
  functionName: string;
  /** Tencent namespace; ignored where functions have none. */
  namespace?: string;
}

/** How long to wait for a function update (AWS LastUpdateStatus, Tencent Status, Aliyun lastUpdateStatus). */
export interface UpdateWaitOptions {
  waitTimeoutMs: number;
  pollIntervalMs: number;
}

/** attached / detached: the layer list was changed; unchanged: it already was so; planned: would change (--dry-run). */
export type AttachStatus = "attached" | "detached" | "unchanged" | "planned" | "failed";

/** One function after `attach` (or `publish --attach`): public interface, like the layer records. */
export interface AttachRecord {
  provider: ProviderName;
  region: string;
  functionName: string;
  /** Tencent namespace; null elsewhere. */
  namespace: string | null;
  layerName: string;
  /** The version of this layer the function used before; null if it did not use the layer. */
  previousVersion: number | null;
  /** The version attached (or that would have been); null when the layer was taken out (detach). */
  version: number | null;
  /** "attached" / "detached": the layer list was updated; "unchanged": it already was so; "planned": --dry-run. */
  status: AttachStatus;
  /** The function's layer list afterwards (or as planned, on failure), as `name:version`, in order. */
  layers: string[];
  /** The function version published after the update, or the one with these layers that was kept (--publish-version / --alias; with --dry-run, the one that would be kept, null when one would be published); null otherwise. */
  functionVersion: string | null;
  /** The alias pointed at functionVersion; null when none was asked for. */
  alias: string | null;
  requestId: string | null;
  error?: RecordError;
}

/** The zip to publish, already built and hashed. */
export interface LayerArchive {
  /** The whole zip in memory: read only when some target uploads it inline (staging streams `path`). */
  bytes?: Buffer;
  /** The zip on disk, for streaming (staging); absent for archives that only live in memory. */
  path?: string;
  /** hex */
  sha256: string;
  size: number;
}

/** A zip staged in the provider's object storage, as the layer API is told about it. */
export interface StagedObject {
  /** As the user names it (Tencent: with the -APPID suffix; the adapter strips it for the API). */
  bucket: string;
  key: string;
  /** The bucket's region (the target's). */
  region: string;
  /** CRC-64/XZ of the object, decimal, when the store reported it (FC takes it as code.checksum). */
  crc64?: string;
}

export interface StagedFile {
  path: string;
  size: number;
  /** hex */
  sha256: string;
}

/** Object storage for layers over the inline limit. The synchronous part never loads the storage SDK. */
export interface ProviderStorage {
  /** The store's name in messages: S3, COS, OSS. */
  readonly service: string;
  /** Environment variable holding --bucket entries for this provider. */
  readonly bucketVariable: string;
  /** Environment variables that override the storage endpoint, most specific first. */
  readonly endpointVariables: readonly string[];
  /** Largest zip the layer API takes from storage; null: none of its own (the unzipped limit in ProviderLimits still holds). */
  readonly maxStagedZipBytes: number | null;
  /** Where that figure comes from, for errors. */
  readonly limitNote: string;
  /** With no bucket given, the cloud lends a temporary one (Aliyun FC). */
  readonly temporaryBucket: boolean;
  /** The store's bucket names, as users type them: checked before any call. */
  readonly bucketName: { pattern: RegExp /** "an S3 bucket name" */; what: string; hint: string };
  /** Loads the storage SDK (dynamic import). No bucket: the temporary one, where there is one. */
  connect(opts: ConnectOptions, storage: { bucket?: string; endpoint?: string }): Promise<StorageClient>;
  /** The store's own CLI command that removes an object, pasteable as is (for records and messages: one left behind or kept). */
  removeCommand(obj: { bucket: string; key: string; region: string }, endpoint?: string): string;
  /** The store's own CLI command that aborts an unfinished multipart upload of `key`. */
  abortCommand(obj: { bucket: string; key: string; region: string }, uploadId: string, endpoint?: string): string;
}

export interface StageHooks {
  /** Bytes confirmed by the store so far. */
  progress?(sent: number, total: number): void;
}

export interface StorageClient {
  /** The bucket in use (the temporary one's name when none was given). */
  readonly bucket: string;
  /** Whether objects can be removed afterwards (a borrowed temporary bucket expires them itself). */
  readonly removable: boolean;
  /** The key to stage under, given ours (a temporary bucket dictates its own). */
  keyFor(preferred: string): string;
  /** Upload the file, verify what the store kept against ours; only then return the object. */
  stage(file: StagedFile, key: string, hooks?: StageHooks): Promise<StagedObject>;
  remove(obj: StagedObject): Promise<void>;
  /** The command that removes `obj` by hand (ProviderStorage.removeCommand with this client's endpoint). */
  removeCommand(obj: StagedObject): string;
}

/** What a user asks for, before any provider mapping. Runtimes are as typed by the user. */
export interface LayerSpec {
  layerName: string;
  runtimes: string[];
  architectures: string[];
  description?: string;
  license?: string;
  /** Zip size in bytes (known before upload, so limits are checked before any call). */
  size: number;
  /** What the zip unpacks to, bytes (known once packed or read); checked against maxUnzippedBytes. */
  unzippedSize?: number;
}

/** The normalized publish request an adapter maps onto its cloud's API. Runtimes are already provider-native. */
export interface PublishLayerRequest {
  layerName: string;
  archive: LayerArchive;
  /** Publish from this staged object instead of sending the zip inline. */
  staged?: StagedObject;
  runtimes: string[];
  architectures: string[];
  description?: string;
  license?: string;
}

export interface PublishOptions {
  /** Tencent publishes asynchronously: wait until the version leaves `Publishing`. */
  wait: boolean;
  /** Overall budget for waiting, ms. */
  waitTimeoutMs: number;
  /** Delay between polls, ms. */
  pollIntervalMs: number;
}

export interface PublishFunctionRequest {
  functionName: string;
  description?: string;
  /** Tencent namespace; Aliyun/AWS: not applicable (adapter warns). */
  namespace?: string;
}

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ConnectOptions {
  region: string;
  /** Full http(s)://host:port URL; undefined means the provider's public endpoint. */
  endpoint?: string;
  /** What resolveCredentials returned. */
  credentials: ResolvedCredentials;
  /** Per HTTP request timeout (connect + upload + response), ms. */
  requestTimeoutMs: number;
  retry: RetryPolicy;
  /** The target's time budget (../providers/budget.ts); none: attempts are bounded by `retry` alone. A client works under another with within(). */
  budget?: Budget;
  log: Logger;
  /** Pacing and the upload budget, shared by every target of the run; none: calls go at once. */
  traffic?: TargetTraffic;
}

/** Provider-specific credential bag; only the adapter reads inside it. */
export interface ResolvedCredentials {
  /** Where they came from, for messages ("environment", "profile default"...). Never the values. */
  source: string;
  [key: string]: unknown;
}

/** What a run asks of one provider's credentials (see Provider.resolveCredentials). */
export interface CredentialOptions {
  /** --profile for this provider: its own entry (`aws:prod`), or the one name given for all. */
  profile?: string;
  /** --role-arn for this provider: assume that role with the resolved keys (STS AssumeRole). */
  roleArn?: string;
  /**
   * A dry run: decide the source and read its files, but call no STS and look nothing up (the
   * exchange is described, not made).
   */
  offline?: boolean;
}

export interface RuntimeEntry {
  /** The id the provider's API takes and returns. */
  native: string;
  /** Canonical spellings users may type for it (e.g. `nodejs20`, `nodejs20.x`). */
  aliases: string[];
  /** What functions of this runtime run on, for the layer contents check and `layerctl build`. */
  platform?: RuntimePlatform;
}

/** A runtime's OS, C library and language, each with where the fact comes from (shown in findings). */
export interface RuntimePlatform {
  /** "Amazon Linux 2", "CentOS 7", "Debian 10". */
  os: string;
  /** The glibc the OS ships ("2.26"): a binary needing a newer GLIBC_ symbol version does not load. */
  glibc: string;
  /** The newest GLIBCXX_ version of the OS's libstdc++ ("3.4.24"), when known. */
  libstdcxx?: string;
  /** documented: the cloud names the OS for this runtime; inferred: the OS is documented for the cloud, not per runtime; unconfirmed: neither. */
  evidence: "documented" | "inferred" | "unconfirmed";
  /** Where it comes from, in a few words. */
  source: string;
  /** CPython version ("3.10"), for Python runtimes. */
  python?: string;
  /** Node.js major and the Node-API version every release of it the cloud may run has, for Node.js runtimes. */
  node?: { major: number; napi?: number };
}

export type Architecture = "x86_64" | "arm64";

/** What functions of a cloud run on and where built packages go: the check's and `layerctl build`'s facts. */
export interface ProviderContents {
  /** The CPU architectures functions run on. */
  architectures: readonly Architecture[];
  /** What a layer is checked and built for when no --arch is given, and why (said in findings). */
  defaultArchitecture: { arch: Architecture; why: string };
  /** Where `layerctl build` puts packages in the zip, per ecosystem ("" is the zip root). */
  installPaths: { python: string; node: string };
}

export interface ProviderLimits {
  /** Describes the naming rule in words, for errors and `layerctl providers`. */
  layerNameRule: string;
  layerNamePattern: RegExp;
  layerNameMaxLength: number;
  /** Largest zip we upload inline, bytes. */
  maxZipBytes: number;
  /** Where that figure comes from, when the provider's sources disagree: shown in errors and `layerctl providers`. */
  maxZipNote?: string;
  /** Largest unzipped size one layer may have, bytes; null where the provider documents none. */
  maxUnzippedBytes: number | null;
  /** Where that figure comes from. */
  maxUnzippedNote?: string;
  maxRuntimes: number;
  /** null: the provider has no architectures (a given known --arch is a warning; an unknown one is an error). */
  architectures: string[] | null;
  maxArchitectures: number;
  maxDescriptionLength: number;
  maxLicenseLength: number;
  /** Layers one function (version) may reference: checked before any update. */
  maxLayersPerFunction: number;
  /** Versions kept per layer, if capped. */
  maxVersionsPerLayer: number | null;
  /** Layers one region may hold, if capped (a new layer name past it is refused). */
  maxLayersPerRegion: number | null;
  /** The documented request rate layerctl paces below; null where none is documented. */
  requestRate: RateRule | null;
}

/**
 * Everything layerctl knows about one cloud. The synchronous part (validation, runtimes,
 * limits) never loads the SDK; connect() imports it lazily.
 */
export interface Provider {
  readonly name: ProviderName;
  readonly title: string;
  readonly defaultRegion: string;
  /** The regions layerctl knows (completion, `layerctl providers`); others of `regionShape` are accepted with a warning. */
  readonly regions: readonly string[];
  /** What any region id of this provider looks like (src/providers/regions.ts checks both). */
  readonly regionShape: RegionShape;
  readonly runtimes: readonly RuntimeEntry[];
  readonly limits: ProviderLimits;
  /** Environment variables read for credentials, in this order: key id, secret, session token, then any others. */
  readonly credentialVariables: readonly string[];
  /** Those whose values are secret: masked in every output (src/output/redact.ts). */
  readonly secretVariables: readonly string[];
  /** Environment variables that override the endpoint, most specific first. */
  readonly endpointVariables: readonly string[];
  /** Environment variables naming the default region, most specific first (else defaultRegion). */
  readonly regionVariables: readonly string[];
  /** Does this provider have a function namespace / ARN etc. Capabilities are data, not if-chains. */
  readonly features: ProviderFeatures;
  /** Staging big layers in the provider's object storage. */
  readonly storage: ProviderStorage;
  /** Architectures, default architecture and package folders: the layer contents check and `layerctl build`. */
  readonly contents: ProviderContents;

  /** Map user-typed runtime ids to native ones; UsageError listing what exists if one is unknown. */
  resolveRuntimes(ids: string[]): string[];
  /** Check name, counts, sizes, lengths before any call. Throws UsageError; returns warnings. */
  validateLayer(spec: LayerSpec): string[];
  /** A layer name that only works in some regions (an AWS layer ARN names its region): UsageError for another. */
  checkLayerRegion?(layerName: string, region: string): void;
  /** Warn when the zip's names one and two levels deep (topLevel + secondLevel) do not match where this runtime looks (null: fine). */
  layoutWarning(paths: string[], nativeRuntimes: string[]): string | null;
  /** How a role ARN is written on this cloud: a plain --role-arn goes to the provider whose shape it has. */
  readonly roleArn: { pattern: RegExp; example: string };
  /**
   * From the places the cloud's own CLI and SDK read, in their order (about.ts `credentialOrder`),
   * then the role of opts.roleArn assumed with them. Every secret is registered with redact()
   * before this returns. An exchange (STS) is made here, once for the run, unless opts.offline;
   * the keys it gives are refreshed by the bag itself. UsageError (code MissingCredentials)
   * naming the variables and files when there are none.
   */
  resolveCredentials(env: NodeJS.ProcessEnv, opts: CredentialOptions): Promise<ResolvedCredentials>;
  /** The region the profile in effect names, used when neither --region nor a region variable gives one. */
  profileRegion?(env: NodeJS.ProcessEnv, opts: { profile?: string }): Promise<string | undefined>;
  /** Loads the SDK (dynamic import) and returns a client bound to one region. */
  connect(opts: ConnectOptions): Promise<ProviderClient>;
  /**
   * The regions the account may use, asked of the cloud in opts.region (`--region <provider>:all`):
   * AWS Account ListRegions, Tencent DescribeRegions (Product scf), FC 3.0 DescribeRegions.
   */
  listRegions(opts: ConnectOptions): Promise<RegionListing>;
  /**
   * Regions that need credentials of their own (an AWS partition: aws-cn, aws-us-gov, each with
   * its own accounts) name that scope; undefined: the provider's usual credentials serve it.
   */
  credentialScope?(region: string): string | undefined;
}

export interface ProviderFeatures {
  /** Publishing is asynchronous (poll until active). */
  asyncPublish: boolean;
  /** Function versions take a namespace. */
  functionNamespaces: boolean;
  /** Deleting a version is asynchronous (poll until it leaves `Deleting`). */
  asyncDelete: boolean;
  /** Functions have aliases that point at published versions (and are listed as users of a layer version). */
  functionAliases: boolean;
  /** How layers are shared, or why they cannot be (see src/commands/share.ts). */
  sharing: SharingFeature;
}

/** What one grant covers on this cloud, and who can be named; `unsupported` says why there is no sharing at all. */
export type SharingFeature =
  | {
      /** One grant covers one version (AWS) or every version of the layer (Aliyun). */
      scope: "version" | "layer";
      public: boolean;
      /** How an account id is written (null: accounts cannot be named). */
      account: GranteeRule | null;
      organization: GranteeRule | null;
    }
  | { scope: "none"; unsupported: string };

export interface GranteeRule {
  pattern: RegExp;
  /** In words, for the usage error. */
  rule: string;
}

export type GranteeKind = "public" | "account" | "organization";

/** Who a layer is shared with: everyone, one account, or every account of an organization. */
export interface Grantee {
  kind: GranteeKind;
  /** Account id or organization id; absent for `public`. */
  id?: string;
}

export interface ShareRequest {
  layerName: string;
  version: number;
  grantee: Grantee;
  /** Take the grant away instead of giving it. */
  revoke: boolean;
}

export interface ShareOutcome {
  /** The provider's id for the grant (AWS statement id), null where grants have none. */
  statementId: string | null;
  /** false: it already was so (a re-run); null: the provider cannot tell. */
  changed: boolean | null;
  requestId: string | null;
}

export interface DeleteOptions {
  /** Wait until an asynchronous delete (Tencent) ends. */
  wait: boolean;
  waitTimeoutMs: number;
  pollIntervalMs: number;
  /** The version was just listed: skip the existence check a provider needs when its delete answers success for a missing version. */
  listed?: boolean;
}

export interface DeleteOutcome {
  /** `absent`: there was no such version (nothing was deleted). */
  outcome: "deleted" | "absent";
  /** Last lifecycle state seen (Tencent `Deleted`), null where deletes are synchronous. */
  state: string | null;
  requestId: string | null;
}

/** One function configuration that references a version of a layer. */
export interface LayerReference {
  version: number;
  /** The layer version ARN as the function holds it, where the provider has ARNs. */
  arn: string | null;
  functionName: string;
  /** Tencent namespace; null elsewhere. */
  namespace: string | null;
  /** `$LATEST` (or the provider's word for the current configuration), a version, or `alias NAME`. */
  qualifier: string;
}

/**
 * What a look after an unknown outcome found: the thing, its certain absence (the call had no
 * effect), or why it cannot tell (then "may exist", with a command to check; never a repeat).
 */
export type Lookup<T> = { found: T } | { absent: true } | { undecided: string };

export interface ProviderClient {
  /** Updating functions: their layer lists and aliases. */
  readonly functions: FunctionUpdater;
  /** The same client with its calls under this budget (a target's, or a lookup's own); this client is left as it is. */
  within(budget: Budget): ProviderClient;
  /**
   * After a publish whose outcome is unknown: the one version newer than `after` holding exactly
   * this zip, runtimes and architectures, told by what the cloud reports (checksums and sizes,
   * never a download). Throws when the versions cannot be read.
   */
  findPublished(req: PublishLayerRequest, after: number): Promise<Lookup<LayerVersionRecord>>;
  publishLayer(req: PublishLayerRequest, opts: PublishOptions): Promise<LayerVersionRecord>;
  getLayerVersion(layerName: string, version: number): Promise<LayerVersionRecord>;
  /** Newest first. */
  listLayerVersions(layerName: string): Promise<LayerVersionRecord[]>;
  /**
   * The newest version if its content equals this archive (for --skip-unchanged), else null. With
   * opts.wait, a version still publishing asynchronously is waited for as publishLayer would.
   */
  findUnchanged(req: PublishLayerRequest, opts?: PublishOptions): Promise<LayerVersionRecord | null>;
  publishFunctionVersion(req: PublishFunctionRequest): Promise<FunctionVersionRecord>;
  /** Every layer of the region (all pages), each as its newest version. */
  listLayers(): Promise<LayerVersionRecord[]>;
  deleteLayerVersion(layerName: string, version: number, opts: DeleteOptions): Promise<DeleteOutcome>;
  /** Every reference to a version of this layer from the region's functions: current configurations, published versions, aliases, every namespace. */
  layerReferences(layerName: string): Promise<LayerReference[]>;
  /** Grant or revoke access to a layer version (or, where sharing is per layer, the whole layer). */
  shareLayer(req: ShareRequest): Promise<ShareOutcome>;
  /** The newest version, its digest and the version count, for fleet planning (no download). */
  layerHead(layerName: string): Promise<LayerHead>;
  /** A version's download link and the cloud's checksum of it (copy, download). */
  layerContent(layerName: string, version: number): Promise<LayerContent>;
}

/** A function's layer list as one well-formed read gave it, with what an update can be conditioned on. */
export interface FunctionLayers {
  layers: AttachedLayer[];
  /** The configuration's revision (AWS RevisionId): an update names it and fails if another landed since; null where the cloud has none. */
  revision: string | null;
}

/** One published version of a function, as its version listing gives it. */
export interface FunctionVersionItem {
  version: string;
  description: string | null;
}

/**
 * What a cloud says a stored zip is: a SHA-256 (hex) where it reports one (AWS, Tencent), else a
 * CRC-64/XZ (decimal) and the size (Aliyun FC). Compared with a local zip by ../providers/content.ts.
 */
export interface ContentDigest {
  sha256?: string;
  crc64?: string;
  size?: number;
}

/** A layer's newest version in one region, read with as few calls as the cloud allows (align, status, resume). */
export interface LayerHead {
  /** The highest version number listed, in any state; 0 when the layer has none. A publish gets a higher number. */
  highest: number;
  /** The newest version that is or will be usable (not failed, not being deleted); null when there is none. */
  newest: LayerVersionRecord | null;
  /** What the newest version's zip is, as the cloud reports it; null when there is no newest version. */
  digest: ContentDigest | null;
  /** Versions counting toward the cloud's per-layer cap (limits.maxVersionsPerLayer); null where there is no cap. */
  versionCount: number | null;
}

/** Where a version's zip can be downloaded, and what the cloud says the zip is. */
export interface LayerContent {
  /** The version as `get` reports it (runtimes, description, license...), its checksum not computed by download. */
  record: LayerVersionRecord;
  /** A short-lived link to the zip (AWS Content.Location, Tencent Location, Aliyun code.location). */
  location: string;
  /** What the cloud reports of the stored zip: the download is checked against it. */
  digest: ContentDigest;
}

/** The regions an account may use, asked of the cloud; `denied` when the caller may not ask (the caller falls back to layerctl's list). */
export type RegionListing = { regions: string[]; requestId: string | null } | { denied: CloudError };

/** The update side of a cloud's functions (attach). */
export interface FunctionUpdater {
  /** The function's layer list ($LATEST), in order, from a well-formed read. Waits first if an update is still in progress. */
  getLayers(fn: FunctionRef, opts: UpdateWaitOptions): Promise<FunctionLayers>;
  /**
   * Replace the function's whole layer list (in this order), conditioned on `expected` where the
   * cloud can (a lost race is a CloudError `ConcurrentUpdate`), wait until the update has finished
   * and return the list read back then. The call is not repeated after an unknown outcome: the
   * caller looks at the function instead.
   */
  setLayers(fn: FunctionRef, layers: AttachedLayer[], opts: UpdateWaitOptions, expected: FunctionLayers): Promise<{ requestId: string | null; layers: AttachedLayer[] }>;
  /**
   * Point an alias at a function version: updated if it exists, else created. Where publishing a
   * function version is asynchronous (Tencent Publishing, AWS State Pending), waits first until
   * the version is Active, within opts. Never repeated after an unknown outcome: see aliasVersion.
   */
  pointAlias(fn: FunctionRef, alias: string, version: string, opts: UpdateWaitOptions): Promise<{ created: boolean; requestId: string | null }>;
  /** As getLayers, but null when the function does not exist (the check before `publish --attach` creates anything). */
  findLayers(fn: FunctionRef, opts: UpdateWaitOptions): Promise<AttachedLayer[] | null>;
  /** The function version an alias points at; null when there is no such alias. */
  aliasVersion(fn: FunctionRef, alias: string): Promise<string | null>;
  /** The function's published versions ($LATEST excluded), newest first, every page; throws when they cannot be read. */
  listVersions(fn: FunctionRef): Promise<FunctionVersionItem[]>;
  /** The layer list of one published version, in order. */
  versionLayers(fn: FunctionRef, version: string): Promise<AttachedLayer[]>;
  /** A command listing the function's versions, pasteable as is (the cloud's own CLI): what to check after an unknown outcome. */
  versionsCommand(fn: FunctionRef): string;
}
