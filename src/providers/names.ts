// The one list of provider names, with what help text says about each: importable by anything
// (help, option lists, completion, the emulator) without loading an adapter, so `layerctl --help`
// stays cheap. Adding a cloud: its folder's about.ts, one line here and one in ./index.ts.
import { aliyunAbout } from "./aliyun/about.js";
import { awsAbout } from "./aws/about.js";
import { tencentAbout } from "./tencent/about.js";

/** What a provider's folder says about itself for help text, before its adapter is loaded. */
export interface ProviderAbout {
  title: string;
  /** Where its credentials come from, one line. */
  credentials: string;
  /** Where they are looked for, first to last, as the cloud's CLI and SDK document it (`layerctl providers`, README). */
  credentialOrder: readonly string[];
  /** What --profile means for it, if anything. */
  profile?: string;
  /** Environment variables that override the endpoint, most specific first. */
  endpointVariables: readonly string[];
}

const catalog = {
  tencent: tencentAbout,
  aws: awsAbout,
  aliyun: aliyunAbout,
} satisfies Record<string, ProviderAbout>;

export type ProviderName = keyof typeof catalog;

export const providerCatalog: Readonly<Record<ProviderName, ProviderAbout>> = catalog;

/** Every provider's name, in help order; never empty (a tuple, so a zod enum takes it as is). */
export const providerNames = Object.keys(catalog) as [ProviderName, ...ProviderName[]];
