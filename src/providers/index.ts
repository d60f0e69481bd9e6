// The one list of provider adapters. Adding a cloud: a folder under src/providers/, one line here
// and one in ./names.ts (its name and help text, loadable without the adapter).
import { UsageError } from "../errors.js";
import { providerNames, type ProviderName } from "./names.js";
import { registerSecretVariables } from "../output/redact.js";
import type { Provider } from "./types.js";
import { tencentProvider } from "./tencent/index.js";
import { awsProvider } from "./aws/index.js";
import { aliyunProvider } from "./aliyun/index.js";

export const providers = {
  tencent: tencentProvider,
  aws: awsProvider,
  aliyun: aliyunProvider,
} satisfies Record<ProviderName, Provider>;

export { providerNames };

registerSecretVariables(Object.values(providers).flatMap((p) => p.secretVariables));

export function getProvider(name: string): Provider {
  const p = (providers as Record<string, Provider>)[name];
  if (!p) throw new UsageError(`unknown provider "${name}"`, { code: "UnknownProvider", hint: `use one of: ${providerNames.join(", ")}` });
  return p;
}
