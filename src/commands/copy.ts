// layerctl copy: one layer version to other regions, clouds or AWS partitions (../release/copy.ts).
import { renderArchive } from "../output/archive.js";
import { renderLayerDocument } from "../output/records.js";
import { copyLayer, type CopyDocument } from "../release/copy.js";
import { defineCommand } from "./shared/define.js";
import { recordsOutput } from "./shared/records.js";
import { connectionOptions } from "./shared/target-options.js";

export default defineCommand({
  arguments: [{ name: "layer:version", key: "layerVersion", description: "the version to copy, <layer>:<version> (an AWS layer ARN works too)" }],
  options: [
    { flags: "--from <provider[:region]>", description: "where the version is (default region: the provider's usual one)" },
    { flags: "--to <provider[:region]>", description: "where to publish it; comma-separate or repeat; provider:all for every region the account may use", repeatable: true },
    { flags: "-n, --name <layer>", description: "the layer name at the targets (default: the source's)" },
    { flags: "--runtime <ids>", description: "runtimes at the targets instead of the source's, translated (provider:id entries allowed)", repeatable: true },
    { flags: "--skip-unchanged", description: "report a target whose newest version already holds this zip (status unchanged) instead of publishing" },
    { flags: "--dry-run", description: "download and verify the source, print what would be published, publish nothing" },
    { flags: "--no-check", description: "skip the compatibility check of the binaries inside for the targets (see `layerctl check`)" },
    { flags: "--record <file>", description: "merge the versions this copy published into this record file" },
    { flags: "--public", description: "share each published version with everyone (see `layerctl share`)" },
    { flags: "--share-account <id>", description: "share each published version with this account (repeatable)", repeatable: true },
    { flags: "--share-organization <id>", description: "share each published version with this organization (AWS)", repeatable: true },
    { flags: "--upload <mode>", description: "inline, or staged in the target cloud's object storage first (default: auto)", choices: ["auto", "inline", "storage"] },
    { flags: "--bucket <spec>", description: "where to stage: NAME, provider=NAME or provider:region=NAME (repeatable)", repeatable: true },
    { flags: "--keep-staged", description: "keep the staged object after publishing (default: removed)" },
    { flags: "--storage-endpoint <url>", description: "object storage endpoint override (path-style addressing)" },
    ...connectionOptions(),
  ],
  progress: true,
  examples: [
    "layerctl copy deps:7 --from aws:us-east-1 --to aws:eu-west-1,aws:ap-northeast-1",
    "layerctl copy deps:7 --from aws:us-east-1 --to aws:all --skip-unchanged",
    "layerctl copy deps:12 --from tencent:ap-guangzhou --to aliyun:cn-hangzhou,aws:us-west-2",
    "layerctl copy deps:7 --from aws:us-east-1 --to aws:cn-north-1,aws:us-gov-west-1 --profile prod,aws-cn:china,aws-us-gov:gov",
  ],
  notes: `The source version's zip is streamed to a temporary file from its download link and checked
against the source cloud's own checksum (AWS and Tencent SHA-256, Aliyun CRC-64); a mismatch
publishes nothing (exit 1). It is then published like \`layerctl publish <zip>\`: the source's
description and licence, its runtimes in each target cloud's spelling (a runtime a cloud lacks is
refused, exit 2: give --runtime provider:id), its architectures where the cloud has them. Its
binaries are checked for each target's runtimes as publish checks them (see layerctl check): a
file that will not load there is exit 2, nothing published; --no-check skips it.
AWS partitions: regions of aws-cn and aws-us-gov have accounts and keys of their own; name a
profile for each with --profile aws-cn:NAME / aws-us-gov:NAME (the plain entry serves the rest).
Output: as publish (json: "source", "archive", "results", "recordFiles").`,
  run: copyLayer,
  ...recordsOutput((doc: CopyDocument, format) => {
    if (format !== "table") return renderLayerDocument(doc, format);
    const s = doc.source;
    return `copied ${s.provider} ${s.region} ${s.layerName} version ${s.version} (sha256 ${s.codeSha256})\n${renderArchive(doc.archive, "table")}\n${renderLayerDocument({ results: doc.results }, format)}`;
  }),
});
