// layerctl versions: list a layer's versions, newest first, the same record shape as publish. With
// the config file: a layer it declares in that layer's targets, or with no name every layer of it.
import { UsageError } from "../errors.js";
import { markManyLayers } from "../output/env.js";
import { renderLayerDocument } from "../output/records.js";
import type { LayerVersionRecord } from "../providers/types.js";
import { configRun, type ConfigInput } from "../release/config-targets.js";
import type { CommandContext } from "../targets/context.js";
import { defineCommand } from "./shared/define.js";
import { readAll } from "./shared/read-layers.js";
import { failedRecord } from "../targets/failed-records.js";
import { recordsOutput, type RecordsDocument } from "./shared/records.js";
import { eachTarget } from "../targets/runner.js";
import { configOption } from "./shared/target-options.js";

export interface VersionsInput extends ConfigInput {
  /** Optional with the config file: every layer of it. */
  name?: string;
  timeout?: string;
}

export async function versionsCommand(input: VersionsInput, ctx: CommandContext): Promise<RecordsDocument<LayerVersionRecord>> {
  const name = input.name?.trim() || undefined;
  const run = await configRun(input, name, ctx);
  if (!run) {
    if (!name) throw new UsageError("no layer name given", { code: "MissingLayerName", hint: "name the layer, or run it where a config file declares the layers" });
    return readAll({ ...input, name }, ctx, (c) => c.listLayerVersions(name));
  }
  const lists = await eachTarget(
    { ...run.options, timeout: input.timeout, concurrency: input.concurrency },
    ctx,
    {},
    async ({ client, target: t }) => {
      const out: LayerVersionRecord[] = [];
      for (const layer of run.layersOf(t)) {
        try {
          out.push(...(await client.listLayerVersions(layer)));
        } catch (err) {
          out.push(failedRecord(t, layer, err));
        }
      }
      return out;
    },
    (t, err) => run.layersOf(t).map((layer) => failedRecord(t, layer, err)),
  );
  const doc = { results: lists.flat() };
  return run.allLayers ? markManyLayers(doc) : doc;
}

export default defineCommand({
  arguments: [{ name: "name", description: "layer name (with the config file: default every layer of it)", optional: true }],
  options: [configOption],
  targets: true,
  examples: [
    "layerctl versions deps --provider aliyun --region cn-shanghai",
    "layerctl versions deps -p aws --output version | head -1",
    "layerctl versions                     # every layer of layerctl.config.json, in its targets",
  ],
  run: versionsCommand,
  ...recordsOutput(renderLayerDocument),
});
