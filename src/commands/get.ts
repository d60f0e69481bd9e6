// layerctl get / layerctl versions: read layer versions back, same record shape as publish.
import { UsageError } from "../errors.js";
import type { LayerVersionRecord } from "../providers/types.js";
import type { CommandContext } from "./publish.js";
import { parseTimeout } from "./publish.js";
import { connectTarget, mapTargets } from "./run-targets.js";
import { resolveTargets, type TargetOptions } from "./targets.js";

export interface ReadInput extends TargetOptions {
  name: string;
  timeout?: number;
}

export interface RecordsDocument<R> {
  results: R[];
}

export function parseVersion(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`version must be a positive whole number, not "${value}"`, { code: "InvalidVersion" });
  }
  return Number(value);
}

/** Errors propagate: a read that fails has no record to show. */
async function readAll(input: ReadInput, ctx: CommandContext, read: (c: Awaited<ReturnType<typeof connectTarget>>) => Promise<LayerVersionRecord[]>) {
  if (!input.name?.trim()) throw new UsageError("no layer name given", { code: "MissingLayerName" });
  const timeoutMs = parseTimeout(input.timeout);
  const { targets, close } = await resolveTargets(input, { env: ctx.env, log: ctx.log });
  try {
    const lists = await mapTargets(targets, async (t) => read(await connectTarget(t, { timeoutMs, log: ctx.log })));
    return { results: lists.flat() };
  } finally {
    await close();
  }
}

export function getCommand(input: ReadInput & { version: string }, ctx: CommandContext): Promise<RecordsDocument<LayerVersionRecord>> {
  const version = parseVersion(input.version);
  return readAll(input, ctx, async (c) => [await c.getLayerVersion(input.name, version)]);
}

export function versionsCommand(input: ReadInput, ctx: CommandContext): Promise<RecordsDocument<LayerVersionRecord>> {
  return readAll(input, ctx, (c) => c.listLayerVersions(input.name));
}
