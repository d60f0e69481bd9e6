// Sharing as data and as one call: grantees asked for (--public, --account/--share-account,
// --organization/--share-organization) checked against each provider's features.sharing before
// any call, and one grant on one target as a record. Used by `share` and by `publish --public`.
import { UsageError } from "../errors.js";
import type { Logger } from "../output/log.js";
import { providerPrefixed } from "../providers/qualified.js";
import { getProvider } from "../providers/index.js";
import type { Grantee, LayerVersionRecord, Provider, ProviderClient, ProviderName } from "../providers/types.js";
import type { ShareRecord } from "./lifecycle-records.js";
import { failedTarget } from "../targets/failed-records.js";
import { describeTarget } from "../targets/describe.js";
import { splitList, type Target } from "../targets/resolve.js";

export interface GranteeOptions {
  /** Everyone: true for every provider, or the providers to make it public on (the config's per-provider "sharing"). */
  public?: boolean | string[];
  /** Account ids; `provider:ID` for one provider only. */
  account?: string[];
  organization?: string[];
}

/** publish's names for the grant flags (share's are --public, --account, --organization). */
export const PUBLISH_SHARE_FLAGS = { public: "--public", account: "--share-account", organization: "--share-organization" };

export function describeGrantee(g: Grantee): string {
  return g.kind === "public" ? "public" : `${g.kind} ${g.id}`;
}

/** A grant a provider cannot make: the rest of the run shares where it can and reports this one. */
export interface SkippedGrant {
  provider: ProviderName;
  grantee: Grantee;
  reason: string;
}

export interface GrantPlan {
  /** What each provider of the run grants (none: nothing asked, or nothing it can). */
  byProvider: Map<ProviderName, Grantee[]>;
  skipped: SkippedGrant[];
  /** Anything was asked for at all. */
  asked: boolean;
}

/**
 * The grants asked for, per provider of the run. One a provider cannot make (Tencent has no
 * sharing API; Aliyun cannot name an account) is skipped with the reason, and the others go on; an
 * id written wrong is a usage error, and so is (with requireOne) a run where no provider can make any grant asked for.
 */
export function planGrants(
  opts: GranteeOptions,
  providers: Provider[],
  flags = { public: "--public", account: "--account", organization: "--organization" },
  /** `share` itself: a run that can make none of the grants asked for is a mistake. (A publish shares where it can: a CI leg on Tencent still publishes.) */
  requireOne = true,
): GrantPlan {
  const names = new Set(providers.map((p) => p.name));
  const wanted: Array<{ grantee: Grantee; provider: ProviderName | null }> = [];
  if (opts.public === true) wanted.push({ grantee: { kind: "public" }, provider: null });
  else if (Array.isArray(opts.public)) for (const p of opts.public) wanted.push({ grantee: { kind: "public" }, provider: getProvider(p).name });
  for (const kind of ["account", "organization"] as const) {
    for (const entry of splitList(opts[kind])) {
      const prefixed = providerPrefixed(entry);
      wanted.push({ grantee: { kind, id: prefixed?.value ?? entry }, provider: prefixed?.provider ?? null });
    }
  }
  const byProvider = new Map<ProviderName, Grantee[]>();
  const skipped: SkippedGrant[] = [];
  for (const p of providers) {
    const sharing = p.features.sharing;
    for (const { grantee: g, provider } of wanted) {
      if (provider !== null && provider !== p.name) continue;
      const cannot = whyNot(p, g);
      if (cannot) {
        skipped.push({ provider: p.name, grantee: g, reason: cannot });
        continue;
      }
      if (g.kind !== "public" && sharing.scope !== "none") {
        const rule = sharing[g.kind]!;
        if (!rule.pattern.test(g.id!)) throw new UsageError(`${flags[g.kind]} "${g.id}" is not ${rule.rule}`, { code: "InvalidGrantee", provider: p.name });
      }
      byProvider.set(p.name, [...(byProvider.get(p.name) ?? []), g]);
    }
  }
  const asked = wanted.some((w) => w.provider === null || names.has(w.provider));
  if (requireOne && asked && byProvider.size === 0) {
    const first = skipped[0]!;
    throw new UsageError(`${first.provider}: ${first.reason}`, {
      code: "SharingUnsupported",
      hint: `leave ${[...new Set(skipped.map((s) => s.provider))].join(", ")} out of --provider for sharing`,
    });
  }
  return { byProvider, skipped, asked };
}

/** Why a provider cannot make this grant; null when it can. */
function whyNot(p: Provider, g: Grantee): string | null {
  const sharing = p.features.sharing;
  if (sharing.scope === "none") return sharing.unsupported;
  if (g.kind === "public") return sharing.public ? null : `${p.name} cannot make a layer public`;
  if (sharing[g.kind]) return null;
  return `${p.name} cannot share a layer with one ${g.kind}${sharing.scope === "layer" ? ": it shares whole layers with everyone (use --public)" : ""}`;
}

/** The grants of every provider, flat: what a run with one provider asks for (tests, one-provider callers). */
export function resolveGrantees(opts: GranteeOptions, providers: Provider[], flags?: { public: string; account: string; organization: string }): Grantee[] {
  const plan = planGrants(opts, providers, flags);
  if (plan.skipped.length > 0) {
    const first = plan.skipped[0]!;
    throw new UsageError(`${first.provider}: ${first.reason}`, { code: "SharingUnsupported", hint: `leave ${first.provider} out of --provider for sharing` });
  }
  return [...new Map([...plan.byProvider.values()].flat().map((g) => [describeGrantee(g), g])).values()];
}

/** A grant skipped on one target, as a record. */
export function skippedGrant(t: Target, layerName: string, version: number | null, s: SkippedGrant): ShareRecord {
  const sharing = t.provider.features.sharing;
  return {
    provider: t.provider.name,
    region: t.region,
    layerName,
    version,
    status: "skipped",
    grantee: describeGrantee(s.grantee),
    scope: sharing.scope === "none" ? "version" : sharing.scope,
    statementId: null,
    changed: null,
    reason: s.reason,
    requestId: null,
  };
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
    return { ...base, status: revoke ? "revoked" : "shared", statementId: out.statementId, changed: out.changed, reason: null, requestId: out.requestId };
  } catch (err) {
    const blank: ShareRecord = { ...base, status: "failed", statementId: null, changed: null, reason: null, requestId: null };
    return { ...blank, ...failedTarget(t, err) };
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

/** The document's "shares": what each grant did, and a grant the target's cloud cannot make as skipped (said on stderr too). */
export function sharesOf(targets: Target[], results: LayerVersionRecord[], made: ShareRecord[], skipped: SkippedGrant[], log: Logger): ShareRecord[] {
  const out: ShareRecord[] = [];
  targets.forEach((t, i) => {
    const rec = results[i]!;
    out.push(...made.filter((m) => m.provider === t.provider.name && m.region === t.region));
    if (rec.version === null || rec.error) return;
    for (const s of skipped.filter((g) => g.provider === t.provider.name)) {
      log.info(`${describeTarget(t)}: ${rec.layerName} version ${rec.version} not shared (${describeGrantee(s.grantee)}): ${s.reason}`);
      out.push(skippedGrant(t, rec.layerName, rec.version, s));
    }
  });
  return out;
}
