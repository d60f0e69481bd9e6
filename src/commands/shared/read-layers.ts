// What get and versions share: read layer versions from every target, a failed target as a
// failed record.
import { UsageError } from "../../errors.js";
import type { LayerVersionRecord, ProviderClient } from "../../providers/types.js";
import type { CommandContext } from "./context.js";
import { parseConcurrency, parseTimeout } from "./options.js";
import { failedRecord, type RecordsDocument } from "./records.js";
import { callEveryTarget } from "./run-targets.js";
import { resolveTargets, type TargetOptions } from "./targets.js";

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
  const timeoutMs = parseTimeout(input.timeout);
  const concurrency = parseConcurrency(input.concurrency);
  const resolved = await resolveTargets(input, { env: ctx.env, log: ctx.log, layerName: input.name });
  const lists = await callEveryTarget(
    resolved,
    { timeoutMs, log: ctx.log, concurrency },
    (client) => read(client),
    (t, err) => [failedRecord(t, input.name, err, version)],
  );
  return { results: lists.flat() };
}
