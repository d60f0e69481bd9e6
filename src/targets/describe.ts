// How a target is named in messages, and the command that lists a layer's versions there.
import { shellWord } from "../output/shell-word.js";
import type { Target } from "./resolve.js";

export function describeTarget(t: Target): string {
  return `${t.provider.name} ${t.region}`;
}

/**
 * `layerctl versions` for one target, pasteable as is: the provider and region always, and the
 * endpoint when the target has one (the variable that gave it may not be set where it is pasted).
 */
export function versionsCommand(t: Target, layerName: string): string {
  const endpoint = t.endpoint ? ` --endpoint ${shellWord(t.endpoint)}` : "";
  return `layerctl versions ${shellWord(layerName)} -p ${t.provider.name} -r ${shellWord(t.region)}${endpoint}`;
}
