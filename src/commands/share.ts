// layerctl share: give (or, with --revoke, take back) access to a layer version. What a cloud can
// share is its data (features.sharing): AWS grants per version to everyone, an account or an
// organization; Aliyun makes the whole layer public or private; Tencent has no sharing API. All
// of it is checked before any call.
import { UsageError } from "../errors.js";
import { renderShares } from "../output/lifecycle.js";
import type { CommandContext } from "./shared/context.js";
import { defineCommand } from "./shared/define.js";
import type { ShareRecord } from "./shared/lifecycle-records.js";
import { withTargets } from "./shared/lifecycle-targets.js";
import { parseTimeout, parseVersion } from "./shared/options.js";
import { recordsOutput } from "./shared/records.js";
import { mapTargets } from "./shared/run-targets.js";
import { applyGrant, noteLayerScope, resolveGrantees, type GranteeOptions } from "./shared/sharing.js";
import { selectProviders, type TargetOptions } from "./shared/targets.js";

export interface ShareInput extends TargetOptions, GranteeOptions {
  name: string;
  version: string;
  revoke?: boolean;
  timeout?: string;
}

export async function shareCommand(input: ShareInput, ctx: CommandContext): Promise<{ results: ShareRecord[] }> {
  if (!input.name?.trim()) throw new UsageError("no layer name given", { code: "MissingLayerName" });
  const version = parseVersion(input.version);
  const timeoutMs = parseTimeout(input.timeout);
  const providers = selectProviders(input.provider);
  const grantees = resolveGrantees(input, providers);
  if (grantees.length === 0) {
    throw new UsageError("nobody to share with", { code: "MissingGrantee", hint: "pass --public, --account ID or --organization ID (with --revoke to take access back)" });
  }
  return withTargets(input, ctx, timeoutMs, async ({ targets, clients, policies }) => {
    noteLayerScope(providers, input.name, Boolean(input.revoke), ctx.log);
    const lists = await mapTargets(targets, async (t, i) => {
      policies[i]!.deadline = Date.now() + timeoutMs;
      const records: ShareRecord[] = [];
      // A layer-wide grant is one call per layer, whatever the version.
      for (const g of grantees) records.push(await applyGrant(clients[i]!, t, input.name, version, g, Boolean(input.revoke)));
      return records;
    });
    return { results: lists.flat() };
  });
}

export default defineCommand({
  arguments: [
    { name: "name", description: "layer name" },
    { name: "version", description: "version number" },
  ],
  options: [
    { flags: "--public", description: "everyone" },
    { flags: "--account <id>", description: "one account (repeatable)", repeatable: true },
    { flags: "--organization <id>", description: "every account of an organization (AWS; repeatable)", repeatable: true },
    { flags: "--revoke", description: "take the access back" },
  ],
  targets: true,
  examples: [
    "layerctl share deps 7 -p aws -r eu-west-1 --public",
    "layerctl share deps 7 -p aws --account 123456789012 --organization o-a1b2c3d4e5",
    "layerctl share deps 7 -p aliyun --public --revoke",
  ],
  notes: `AWS grants per version (AddLayerVersionPermission, one statement per grantee with a fixed id, so
a re-run changes nothing; --revoke: RemoveLayerVersionPermission). Aliyun makes the whole layer
public or private (PutLayerACL): every version, present and future. Tencent SCF has no sharing
API: exit 2. The same grants right after publishing: publish --public / --share-account / --share-organization.`,
  run: shareCommand,
  ...recordsOutput(renderShares),
});
