// layerctl share: give (or, with --revoke, take back) access to a layer version. What a cloud can
// share is its data (features.sharing): AWS grants per version to everyone, an account or an
// organization; Aliyun makes the whole layer public or private; Tencent has no sharing API. A grant
// a cloud cannot make is skipped on its targets (with the reason) while the others share; ids
// written wrong, or a run where no cloud can make any grant asked for, are usage errors before any
// call. With the config file: a layer it declares goes to its targets, with its "sharing" unless
// flags say who.
import { CloudError, UsageError } from "../errors.js";
import { renderShares } from "../output/lifecycle.js";
import type { ProviderClient } from "../providers/types.js";
import type { EffectiveLayer } from "../config/load.js";
import { sharingEntries } from "../config/per-provider.js";
import { configRun, type ConfigInput } from "../release/config-targets.js";
import type { CommandContext } from "../targets/context.js";
import { defineCommand } from "./shared/define.js";
import type { ShareRecord } from "../release/lifecycle-records.js";
import { parseVersion } from "../release/layer-version.js";
import { failedTarget } from "../targets/failed-records.js";
import { recordsOutput } from "./shared/records.js";
import { runSettings, withTargets } from "../targets/runner.js";
import { applyGrant, noteLayerScope, planGrants, skippedGrant, type GranteeOptions } from "../release/sharing.js";
import { selectProviders, splitList } from "../targets/resolve.js";
import { configOption } from "./shared/target-options.js";

export interface ShareInput extends ConfigInput, GranteeOptions {
  name: string;
  /** A number, or `latest`: each target's newest usable version (versions differ by region). */
  version: string;
  revoke?: boolean;
  timeout?: string;
}

export async function shareCommand(input: ShareInput, ctx: CommandContext): Promise<{ results: ShareRecord[] }> {
  const name = input.name?.trim();
  if (!name) throw new UsageError("no layer name given", { code: "MissingLayerName" });
  const version = input.version?.trim() === "latest" ? ("latest" as const) : parseVersion(input.version);
  const settings = runSettings(input);
  const run = await configRun(input, name, ctx);
  const targetOptions = run?.options ?? input;
  const providers = selectProviders(targetOptions.provider);
  const asked = input.public !== undefined || splitList(input.account).length > 0 || splitList(input.organization).length > 0;
  const grants = planGrants(asked ? input : configuredSharing(run?.scope.layers[0]?.layer), providers);
  if (!grants.asked) {
    throw new UsageError("nobody to share with", {
      code: "MissingGrantee",
      hint: 'pass --public, --account ID or --organization ID (with --revoke to take access back), or set "sharing" in the config file',
    });
  }
  return withTargets(targetOptions, ctx, { settings }, async (targets) => {
    noteLayerScope(
      providers.filter((p) => grants.byProvider.has(p.name)),
      name,
      Boolean(input.revoke),
      ctx.log,
    );
    const lists = await targets.each(async ({ target: t, client }) => {
      let v: number;
      try {
        v = version === "latest" ? await latest(client, name) : version;
      } catch (err) {
        const scope = t.provider.features.sharing.scope === "layer" ? ("layer" as const) : ("version" as const);
        const blank: ShareRecord = {
          provider: t.provider.name,
          region: t.region,
          layerName: name,
          version: null,
          status: "failed",
          grantee: "-",
          scope,
          statementId: null,
          changed: null,
          reason: null,
          requestId: null,
        };
        return [{ ...blank, ...failedTarget(t, err) }];
      }
      const records: ShareRecord[] = [];
      // A layer-wide grant is one call per layer, whatever the version.
      for (const g of grants.byProvider.get(t.provider.name) ?? []) records.push(await applyGrant(client, t, name, v, g, Boolean(input.revoke)));
      for (const s of grants.skipped.filter((s) => s.provider === t.provider.name)) records.push(skippedGrant(t, name, v, s));
      return records;
    });
    for (const r of lists.flat()) if (r.status === "skipped") ctx.log.info(`${r.provider} ${r.region}: ${r.grantee}: skipped: ${r.reason}`);
    return { results: lists.flat() };
  });
}

/** The config's "sharing" of the layer as grantee options. */
function configuredSharing(layer: EffectiveLayer | undefined): GranteeOptions {
  const s = sharingEntries(layer?.sharing);
  return { public: s.public, account: s.accounts, organization: s.organizations };
}

/** The target's newest usable version. */
async function latest(client: ProviderClient, name: string): Promise<number> {
  const usable = (await client.listLayerVersions(name)).find((v) => v.status !== "failed" && (v.state === null || v.state === "Active"));
  if (!usable || usable.version === null) throw new CloudError(`layer ${name} has no usable version here`, { code: "LayerNotFound" });
  return usable.version;
}

export default defineCommand({
  arguments: [
    { name: "name", description: "layer name" },
    { name: "version", description: "version number, or latest (each target's newest)" },
  ],
  options: [
    { flags: "--public", description: "everyone (where the cloud can; Tencent cannot: skipped, with the reason)" },
    { flags: "--account <id>", description: "one account; provider:ID for one provider only (repeatable)", repeatable: true },
    { flags: "--organization <id>", description: "every account of an organization (AWS; repeatable)", repeatable: true },
    { flags: "--revoke", description: "take the access back" },
    configOption,
  ],
  targets: true,
  examples: [
    "layerctl share deps 7 -p aws -r eu-west-1 --public",
    "layerctl share deps 7 -p aws --account 123456789012 --organization o-a1b2c3d4e5",
    "layerctl share deps 7 -p aliyun --public --revoke",
    "layerctl share deps latest            # the config's sharing of deps, in its targets",
  ],
  notes: `AWS grants per version (AddLayerVersionPermission, one statement per grantee with a fixed id, so
a re-run changes nothing; --revoke: RemoveLayerVersionPermission). Aliyun makes the whole layer
public or private (PutLayerACL): every version, present and future. Tencent SCF has no sharing
API: its targets are listed as skipped, with the reason (exit 2 when no target can share at all).
The same grants right after publishing: publish --public / --share-account / --share-organization.`,
  run: shareCommand,
  ...recordsOutput(renderShares),
});
