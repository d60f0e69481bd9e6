// layerctl attach <layer>:<version|latest> --function f1,f2: move functions to a layer version in
// every target, optionally publishing a function version and pointing an alias at it. With the
// config file, a layer it declares goes to its targets, functions and alias; --from-record gives
// each target the version it got; --to-previous goes back; --dry-run reads and plans only.
import { renderAttachDocument, type AttachFormat } from "../output/attach.js";
import { runAttach, type AttachDocument, type AttachInput } from "../release/attach-run.js";
import { attachCommandOptions } from "./shared/attach-command-options.js";
import type { CommandContext } from "../targets/context.js";
import { defineCommand } from "./shared/define.js";
import { printable, recordFailures } from "./shared/records.js";

export type { AttachDocument, AttachInput };

export function attachCommand(input: AttachInput, ctx: CommandContext): Promise<AttachDocument> {
  return runAttach(input, ctx, "attach");
}

export default defineCommand({
  arguments: [{ name: "layer", description: "<layer>:<version>, <layer>:latest for the newest usable version, or <layer> with --from-record / --to-previous" }],
  options: [
    ...attachCommandOptions("attach"),
    { flags: "--from-record <file>", description: "move each target to the version this record file says it got (versions differ by region)" },
    { flags: "--to-previous", description: "move back to the version each function used before (the record's previous, else the function's published versions)" },
  ],
  targets: true,
  progress: true,
  formats: ["table", "json", "env"],
  examples: [
    "layerctl attach deps:7 --function api,worker -p aws -r us-east-1,eu-west-1",
    "layerctl attach deps:latest -f api -p tencent --namespace prod --alias live",
    "layerctl attach deps --from-record layers.lock.json --alias live --dry-run",
    "layerctl attach deps --to-previous -f api -p aws --alias live",
  ],
  notes: `The same-named layer's version is replaced where it is in the list (order kept); otherwise the layer
is appended. Every function's layer count is checked against the limit (5) before any update; a
function that is missing or full fails its own record, not the others. A function that already
uses the version is left as it is, and no function version is published when one with exactly
these layers exists (the alias's, else the newest): re-runs change nothing. With the config file
(layerctl.config.json...), a layer it declares goes to its targets (--provider / --region select
among them) and its "attach" functions, namespace, publishVersion and alias unless flags say
otherwise. --dry-run reads every function and lists FROM and TO, changing nothing.
Output: one record per target and function (json: {"results": [...]}).`,
  run: attachCommand,
  render: (doc: AttachDocument, format: string) => (printable(doc.results, format) ? renderAttachDocument(doc, format as AttachFormat) : ""),
  failures: (doc: AttachDocument) => recordFailures(doc.results.map((r) => ({ ...r, region: `${r.region} ${r.functionName}` }))),
});
