// The one grammar of provider-qualified values, shared by every flag and key that takes them
// (--region, --bucket, --profile, --role-arn, --runtime, --prefix, --share-account, the emulator's
// --function and --bucket, copy's --from/--to, the config file's per-provider keys):
//
//   value                          for every provider
//   provider:value                 aws:us-east-1, aws:python3.11, aliyun:1234567890
//   provider=value                 aws=my-bucket
//   provider:region=value          tencent:ap-guangzhou=layers-1250000000
//
// Pure and cheap (only the names list): option parsing runs before any adapter is loaded. Each
// caller decides which forms it takes and says what is wrong in its own words; this only splits.
import { type ProviderName, providerNames } from "./names.js";

/** A region as written in a qualifier (`provider:region=`); also the config file's bucket keys' pattern. */
export const REGION_PATTERN = "[a-z0-9-]+";

/** The qualifier: lower-case letters, then ":" or "="; what a provider name looks like. */
const QUALIFIER = /^([a-z]+)([:=])([\s\S]*)$/;
const REGION_VALUE = new RegExp(`^(${REGION_PATTERN})=([\\s\\S]*)$`);

export type QualifiedForm = "provider:value" | "provider=value" | "provider:region=value";

export interface Qualified {
  /** The word before the first ":" or "=", whether or not it names a provider (callers name an unknown one). */
  qualifier: string;
  /** The qualifier when it is a provider's name. */
  provider?: ProviderName;
  form: QualifiedForm;
  /** Everything after the qualifier's separator (`us-east-1=b` in `aws:us-east-1=b`): what a caller without regions takes as the value. */
  rest: string;
  /** provider:region=value only. */
  region?: string;
  /** After "=" (the last form's region taken off), else the rest; may be empty. */
  value: string;
}

export function isProviderName(name: string): name is ProviderName {
  return (providerNames as readonly string[]).includes(name);
}

/** The entry's qualifier and what it qualifies; undefined for a plain value (nothing like `word:` or `word=` in front). */
export function parseQualified(text: string): Qualified | undefined {
  const m = QUALIFIER.exec(text);
  if (!m) return undefined;
  const [, qualifier, separator, rest] = m as unknown as [string, string, ":" | "=", string];
  const provider = isProviderName(qualifier) ? qualifier : undefined;
  const base = { qualifier, ...(provider ? { provider } : {}), rest };
  if (separator === "=") return { ...base, form: "provider=value", value: rest };
  const rv = REGION_VALUE.exec(rest);
  if (rv) return { ...base, form: "provider:region=value", region: rv[1]!, value: rv[2]! };
  return { ...base, form: "provider:value", value: rest };
}

/**
 * `provider:VALUE` with a known provider's name in front, and VALUE (non-empty unless `allowEmpty`);
 * undefined for anything else, which is then a plain value: a profile or account id may hold a
 * colon, so only a provider's name makes a prefix.
 */
export function providerPrefixed(text: string, allowEmpty = false): { provider: ProviderName; value: string } | undefined {
  const q = parseQualified(text);
  if (!q?.provider || q.form === "provider=value" || (!allowEmpty && q.rest === "")) return undefined;
  return { provider: q.provider, value: q.rest };
}

/**
 * A region entry's qualifier and region (`aws:us-east-1`, `aws=us-east-1`, `aws:all`); undefined
 * for a plain region, and for `aws:` (a region written wrong, which the region check then names).
 */
export function qualifiedRegion(text: string): { qualifier: string; provider?: ProviderName; region: string } | undefined {
  const q = parseQualified(text);
  if (!q || q.rest === "") return undefined;
  return { qualifier: q.qualifier, ...(q.provider ? { provider: q.provider } : {}), region: q.rest };
}

/** The word a `word:...` or `word=...` entry starts with (a provider's name, or a mistake for one); undefined for a plain entry. */
export function qualifierOf(text: string): string | undefined {
  return parseQualified(text)?.qualifier;
}
