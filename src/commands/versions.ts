// layerctl versions: list a layer's versions, newest first, the same record shape as publish.
import { renderLayerDocument } from "../output/records.js";
import type { LayerVersionRecord } from "../providers/types.js";
import type { CommandContext } from "./shared/context.js";
import { defineCommand } from "./shared/define.js";
import { readAll, type ReadInput } from "./shared/read-layers.js";
import { recordsOutput, type RecordsDocument } from "./shared/records.js";

export function versionsCommand(input: ReadInput, ctx: CommandContext): Promise<RecordsDocument<LayerVersionRecord>> {
  return readAll(input, ctx, (c) => c.listLayerVersions(input.name));
}

export default defineCommand({
  arguments: [{ name: "name", description: "layer name" }],
  targets: true,
  examples: ["layerctl versions deps --provider aliyun --region cn-shanghai", "layerctl versions deps -p aws --output version | head -1"],
  run: versionsCommand,
  ...recordsOutput(renderLayerDocument),
});
