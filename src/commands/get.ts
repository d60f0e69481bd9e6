// layerctl get / layerctl versions: read layer versions back, same record shape as publish.
import { UsageError } from "../errors.js";
import type { LayerVersionRecord } from "../providers/types.js";
import type { CommandContext } from "./shared/context.js";
import { parseTimeout } from "./shared/options.js";
import { failedRecord, type RecordsDocument } from "./shared/records.js";
import { connectTarget, mapTargets } from "./shared/run-targets.js";
import { resolveTargets, type TargetOptions } from "./shared/targets.js";

export interface ReadInput extends TargetOptions {
  name: string;
  timeout?: string;
}

export function parseVersion(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`version must be a positive whole number, not "${value}"`, { code: "InvalidVersion" });
  }
  return Number(value);
}

/** One failed target does not hide the others: it becomes a failed record (the CLI exits 1). */
async function readAll(
  input: ReadInput,
  ctx: CommandContext,
  read: (c: Awaited<ReturnType<typeof connectTarget>>) => Promise<LayerVersionRecord[]>,
  version: number | null = null,
) {
  if (!input.name?.trim()) throw new UsageError("no layer name given", { code: "MissingLayerName" });
  const timeoutMs = parseTimeout(input.timeout);
  const { targets, close, note } = await resolveTargets(input, { env: ctx.env, log: ctx.log, layerName: input.name });
  try {
    // Connecting is local: a mistake there is a usage error for the whole run.
    const clients = await Promise.all(targets.map((t) => connectTarget(t, { timeoutMs, log: ctx.log })));
    if (note) ctx.log.info(note);
    const lists = await mapTargets(targets, async (t, i) => {
      try {
        return await read(clients[i]!);
      } catch (err) {
        return [failedRecord(t, input.name, err, version)];
      }
    });
    return { results: lists.flat() };
  } finally {
    await close();
  }
}

export function getCommand(input: ReadInput & { version: string }, ctx: CommandContext): Promise<RecordsDocument<LayerVersionRecord>> {
  const version = parseVersion(input.version);
  return readAll(input, ctx, async (c) => [await c.getLayerVersion(input.name, version)], version);
}

export function versionsCommand(input: ReadInput, ctx: CommandContext): Promise<RecordsDocument<LayerVersionRecord>> {
  return readAll(input, ctx, (c) => c.listLayerVersions(input.name));
}
