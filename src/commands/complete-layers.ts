// The hidden helper completion scripts call: the layer names of the config found from here
// upwards, one per line; nothing (and no error) without a valid config.
import { loadConfig } from "../config/load.js";
import { defineCommand } from "./shared/define.js";

export async function configLayerNames(input: { cwd?: string } = {}): Promise<string[]> {
  try {
    return (await loadConfig({ cwd: input.cwd }))?.config.layers.map((l) => l.name) ?? [];
  } catch {
    return [];
  }
}

export default defineCommand({
  examples: ["layerctl __complete-layers"],
  run: (input: { cwd?: string }) => configLayerNames(input),
  render: (names: string[]) => names.map((n) => `${n}\n`).join(""),
});
