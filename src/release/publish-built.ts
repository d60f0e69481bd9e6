// A configured layer with a `build` key: its tree is built for each provider (src/build/) and
// each provider's tree is published to that provider's targets, through the same pack (and
// contents check) as any folder.
import path from "node:path";
import { buildLayer, type BuildDocument } from "../build/index.js";
import { buildInput } from "../build/inputs.js";
import type { Ecosystem } from "../build/plan.js";
import type { CommandContext } from "../targets/context.js";
import { selectProviders, splitList } from "../targets/resolve.js";
import type { PublishInput } from "./publish.js";
import { displayPath, settingPath, type EffectiveLayer, type LoadedConfig } from "../config/load.js";
import { valuesFor } from "../config/per-provider.js";
import { UsageError } from "../errors.js";
import type { Provider } from "../providers/types.js";
import { entriesFor, prepareEach, type PreparedMulti, type PrepareOne } from "./publish-groups.js";
import { bucketsFor } from "./staging.js";

export interface LayerBuild {
  ecosystem: Ecosystem;
  /** The requirements file or package.json, absolute. */
  file: string;
  /** How the config names it, for messages: `layerctl.config.json: layers[0].build.python (requirements.txt)`. */
  shown: string;
  /** Where builds and trees are kept: .layerctl/build/<layer>/ beside the config file. */
  outDir: string;
  /** Everything checkable before the first layer is published. */
  check(input: PublishInput): void;
}

/** The build a configured layer declares (its `build` key), read relative to the config file. */
export function layerBuild(l: EffectiveLayer, loaded: LoadedConfig): LayerBuild | undefined {
  if (!l.build) return undefined;
  const ecosystem: Ecosystem = "python" in l.build ? "python" : "node";
  const rel = "python" in l.build ? l.build.python : l.build.node;
  const file = path.resolve(loaded.dir, rel);
  const shown = `${displayPath(loaded.file)}: ${settingPath(l, "build", ecosystem)} (${rel})`;
  return {
    ecosystem,
    file,
    shown,
    outDir: buildDir(loaded.dir, l.name),
    check(input) {
      if (input.prefix !== undefined)
        throw new UsageError(`--prefix has no use with layer ${l.name}: its build lays packages out where each provider looks`, { code: "ConflictingOptions" });
      buildInput(ecosystem, file, shown);
    },
  };
}

/** Where a configured layer's builds live unless -o says otherwise. */
export function buildDir(configDir: string, layer: string): string {
  return path.join(configDir, ".layerctl", "build", layer);
}

/** Each provider's runtimes, as publish resolves them. */
export function providerRuntimes(input: Pick<PublishInput, "provider" | "runtime">): Map<Provider, string[]> {
  const runtimes = splitList(input.runtime);
  return new Map(selectProviders(input.provider).map((p) => [p, p.resolveRuntimes(valuesFor(p.name, runtimes))]));
}

export async function runBuild(input: PublishInput, build: LayerBuild, ctx: CommandContext, outDir = build.outDir): Promise<BuildDocument> {
  return buildLayer({
    layer: input.name ?? path.basename(build.file),
    input: buildInput(build.ecosystem, build.file, build.shown),
    providers: providerRuntimes(input),
    architectures: splitList(input.arch),
    outDir,
    env: ctx.env,
    log: ctx.log,
    progress: ctx.progress,
  });
}

/** The layer is built, then each provider's tree checked and packed, before anything is published (see PreparedPublish). */
export async function prepareBuilt(input: PublishInput, build: LayerBuild, ctx: CommandContext, prepareOne: PrepareOne): Promise<PreparedMulti> {
  const built = await runBuild(input, build, ctx);
  if (built.trees.length > 1 && input.out) {
    throw new UsageError(`--out keeps one zip, but layer ${input.name} is built into one tree per provider (${built.trees.map((t) => t.provider).join(", ")})`, {
      code: "ConflictingOptions",
      hint: "drop --out, or publish one provider at a time (-p)",
    });
  }
  return prepareEach(built.trees, (tree) => {
    const names = [tree.provider];
    return prepareOne(
      { ...input, source: tree.dir, provider: names, region: entriesFor(input.region, names), buckets: input.buckets && bucketsFor(input.buckets, names), prefix: undefined },
      ctx,
    );
  });
}
