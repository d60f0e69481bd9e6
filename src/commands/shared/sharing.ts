// Sharing as data and as one call: grantees asked for (--public, --account/--share-account,
// --organization/--share-organization) checked against each provider's features.sharing before
// any call, and one grant on one target as a record. Used by `share` and by `publish --public`.
import { UsageError } from "../../errors.js";
import type { Logger } from "../../output/log.js";
import type { Grantee, Provider, ProviderClient } from "../../providers/types.js";
import type { ShareRecord } from "./lifecycle-records.js";
import { errorFields } from "./records.js";
import { splitList, type Target } from "./targets.js";

export interface GranteeOptions {
  public?: boolean;
  account?: string[];
  organization?: string[];
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
