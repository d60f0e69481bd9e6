// Step 1 of a publish: every check that needs neither the zip nor a call, for every provider,
// before anything else (an embedded emulator included: a typo must not start a server and print about it).
import { stat } from "node:fs/promises";
import path from "node:path";
import { parseSymlinkMode, checkZipOut } from "../archive/options.js";
import type { SymlinkMode } from "../archive/types.js";
import { valuesFor } from "../config/per-provider.js";
import { UsageError } from "../errors.js";
import type { Provider } from "../providers/types.js";
import { selectProviders, splitList } from "../targets/resolve.js";
import { runSettings, type RunSettings } from "../targets/runner.js";
import type { AttachOptions } from "./attach-functions.js";
import { attachOptionsFrom } from "./attach-options.js";
import { parseMaxPadding } from "./publish-fleet.js";
import type { PublishInput } from "./publish-input.js";
import { PUBLISH_SHARE_FLAGS, planGrants, type GrantPlan } from "./sharing.js";
import { parseStaging, type StagingOptions } from "./staging.js";

/** A publish's input, checked: what every later step reads instead of the input as typed. */
export interface CheckedPublish {
  input: PublishInput;
  layerName: string;
  settings: RunSettings;
  symlinks: SymlinkMode;
  maxPadding: number;
  architectures: string[];
  /** The source, absolute, and what it is. */
  source: string;
  kind: "dir" | "zip";
  /** --attach, checked; undefined without it. */
  attach?: AttachOptions;
  /** Each selected provider with its native runtime ids. */
  providers: Map<Provider, string[]>;
  grants: GrantPlan;
  /** --upload, --bucket (parsed once per run by publish-config.ts, checked here against these providers), --storage-endpoint, --keep-staged. */
  staging: StagingOptions;
}

export async function validatePublish(input: PublishInput, env: NodeJS.ProcessEnv): Promise<CheckedPublish> {
  const layerName = input.name?.trim();
  if (!layerName) throw new UsageError("no layer name given", { code: "MissingLayerName", hint: "pass --name <layer>" });
  const settings = runSettings(input);
  const symlinks = parseSymlinkMode(input.symlinks);
  const maxPadding = parseMaxPadding(input.maxPadding, input.alignVersion);
  const architectures = splitList(input.arch);
  const source = path.resolve(input.source);
  const kind = await sourceKind(source, input.source);
  if (kind === "zip" && (input.prefix || input.exclude?.length || input.out || symlinks !== "keep")) {
    throw new UsageError("--prefix, --exclude, --symlinks and --out apply to directories; a .zip is published as it is", { code: "ConflictingOptions" });
  }
  if (input.out !== undefined) checkZipOut(input.out);
  const attach = attachOf(input);
  const providers = runtimesOf(input, layerName, architectures);
  const grants = planGrants(
    { public: input.public, account: input.shareAccount, organization: input.shareOrganization },
    [...providers.keys()],
    PUBLISH_SHARE_FLAGS,
    !input.shareWhereCan,
  );
  const staging = parseStaging(input, env, [...providers.keys()]);
  return { input, layerName, settings, symlinks, maxPadding, architectures, source, kind, attach, providers, grants, staging };
}

/** --attach, checked (it is repeatable, so it arrives as [] when not given). */
function attachOf(input: PublishInput): AttachOptions | undefined {
  const attach = splitList(input.attach).length > 0 ? attachOptionsFrom({ ...input, function: input.attach }) : undefined;
  if (attach && input.wait === false) {
    throw new UsageError("--attach needs the published version to be ready: drop --no-wait", { code: "ConflictingOptions" });
  }
  return attach;
}

/** Each provider's runtimes, and the layer checked against its limits as far as it can be without the zip. */
function runtimesOf(input: PublishInput, layerName: string, architectures: string[]): Map<Provider, string[]> {
  const userRuntimes = splitList(input.runtime);
  const providers = new Map<Provider, string[]>();
  for (const provider of selectProviders(input.provider)) {
    // `--runtime aws:python3.11,aliyun:python3.10`: each provider's own entries, else the plain ones.
    const runtimes = provider.resolveRuntimes(valuesFor(provider.name, userRuntimes));
    provider.validateLayer({ layerName, runtimes, architectures, description: input.description, license: input.license, size: 0 });
    providers.set(provider, runtimes);
  }
  return providers;
}

/** What the source is: a directory to pack, or a .zip to publish as it is. */
export async function sourceKind(source: string, given: string): Promise<"dir" | "zip"> {
  const st = await stat(source).catch(() => null);
  if (!st) throw new UsageError(`${given} does not exist`, { code: "MissingSource", hint: "give a layer directory or a .zip file" });
  if (st.isDirectory()) return "dir";
  if (st.isFile() && source.toLowerCase().endsWith(".zip")) return "zip";
  throw new UsageError(`${given} is neither a directory nor a .zip file`, { code: "InvalidSource", hint: "give a layer directory or a .zip file" });
}
