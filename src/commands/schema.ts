// layerctl schema config|output: JSON Schemas generated from the zod schemas that validate the
// config file and describe the --output json documents and the record file.
import { UsageError } from "../errors.js";
import { defineCommand } from "./shared/define.js";

export const SCHEMA_KINDS = ["config", "output"] as const;

export async function schemaCommand({ kind }: { kind: string }): Promise<Record<string, unknown>> {
  if (kind === "config") return (await import("../config/schema.js")).configJsonSchema();
  if (kind === "output") return (await import("../record/output-schema.js")).outputJsonSchema();
  throw new UsageError(`unknown schema "${kind}"`, { code: "UnknownSchema", hint: `use one of: ${SCHEMA_KINDS.join(", ")}` });
}

export default defineCommand({
  arguments: [{ name: "kind", description: "config, or output (the --output json documents and the record file)", choices: SCHEMA_KINDS }],
  examples: ["layerctl schema config > layerctl.schema.json", "layerctl schema output | jq '.$defs.recordFile'"],
  run: schemaCommand,
  render: (doc: Record<string, unknown>) => `${JSON.stringify(doc, null, 2)}\n`,
});
