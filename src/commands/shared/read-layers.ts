// What get and versions share: read layer versions from every target, a failed target as a
// failed record.
import { UsageError } from "../../errors.js";
import type { LayerVersionRecord } from "../../providers/types.js";
import type { CommandContext } from "./context.js";
import { Traffic } from "../../providers/traffic.js";
import { parseConcurrency, parseTimeout } from "./options.js";
import { failedRecord, type RecordsDocument } from "./records.js";
import { connectTarget, mapTargets } from "./run-targets.js";
import { resolveTargets, type TargetOptions } from "./targets.js";

export interface ReadInput extends TargetOptions {
  name: string;
  timeout?: string;
}

/** One failed target does not hide the others: it becomes a failed record (the CLI exits 1). */
export async function readAll(
  input: ReadInput,
  ctx: CommandContext,
  read: (c: Awaited<ReturnType<typeof connectTarget>>) => Promise<LayerVersionRecord[]>,
  version: number | null = null,
): Promise<RecordsDocument<LayerVersionRecord>> {
  if (!input.name?.trim()) throw new UsageError("no layer name given", { code: "MissingLayerName" });
  const timeoutMs = parseTimeout(input.timeout);
  const concurrency = parseConcurrency(input.concurrency);
  const { targets, close, note } = await resolveTargets(input, { env: ctx.env, log: ctx.log, layerName: input.name });
  try {
    // Connecting is local: a mistake there is a usage error for the whole run.
    const traffic = new Traffic();
    const clients = await Promise.all(targets.map((t) => connectTarget(t, { timeoutMs, log: ctx.log, traffic })));
    if (note) ctx.log.info(note);
    const lists = await mapTargets(
      targets,
      async (t, i) => {
        try {
          return await read(clients[i]!);
        } catch (err) {
          return [failedRecord(t, input.name, err, version)];
        }
      },
      concurrency,
    );
    return { results: lists.flat() };
  } finally {
    await close();
  }
}
