// The lifecycle commands (versions, layers, prune, share) in a folder with a config file: they
// take the file's layers and each layer's targets, as publish does (--provider / --region select
// among them). One set of targets for the run (every target of every layer, connected once), and
// for each target the layers that go there.
import { loadConfig } from "../config/load.js";
import type { CommandContext } from "../targets/context.js";
import { splitList, type Target, type TargetOptions } from "../targets/resolve.js";
import { ALL } from "../targets/all-regions.js";
import { notALayer, scopeLayers, type ConfigScope } from "./config-scope.js";

export interface ConfigRun {
  scope: ConfigScope;
  /** Every target of every layer, as --provider and provider:region --region entries. */
  options: TargetOptions;
  /** The layers of the run that go to this target. */
  layersOf(t: Target): string[];
  /** Every layer of the file (no name given): the document can hold several. */
  allLayers: boolean;
}

export interface ConfigInput extends TargetOptions {
  /** --config FILE; else the file found from cwd upwards. */
  config?: string;
  cwd?: string;
}

/**
 * The file's layers (or the one named) and their targets; null when the file has no part in the
 * run: there is none, or the layer named is not one of its layers and --provider says where to go.
 */
export async function configRun(input: ConfigInput, name: string | undefined, ctx: CommandContext): Promise<ConfigRun | null> {
  const loaded = await loadConfig({ file: input.config, cwd: input.cwd });
  if (!loaded) return null;
  if (name !== undefined && !loaded.config.layers.some((l) => l.name === name)) {
    if (splitList(input.provider).length > 0) return null;
    throw notALayer(loaded, name, "; give --provider to work on a layer the file does not declare");
  }
  const scope = scopeLayers(loaded, name === undefined ? undefined : [name], input, ctx.env);
  for (const s of scope.skipped) ctx.log.info(`${s.layerName}: skipped: ${s.reason}`);
  const all = scope.layers.flatMap((l) => l.targets);
  const options: TargetOptions = {
    ...input,
    provider: [...new Set(all.map((t) => t.provider))],
    region: [...new Set(all.map((t) => `${t.provider}:${t.region}`))],
  };
  return {
    scope,
    options,
    // A layer declared in `provider:all` goes to every region that expanded to.
    layersOf: (t) => scope.layers.filter((l) => l.targets.some((x) => x.provider === t.provider.name && (x.region === t.region || x.region === ALL))).map((l) => l.layer.name),
    allLayers: name === undefined,
  };
}
