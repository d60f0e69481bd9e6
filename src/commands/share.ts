// layerctl share: give (or, with --revoke, take back) access to a layer version. What a cloud can
// share is its data (features.sharing): AWS grants per version to everyone, an account or an
// organization; Aliyun makes the whole layer public or private; Tencent has no sharing API. All
// of it is checked before any call.
import { UsageError } from "../errors.js";
import type { Logger } from "../output/log.js";
import type { Grantee, Provider, ProviderClient } from "../providers/types.js";
import type { ShareRecord } from "./lifecycle-records.js";
import type { CommandContext } from "./shared/context.js";
import { parseTimeout, parseVersion } from "./shared/options.js";
import { errorFields } from "./shared/records.js";
import { connectTarget, mapTargets } from "./shared/run-targets.js";
import { resolveTargets, selectProviders, splitList, type Target, type TargetOptions } from "./shared/targets.js";
import { renderShares } from "../output/lifecycle.js";
import { defineCommand } from "./shared/define.js";
import { recordsOutput } from "./shared/records.js";

export interface GranteeOptions {
  public?: boolean;
  account?: string[];
  organization?: string[];
}

export interface ShareInput extends TargetOptions, GranteeOptions {
  name: string;
  version: string;
  revoke?: boolean;
  timeout?: string;
}

export function describeGrantee(g: Grantee): string {
  return g.kind === "public" ? "public" : `${g.kind} ${g.id}`;
}

/** The grantees asked for, checked against every selected provider; [] when none was asked for. */
export function resolveGrantees(opts: GranteeOptions, providers: Provider[], flags = { public: "--public", account: "--account", organization: "--organization" }): Grantee[] {
  const grantees: Grantee[] = [
    ...(opts.public ? [{ kind: "public" as const }] : []),
    ...splitList(opts.account).map((id) => ({ kind: "account" as const, id })),
    ...splitList(opts.organization).map((id) => ({ kind: "organization" as const, id })),
  ];
  if (grantees.length === 0) return grantees;
  for (const p of providers) {
    const sharing = p.features.sharing;
    if (sharing.scope === "none") throw new UsageError(`${p.name}: ${sharing.unsupported}`, { code: "SharingUnsupported", hint: `leave ${p.name} out of --provider for sharing` });
    for (const g of grantees) {
      if (g.kind === "public") {
        if (!sharing.public) throw new UsageError(`${p.name} cannot make a layer public`, { code: "SharingUnsupported" });
        continue;
      }
      const rule = sharing[g.kind];
      if (!rule) {
        throw new UsageError(`${p.name} cannot share a layer with one ${g.kind}${sharing.scope === "layer" ? ": it shares whole layers with everyone (use --public)" : ""}`, {
          code: "SharingUnsupported",
          hint: `drop ${flags[g.kind]} for ${p.name}`,
        });
      }
      if (!rule.pattern.test(g.id!)) throw new UsageError(`${flags[g.kind]} "${g.id}" is not ${rule.rule}`, { code: "InvalidGrantee" });
    }
  }
  return grantees;
}

/** One grant on one target, as a record; a failure becomes a failed record naming the version. */
export async function applyGrant(client: ProviderClient, t: Target, layerName: string, version: number, grantee: Grantee, revoke: boolean): Promise<ShareRecord> {
  const sharing = t.provider.features.sharing;
  const base = {
    provider: t.provider.name,
    region: t.region,
    layerName,
    version,
    grantee: describeGrantee(grantee),
    scope: sharing.scope === "none" ? ("version" as const) : sharing.scope,
  };
  try {
    const out = await client.shareLayer({ layerName, version, grantee, revoke });
    return { ...base, status: revoke ? "revoked" : "shared", statementId: out.statementId, changed: out.changed, requestId: out.requestId };
  } catch (err) {
    const error = errorFields(err);
    return { ...base, status: "failed", statementId: null, changed: null, requestId: error.requestId, error };
  }
}

/** Where a grant covers the whole layer, say so once per provider: sharing version 3 also shares 1, 2 and every later one. */
export function noteLayerScope(providers: Provider[], layerName: string, revoke: boolean, log: Logger): void {
  for (const p of providers) {
    if (p.features.sharing.scope === "layer") {
      log.info(`${p.name}: access is set for the whole layer ${layerName}: every version, present and future, is now ${revoke ? "private" : "public"}`);
    }
  }
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
  const { targets, close, note } = await resolveTargets(input, { env: ctx.env, log: ctx.log });
  try {
    const clients = await Promise.all(targets.map((t) => connectTarget(t, { timeoutMs, log: ctx.log })));
    if (note) ctx.log.info(note);
    noteLayerScope(providers, input.name, Boolean(input.revoke), ctx.log);
    const lists = await mapTargets(targets, async (t, i) => {
      const records: ShareRecord[] = [];
      // A layer-wide grant is one call per layer, whatever the version.
      for (const g of grantees) records.push(await applyGrant(clients[i]!, t, input.name, version, g, Boolean(input.revoke)));
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
