// layerctl publish-function: Tencent PublishVersion, AWS PublishVersion, Aliyun PublishFunctionVersion.
import { UsageError } from "../errors.js";
import { renderFunctionDocument } from "../output/records.js";
import type { FunctionVersionRecord } from "../providers/types.js";
import { publishFunctionOnce } from "../release/function-version.js";
import type { CommandContext } from "../targets/context.js";
import { defineCommand } from "./shared/define.js";
import { failedFunctionRecord } from "../targets/failed-records.js";
import { recordsOutput, type RecordsDocument } from "./shared/records.js";
import { selectProviders, type TargetOptions } from "../targets/resolve.js";
import { eachTarget, runSettings } from "../targets/runner.js";

export interface PublishFunctionInput extends TargetOptions {
  functionName: string;
  description?: string;
  namespace?: string;
  timeout?: string;
}

export async function publishFunctionCommand(input: PublishFunctionInput, ctx: CommandContext): Promise<RecordsDocument<FunctionVersionRecord>> {
  const functionName = input.functionName?.trim();
  if (!functionName) throw new UsageError("no function name given", { code: "MissingFunctionName", hint: "layerctl publish-function <function> --provider <name>" });
  const settings = runSettings(input);
  for (const p of selectProviders(input.provider)) {
    if (input.namespace && !p.features.functionNamespaces) ctx.log.warn(`${p.name} functions have no namespace; --namespace is ignored`);
  }
  // The embedded emulator starts empty: give it the function, so the demo has something to version.
  const results = await eachTarget(
    input,
    ctx,
    { settings, seedFunctions: [{ name: functionName, namespace: input.namespace }] },
    // An unknown outcome is looked into, never repeated blindly (src/release/function-version.ts).
    ({ client, target: t, budget }) =>
      publishFunctionOnce(
        client,
        { functionName, description: input.description, namespace: t.provider.features.functionNamespaces ? input.namespace : undefined },
        { provider: t.provider.name, region: t.region, budget, log: ctx.log },
      ),
    (t, err) => failedFunctionRecord(t, functionName, err),
  );
  return { results };
}

export default defineCommand({
  arguments: [{ name: "function", key: "functionName", description: "function name" }],
  options: [
    { flags: "--description <text>", description: "version description" },
    { flags: "--namespace <ns>", description: "function namespace, where the provider has them (default: default)" },
  ],
  targets: true,
  progress: true,
  examples: ['layerctl publish-function api --provider tencent --namespace prod --description "release 42"', "layerctl publish-function api -p aws --output version"],
  run: publishFunctionCommand,
  ...recordsOutput(renderFunctionDocument),
});
