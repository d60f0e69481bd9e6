// layerctl delete <name> <version...>: delete exactly those versions on every target. A version
// that is not there is reported as `not-found`, not a crash; Tencent's asynchronous delete is
// waited for (Deleting -> gone, or DeleteFailed).
import { UsageError } from "../errors.js";
import { askOnce, requireConsentPossible, type ConsentContext } from "./shared/consent.js";
import type { VersionActionRecord } from "./shared/lifecycle-records.js";
import { deleteOne, freshPolicy, versionRecord } from "./shared/lifecycle-targets.js";
import { parseTimeout, parseVersion } from "./shared/options.js";
import { connectTarget, describeTarget, mapTargets } from "./shared/run-targets.js";
import { resolveTargets, selectProviders, type TargetOptions } from "./shared/targets.js";
import { renderVersionActions } from "../output/lifecycle.js";
import { defineCommand } from "./shared/define.js";
import { recordsOutput } from "./shared/records.js";

export interface DeleteInput extends TargetOptions {
  name: string;
  versions: string[];
  yes?: boolean;
  /** Do not wait for an asynchronous delete to finish. */
  wait?: boolean;
  timeout?: string;
}

export async function deleteCommand(input: DeleteInput, ctx: ConsentContext): Promise<{ results: VersionActionRecord[] }> {
  const name = input.name?.trim();
  if (!name) throw new UsageError("no layer name given", { code: "MissingLayerName" });
  if (!input.versions?.length) throw new UsageError("no version given", { code: "MissingVersion", hint: `layerctl delete ${name} <version...> -p <provider>` });
  const versions = [...new Set(input.versions.map(parseVersion))].sort((a, b) => a - b);
  const timeoutMs = parseTimeout(input.timeout);
  selectProviders(input.provider);
  requireConsentPossible(input.yes, ctx, "delete");
  const { targets, close, note } = await resolveTargets(input, { env: ctx.env, log: ctx.log });
  try {
    const policies = targets.map(freshPolicy);
    const clients = await Promise.all(targets.map((t, i) => connectTarget(t, { timeoutMs, log: ctx.log, retry: policies[i] })));
    await askOnce(input.yes, ctx, `delete version${versions.length > 1 ? "s" : ""} ${versions.join(", ")} of layer ${name} in ${targets.map(describeTarget).join(", ")}?`);
    if (note) ctx.log.info(note);
    const lists = await mapTargets(targets, async (t, i) => {
      const deadline = (policies[i]!.deadline = Date.now() + timeoutMs);
      const records: VersionActionRecord[] = [];
      for (const v of versions) records.push(await deleteOne(clients[i]!, t, versionRecord(t, name, { version: v }), deadline, { wait: input.wait !== false }));
      return records;
    });
    return { results: lists.flat() };
  } finally {
    await close();
  }
}

export default defineCommand({
  arguments: [
    { name: "name", description: "layer name" },
    { name: "version", key: "versions", description: "version numbers", variadic: true },
  ],
  options: [
    { flags: "-y, --yes", description: "delete without asking (required when stdin is not a terminal)" },
    { flags: "--no-wait", description: "do not wait for an asynchronous delete (Tencent) to finish" },
  ],
  targets: true,
  examples: ["layerctl delete deps 3 4 -p aws -r eu-west-1", "layerctl delete deps 7 -p tencent --yes --output json"],
  notes: `Asks once on a terminal; needs --yes when stdin is not a terminal. One record per version:
deleted, not-found (there was no such version: nothing deleted) or failed. Tencent deletes
asynchronously (Deleting, then gone or DeleteFailed): layerctl waits for the end.
--output version prints the versions deleted; env gives comma lists per target (LAYERCTL_DELETED=3,4).`,
  run: deleteCommand,
  ...recordsOutput(renderVersionActions),
});
