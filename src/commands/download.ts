// layerctl download: one layer version's zip to disk, streamed from the cloud's download link
// (AWS Content.Location, Tencent Location, Aliyun code.location) and checked against the cloud's
// own checksum (SHA-256, or FC's CRC-64). A mismatch is exit 1 and leaves no file behind.
import path from "node:path";
import { UsageError } from "../errors.js";
import { keyValueTable, humanBytes } from "../output/table.js";
import { describeTarget } from "../targets/describe.js";
import { runSettings, withTargets } from "../targets/runner.js";
import type { LayerVersionRecord } from "../providers/types.js";
import type { CommandContext } from "../targets/context.js";
import { downloadVersion } from "../release/download-version.js";
import { defineCommand } from "./shared/define.js";
import { bareLayerName, parseLayerVersion } from "../release/layer-version.js";
import { checkZipOut } from "../archive/options.js";
import type { TargetOptions } from "../targets/resolve.js";

export interface DownloadInput extends TargetOptions {
  /** `<layer>:<version>` */
  layerVersion: string;
  out?: string;
  timeout?: string;
}

export interface DownloadDocument {
  /** Absolute path of the zip written. */
  file: string;
  bytes: number;
  sha256: string;
  /** CRC-64/XZ, decimal (what Aliyun FC and the object stores report). */
  crc64: string;
  /** The version as the cloud reports it. */
  version: LayerVersionRecord;
}

export async function downloadCommand(input: DownloadInput, ctx: CommandContext): Promise<DownloadDocument> {
  const { layerName, version } = parseLayerVersion(input.layerVersion);
  const settings = runSettings(input);
  const out = path.resolve(input.out ?? `${bareLayerName(layerName)}-${version}.zip`);
  if (input.out !== undefined) checkZipOut(input.out);
  return withTargets(input, ctx, { settings, layerName, boundListing: true }, async (run) => {
    if (run.targets.length !== 1) {
      throw new UsageError(`download reads one target, not ${run.targets.length} (${run.targets.map(describeTarget).join(", ")})`, {
        code: "OneTargetOnly",
        hint: "name one provider and one region: -p aws -r us-east-1",
      });
    }
    const [result] = await run.each(async ({ client, target: t, budget }) => {
      const content = await client.layerContent(layerName, version);
      ctx.progress?.(`downloading ${layerName} version ${version} from ${describeTarget(t)}`);
      const got = await downloadVersion(out, { client, provider: t.provider.name, layerName, version, content, budget, log: ctx.log, progress: ctx.progress });
      return { file: out, bytes: got.bytes, sha256: got.sha256, crc64: got.crc64, version: { ...content.record, codeSha256: got.sha256, codeSize: got.bytes } };
    });
    return result!;
  });
}

function render(doc: DownloadDocument, format: string): string {
  if (format === "json") return JSON.stringify(doc, null, 2) + "\n";
  const v = doc.version;
  return keyValueTable([
    ["file", doc.file],
    ["size", `${humanBytes(doc.bytes)} (${doc.bytes} bytes)`],
    ["sha256", doc.sha256],
    ["layer", `${v.provider} ${v.region} ${v.layerName} version ${v.version}`],
    ["runtimes", v.compatibleRuntimes.join(", ") || "-"],
  ]);
}

export default defineCommand({
  arguments: [{ name: "layer:version", key: "layerVersion", description: "<layer>:<version>, e.g. deps:7 (an AWS layer ARN works too)" }],
  options: [{ flags: "-o, --out <file>", description: "where to write the zip (a path ending in .zip; default <layer>-<version>.zip here)" }],
  targets: true,
  progress: true,
  formats: ["table", "json"],
  examples: ["layerctl download deps:7 -p aws -r eu-west-1", "layerctl download deps:12 -p tencent -r ap-shanghai -o deps.zip --output json | jq -r .sha256"],
  notes: `The zip is streamed to disk and checked against the cloud's own checksum (AWS and Tencent
SHA-256, Aliyun FC CRC-64) before it is moved into place: a mismatch exits 1 and leaves no file.
An existing file at --out is replaced only by a complete, verified zip.`,
  run: downloadCommand,
  render,
});
