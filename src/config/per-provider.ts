// Per-provider values, from the command line (`--runtime aws:python3.11,aliyun:python3.10`,
// `--prefix aws:python,tencent:`) or the config file (`{"aws": "python"}`). A provider's own
// entries win; plain entries apply to every provider that has none of its own.
import type { ProviderName } from "../providers/names.js";
import { providerPrefixed } from "../providers/qualified.js";

function split(entry: string): { provider: ProviderName | null; value: string } {
  // `aws:` is a value too: the zip root as aws's prefix.
  return providerPrefixed(entry, true) ?? { provider: null, value: entry };
}

/** Does any entry name a provider (`aws:...`)? */
export function hasProviderEntries(entries: readonly string[]): boolean {
  return entries.some((e) => split(e).provider !== null);
}

/** The values for one provider: its own entries if any, else the plain ones. */
export function valuesFor(provider: ProviderName, entries: readonly string[]): string[] {
  const parsed = entries.map(split);
  const own = parsed.filter((e) => e.provider === provider).map((e) => e.value);
  return own.length > 0 ? own : parsed.filter((e) => e.provider === null).map((e) => e.value);
}

/** One value per provider (the prefix); "" is the zip root; undefined: none given. */
export function valueFor(provider: ProviderName, entries: readonly string[]): string | undefined {
  const values = valuesFor(provider, entries);
  return values.length > 0 ? values[values.length - 1] : undefined;
}

/** A config value that is the same for every provider or given per provider, as command-line entries. */
export function toEntries<T>(value: T | Partial<Record<ProviderName, T>> | undefined, isValue: (v: unknown) => v is T, each: (v: T) => string[]): string[] {
  if (value === undefined) return [];
  if (isValue(value)) return each(value);
  return Object.entries(value as Partial<Record<ProviderName, T>>).flatMap(([p, v]) => (v === undefined ? [] : each(v).map((x) => `${p}:${x}`)));
}

type Grants = { public?: boolean; accounts?: string[]; organizations?: string[] };

/**
 * The config's "sharing" as the flags' values: `public` true (every provider) or the providers
 * to make it public on; accounts and organizations as ID or provider:ID entries.
 */
export function sharingEntries(sharing: Grants | Partial<Record<ProviderName, Grants>> | undefined): {
  public?: boolean | string[];
  accounts?: string[];
  organizations?: string[];
} {
  if (sharing === undefined) return {};
  const keys = Object.keys(sharing);
  if (keys.length === 0 || keys.some((k) => k === "public" || k === "accounts" || k === "organizations")) {
    const s = sharing as Grants;
    return { public: s.public, accounts: s.accounts, organizations: s.organizations };
  }
  const byProvider = Object.entries(sharing as Partial<Record<ProviderName, Grants>>);
  const publicFor = byProvider.filter(([, s]) => s?.public).map(([p]) => p);
  return {
    public: publicFor.length > 0 ? publicFor : undefined,
    accounts: byProvider.flatMap(([p, s]) => (s?.accounts ?? []).map((id) => `${p}:${id}`)),
    organizations: byProvider.flatMap(([p, s]) => (s?.organizations ?? []).map((id) => `${p}:${id}`)),
  };
}
