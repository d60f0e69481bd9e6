// What the shared conformance suite needs to know about one provider, as data. A provider gets
// every conformance scenario by adding its profile to the list in ./profiles.ts.
import type { ProviderName } from "../../src/providers/names.js";
import type { RunningEmulator } from "../../src/emulator/index.js";

export interface ConformanceProfile {
  provider: ProviderName;
  region: string;
  /** Canonical runtime ids that this provider has (user spelling), and what the provider stores for them. */
  runtimes: { canonical: string[]; native: string[] };
  /** A runtime id this provider does not have. */
  unknownRuntime: string;
  /** A layer name this provider rejects. */
  invalidLayerName: string;
  /** Provider error codes the adapter must surface unchanged. */
  codes: {
    layerVersionNotFound: string;
    functionNotFound: string;
    /** Wrong secret (signature mismatch). */
    badSignature: string;
    /** Unknown access key id. */
    unknownKey: string;
    throttled: string;
    serverError: string;
  };
  /** The API action that creates a layer version, as the emulator's faults name it. */
  publishLayerAction: string;
  /** The other actions as the emulator's faults name them (test/conformance/untrusted.test.ts). */
  actions: {
    /** Every read of prune's in-use scan. */
    scan: string[];
    /** Publishing a function version. */
    publishVersion: string;
    /** Listing a function's versions. */
    listFunctionVersions: string;
    /** Replacing a function's layer list. */
    updateLayers: string;
    createAlias: string;
  };
  /**
   * The references do not say whether the cloud sends an empty layer list for a function without
   * layers: an absent list is confirmed by a second read (and, for the current configuration, by
   * the function's entry in ListFunctions), so one lost list is caught; a list lost from every read
   * of a published version is not (it reads as none).
   */
  functionLayersMayBeOmitted: boolean;
  /** Regex the version ARN must match for version N of layer L in region R; null: no ARNs. */
  arnPattern: ((layer: string, version: number, region: string) => RegExp) | null;
  /**
   * Whether publishing a function version with nothing changed since the last one returns that
   * last version instead of a new one (AWS documents this for PublishVersion).
   */
  unchangedFunctionKeepsVersion: boolean;
  /** Staging in the provider's object store (test/conformance/storage.test.ts). */
  storage: {
    /** A bucket name as users type it; the suite creates it in `region`. */
    bucket: string;
    /** The same kind of name for a bucket the suite creates in `otherRegion`. */
    otherBucket: string;
    otherRegion: string;
    codes: {
      /** The store's code for a bucket that does not exist. */
      noSuchBucket: string;
      /** The store's code for a bucket of another region than the target's. */
      wrongRegion: string;
      /** The layer API's code when the staged object is gone. */
      stagedMissing: string;
    };
  };
  /**
   * A layer version ARN of another account in `region` (a public layer) that functions may use;
   * null where functions reference layers by name and version of the account's own (Tencent).
   */
  foreignLayerArn: ((region: string) => string) | null;
  /** Function seeded into the emulator for publishFunctionVersion. */
  functionName: string;
  namespace?: string;
  /** Page sizes the adapter asks for: the lifecycle scenarios make one more than a page. null: the API does not page. */
  pages: { layers: number; versions: number | null };
  /**
   * Who can use a layer version, read back through the provider's own API (share scenarios):
   * `public`, `account ID`, `organization ID`. null: the provider has no sharing.
   */
  grants: ((emu: RunningEmulator, region: string, layer: string, version: number) => Promise<string[]>) | null;
  /** The provider's action that shares a layer (faults target it); null: no sharing. */
  shareAction: string | null;
  /** Fleet scenarios (test/conformance/fleet.test.ts). */
  fleet: {
    /** The region-listing action (`--region <provider>:all`), as the emulator's faults name it. */
    listRegionsAction: string;
    /** Three regions of the provider, `region` first; the emulator's account enables these only. */
    regions: [string, string, string];
    /** A runtime (as users type it) every provider has, for copies across clouds. */
    sharedRuntime: string;
  };
  /** One runtime of each family the contents check judges (test/conformance/contents.test.ts), as users type them. */
  contents: { python: string; node: string; custom: string };
  /** Credential sources (test/conformance/credentials.test.ts). */
  credentials: CredentialConformance;
}

/** What the credential scenarios need to know of one cloud: where its CLI keeps profiles, its OIDC variables, its STS. */
export interface CredentialConformance {
  /** Writes profile `name` with these keys where the cloud's CLI keeps it, under `home`; returns variables it needs besides HOME. */
  writeProfile(home: string, name: string, keys: { id: string; secret: string; token?: string }): Promise<Record<string, string>>;
  /** The variables that make layerctl exchange an OIDC token file for a role at STS. */
  oidcVariables(tokenFile: string, roleArn: string): Record<string, string>;
  /** A role ARN in another account than the emulator's own (a cross-account target). */
  roleArn: string;
  /** That account, as the cloud's caller identity names it. */
  roleAccount: string;
  /** The emulator's STS actions (as faults name them). */
  sts: { assumeRole: string; oidc: string };
  /** The layer API's code for a session token that has expired. */
  expiredCode: string;
}
