// What get and versions share: read layer versions from every target, a failed target as a
// failed record.
import { UsageError } from "../../errors.js";
import type { LayerVersionRecord, ProviderClient } from "../../providers/types.js";
import type { CommandContext } from "../../targets/context.js";
import { failedRecord } from "../../targets/failed-records.js";
import type { RecordsDocument } from "./records.js";
import { eachTarget } from "../../targets/runner.js";
import type { TargetOptions } from "../../targets/resolve.js";

export interface ReadInput extends TargetOptions {
  name: string;
  timeout?: string;
}

/** One failed target does not hide the others: it becomes a failed record (the CLI exits 1). */
export async function readAll(
  input: ReadInput,
  ctx: CommandContext,
  read: (c: ProviderClient) => Promise<LayerVersionRecord[]>,
  version: number | null = null,
): Promise<RecordsDocument<LayerVersionRecord>> {
  if (!input.name?.trim()) throw new UsageError("no layer name given", { code: "MissingLayerName" });
  const lists = await eachTarget(
    input,
    ctx,
    { layerName: input.name },
    ({ client }) => read(client),
    (t, err) => [failedRecord(t, input.name, err, version)],
  );
  return { results: lists.flat() };
}
