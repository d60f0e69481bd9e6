// layerctl get: read one layer version back, the same record shape as publish.
import { renderLayerDocument } from "../output/records.js";
import type { LayerVersionRecord } from "../providers/types.js";
import type { CommandContext } from "../targets/context.js";
import { defineCommand } from "./shared/define.js";
import { parseVersion } from "../release/layer-version.js";
import { readAll, type ReadInput } from "./shared/read-layers.js";
import { recordsOutput, type RecordsDocument } from "./shared/records.js";

export function getCommand(input: ReadInput & { version: string }, ctx: CommandContext): Promise<RecordsDocument<LayerVersionRecord>> {
  const version = parseVersion(input.version);
  return readAll(input, ctx, async (c) => [await c.getLayerVersion(input.name, version)], version);
}

export default defineCommand({
  arguments: [
    { name: "name", description: "layer name" },
    { name: "version", description: "version number" },
  ],
  targets: true,
  examples: ["layerctl get deps 3 --provider tencent --region ap-shanghai", "layerctl get deps 3 -p aws --output json | jq -r '.results[0].location'"],
  run: getCommand,
  ...recordsOutput(renderLayerDocument),
});
