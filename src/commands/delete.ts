// layerctl delete <name> <version...>: delete exactly those versions on every target. A version
// that is not there is reported as `not-found`, not a crash; Tencent's asynchronous delete is
// waited for (Deleting -> gone, or DeleteFailed).
import { UsageError } from "../errors.js";
import { askOnce, requireConsentPossible, type ConsentContext } from "./shared/consent.js";
import type { VersionActionRecord } from "../release/lifecycle-records.js";
import { deleteOne, versionRecord } from "./shared/version-actions.js";
import { parseVersion } from "../release/layer-version.js";
import { describeTarget } from "../targets/describe.js";
import { runSettings, withTargets } from "../targets/runner.js";
import { selectProviders, type TargetOptions } from "../targets/resolve.js";
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
  const settings = runSettings(input);
  selectProviders(input.provider);
  requireConsentPossible(input.yes, ctx, "delete");
  return withTargets(input, ctx, { settings }, async (run) => {
    await askOnce(input.yes, ctx, `delete version${versions.length > 1 ? "s" : ""} ${versions.join(", ")} of layer ${name} in ${run.targets.map(describeTarget).join(", ")}?`);
    const lists = await run.each(async ({ target: t, client, budget }) => {
      const records: VersionActionRecord[] = [];
      for (const v of versions) records.push(await deleteOne(client, t, versionRecord(t, name, { version: v }), budget, { wait: input.wait !== false }));
      return records;
    });
    return { results: lists.flat() };
  });
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
