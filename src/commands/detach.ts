// layerctl detach <layer> --function f1,f2: take a layer out of functions' layer lists, with the
// care attach takes (read every function first, wait for the update, optionally publish a function
// version and point an alias at it).
import { renderAttachDocument, type AttachFormat } from "../output/attach.js";
import { runAttach, type AttachDocument, type AttachInput } from "../release/attach-run.js";
import { attachCommandOptions } from "./shared/attach-command-options.js";
import type { CommandContext } from "../targets/context.js";
import { defineCommand } from "./shared/define.js";
import { printable, recordFailures } from "./shared/records.js";

export function detachCommand(input: AttachInput, ctx: CommandContext): Promise<AttachDocument> {
  return runAttach(input, ctx, "detach");
}

export default defineCommand({
  arguments: [{ name: "layer", description: "the layer's name (every version of it is taken out)" }],
  options: attachCommandOptions("detach"),
  targets: true,
  progress: true,
  formats: ["table", "json", "env"],
  examples: ["layerctl detach deps -f api,worker -p aws -r us-east-1", "layerctl detach deps -f api -p tencent --alias live --dry-run"],
  notes: `One record per target and function: detached (previousVersion says which version it used),
unchanged (it did not use the layer), planned (--dry-run) or failed. With the config file, a layer
it declares is taken out in its targets and of its "attach" functions unless flags say otherwise.`,
  run: detachCommand,
  render: (doc: AttachDocument, format: string) => (printable(doc.results, format) ? renderAttachDocument(doc, format as AttachFormat) : ""),
  failures: (doc: AttachDocument) => recordFailures(doc.results.map((r) => ({ ...r, region: `${r.region} ${r.functionName}` }))),
});
