// layerctl attach <layer>:<version|latest> --function f1,f2: move functions to a layer version in
// every target, optionally publishing a function version and pointing an alias at it.
import { CloudError } from "../errors.js";
import { renderAttachDocument, type AttachFormat } from "../output/attach.js";
import { defaultRetryPolicy } from "../providers/retry.js";
import type { AttachRecord, AttachedLayer, ProviderClient } from "../providers/types.js";
import { attachFunctions } from "../release/attach-functions.js";
import { UPDATE_POLL_INTERVAL_MS } from "../release/publish-attach.js";
import { attachOptionsFrom, parseLayerRef } from "./shared/attach-options.js";
import type { CommandContext } from "./shared/context.js";
import { defineCommand } from "./shared/define.js";
import { parseTimeout } from "./shared/options.js";
import { errorFields, printable, recordFailures } from "./shared/records.js";
import { connectTarget, mapTargets } from "./shared/run-targets.js";
import { Traffic } from "../providers/traffic.js";
import { resolveTargets, selectProviders, type TargetOptions } from "./shared/targets.js";

export interface AttachInput extends TargetOptions {
  /** `name:version` or `name:latest`. */
  layer: string;
  /** Function names, comma-separated or repeated. */
  function?: string[];
  namespace?: string;
  publishVersion?: boolean;
  alias?: string;
  description?: string;
  timeout?: string;
}

export interface AttachDocument {
  results: AttachRecord[];
}

export async function attachCommand(input: AttachInput, ctx: CommandContext): Promise<AttachDocument> {
  const ref = parseLayerRef(input.layer ?? "");
  const opts = attachOptionsFrom(input);
  const timeoutMs = parseTimeout(input.timeout);
  for (const p of selectProviders(input.provider)) {
    if (input.namespace && !p.features.functionNamespaces) ctx.log.warn(`${p.name} functions have no namespace; --namespace is ignored`);
  }
  // The embedded emulator starts empty: give it the functions (the layer must be published first).
  const seeds = opts.functions.map((name) => ({ name, namespace: input.namespace }));
  const { targets, close, note } = await resolveTargets(input, { env: ctx.env, log: ctx.log, seedFunctions: seeds });
  try {
    const policies = targets.map(() => ({ ...defaultRetryPolicy }));
    // Paced per provider and region like every run's calls (update, poll, publish, alias).
    const traffic = new Traffic();
    const clients = await Promise.all(targets.map((t, i) => connectTarget(t, { timeoutMs, log: ctx.log, retry: policies[i], traffic })));
    if (note) ctx.log.info(note);
    ctx.progress?.(`attaching ${input.layer} to ${opts.functions.join(", ")}`);
    const perTarget = await mapTargets(targets, async (t, i) => {
      const deadline = (policies[i]!.deadline = Date.now() + timeoutMs);
      const wait = () => ({ waitTimeoutMs: Math.max(0, deadline - Date.now()), pollIntervalMs: UPDATE_POLL_INTERVAL_MS });
      let layer: AttachedLayer;
      try {
        layer = await resolveLayer(clients[i]!, ref);
      } catch (err) {
        const error = errorFields(err);
        return opts.functions.map(
          (functionName): AttachRecord => ({
            provider: t.provider.name,
            region: t.region,
            functionName,
            namespace: t.provider.features.functionNamespaces ? (opts.namespace ?? "default") : null,
            layerName: ref.layerName,
            previousVersion: null,
            version: ref.version === "latest" ? null : ref.version,
            status: "failed",
            layers: [],
            functionVersion: null,
            alias: null,
            requestId: error.requestId,
            error,
          }),
        );
      }
      return attachFunctions(clients[i]!, t, layer, opts, wait, ctx.log, { deadline, policy: policies[i]! });
    });
    return { results: perTarget.flat() };
  } finally {
    await close();
  }
}

/** The version to attach, read back from the cloud (it must exist and be usable; ARNs come from here). */
async function resolveLayer(client: ProviderClient, ref: { layerName: string; version: number | "latest" }): Promise<AttachedLayer> {
  if (ref.version === "latest") {
    const usable = (await client.listLayerVersions(ref.layerName)).find((v) => v.status !== "failed" && (v.state === null || v.state === "Active"));
    if (!usable || usable.version === null) {
      throw new CloudError(`layer ${ref.layerName} has no usable version`, { code: "LayerNotFound", hint: `publish it first: layerctl publish <dir> --name ${ref.layerName}` });
    }
    return { layerName: ref.layerName, version: usable.version, arn: usable.arn };
  }
  const rec = await client.getLayerVersion(ref.layerName, ref.version);
  if (rec.status === "failed" || (rec.state !== null && rec.state !== "Active")) {
    throw new CloudError(`layer ${ref.layerName} version ${ref.version} is ${rec.state ?? rec.status}, not Active`, {
      code: "LayerVersionNotActive",
      requestId: rec.requestId ?? undefined,
    });
  }
  return { layerName: ref.layerName, version: ref.version, arn: rec.arn };
}

export default defineCommand({
  arguments: [{ name: "layer", description: "<layer>:<version>, or <layer>:latest for the newest usable version" }],
  options: [
    { flags: "-f, --function <names>", description: "functions to update (comma-separate or repeat)", repeatable: true },
    { flags: "--namespace <ns>", description: "function namespace, where the provider has them (default: default)" },
    { flags: "--publish-version", description: "publish a function version after the update" },
    { flags: "--alias <name>", description: "point this alias at the new function version, creating it if needed (implies --publish-version)" },
    { flags: "--description <text>", description: "description of the published function version" },
  ],
  targets: true,
  progress: true,
  formats: ["table", "json", "env"],
  examples: [
    "layerctl attach deps:7 --function api,worker -p aws -r us-east-1,eu-west-1",
    "layerctl attach deps:latest -f api -p tencent --namespace prod --alias live",
    "layerctl attach deps:3 -f api -p aliyun -r cn-shanghai --publish-version --output json",
  ],
  notes: `The same-named layer's version is replaced where it is in the list (order kept); otherwise the layer
is appended. Every function's layer count is checked against the limit (5) before any update; a
function that is missing or full fails its own record, not the others. Output: one record per
target and function (json: {"results": [...]}).`,
  run: attachCommand,
  render: (doc: AttachDocument, format: string) => (printable(doc.results, format) ? renderAttachDocument(doc, format as AttachFormat) : ""),
  failures: (doc: AttachDocument) => recordFailures(doc.results.map((r) => ({ ...r, region: `${r.region} ${r.functionName}` }))),
});
