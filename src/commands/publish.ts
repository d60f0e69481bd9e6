// layerctl publish: the command's options and output. The publish itself is src/release/publish.ts
// (validate, build the zip, plan, execute); with the config file (no source, or a layer's name)
// src/release/publish-config.ts maps each layer onto it, flags overriding the file's keys.
import { renderAttachTable, renderPlannedAttachTable } from "../output/attach.js";
import { renderShares } from "../output/lifecycle.js";
import { renderLayerDocument } from "../output/records.js";
import { publishWithConfig, type ConfigPublishDocument, type ConfigPublishInput } from "../release/publish-config.js";
import { preparePublish } from "../release/publish.js";
import type { CommandContext } from "../targets/context.js";
import { defineCommand } from "./shared/define.js";
import { recordFailures, recordsOutput } from "./shared/records.js";
import { configOption } from "./shared/target-options.js";

export default defineCommand({
  arguments: [
    {
      name: "source",
      description: "layer directory, a .zip to publish as it is, or the name of a layer in the config file (none: every configured layer)",
      optional: true,
    },
  ],
  options: [
    { flags: "-n, --name <layer>", description: "layer name" },
    { flags: "--runtime <ids>", description: "compatible runtimes, e.g. python3.12,nodejs20 (see `layerctl providers`)", repeatable: true },
    { flags: "--arch <arch>", description: "x86_64 or arm64 (repeat for both; providers without architectures ignore it with a warning)", repeatable: true },
    { flags: "--description <text>", description: "version description" },
    { flags: "--license <text>", description: "license (SPDX id, URL or text)" },
    { flags: "--dry-run", description: "validate and pack, print what would be published, call nothing; needs no credentials (those set are checked)" },
    { flags: "--no-wait", description: "do not wait for asynchronous publishing to finish" },
    {
      flags: "--skip-unchanged",
      description:
        "if the newest version has this exact zip, runtimes and architectures, report it (status unchanged) instead of publishing; description and license are not compared",
    },
    { flags: "--no-skip-unchanged", description: "publish even when the newest version is the same (overrides the config's skipUnchanged)" },
    { flags: "--public", description: "share each published version with everyone, where the cloud can (Tencent cannot: skipped, with the reason)" },
    { flags: "--no-public", description: "do not share publicly (overrides the config's sharing.public)" },
    { flags: "--share-account <id>", description: "share each published version with this account; provider:ID for one provider (repeatable)", repeatable: true },
    { flags: "--share-organization <id>", description: "share each published version with this organization (AWS; repeatable)", repeatable: true },
    { flags: "-o, --out <file>", description: "also keep the built zip here (a path ending in .zip; for the print format see --output)" },
    { flags: "--exclude <glob>", description: "leave out paths matching this gitignore-style pattern (repeatable)", repeatable: true },
    { flags: "--prefix <path>", description: "put the contents under this folder in the zip (e.g. python, nodejs)" },
    // No default here: a default would override the config file's "symlinks" (parseSymlinkMode keeps links).
    { flags: "--symlinks <mode>", description: "keep links (inside the dir only) or store their targets (default: keep)", choices: ["keep", "follow"] },
    { flags: "--no-check", description: "skip the compatibility check of the binaries inside (see `layerctl check`)" },
    configOption,
    { flags: "--record <file>", description: "merge the versions this run published into this record file (written atomically)" },
    { flags: "--attach <functions>", description: "then attach the published version to these functions (comma-separate or repeat)", repeatable: true },
    { flags: "--namespace <ns>", description: "with --attach: function namespace, where the provider has them (default: default)" },
    { flags: "--publish-version", description: "with --attach: publish a function version after the update (unless one with these layers exists)" },
    { flags: "--no-publish-version", description: "with --attach: no function version (overrides the config's attach.publishVersion)" },
    { flags: "--alias <name>", description: "with --attach: point this alias at the new function version (implies --publish-version)" },
    {
      flags: "--upload <mode>",
      description: "inline in the API call, or staged in the cloud's object storage first (default: auto, staged only over the inline limit)",
      choices: ["auto", "inline", "storage"],
    },
    { flags: "--bucket <spec>", description: "where to stage: NAME, provider=NAME or provider:region=NAME; {region} becomes the target's region (repeatable)", repeatable: true },
    { flags: "--keep-staged", description: "keep the staged object after publishing (default: removed)" },
    { flags: "--no-keep-staged", description: "remove the staged object (overrides the config's keepStaged)" },
    { flags: "--storage-endpoint <url>", description: "object storage endpoint override (path-style addressing), a full http(s)://host:port URL" },
    {
      flags: "--align-version",
      description: "publish until every target holds the same version number (the highest + 1), padding with this same zip; targets already holding it there are left alone",
    },
    { flags: "--max-padding <n>", description: "with --align-version: refuse (before any publish) when a target would need more padding versions than this (default 10)" },
    {
      flags: "--resume <file>",
      description: "a record file of an earlier run: publish only to the targets it does not show holding this zip (and merge the new versions into it)",
    },
  ],
  targets: true,
  progress: true,
  examples: [
    "layerctl publish ./my-layer --provider tencent --name deps --runtime python3.10",
    "layerctl publish ./site-packages --prefix python -p aws -n deps --runtime python3.12 --arch arm64",
    "layerctl publish layer.zip -p aws,aliyun -r aws:eu-west-1,aliyun:cn-shanghai -n deps --runtime nodejs20",
    "layerctl publish ./my-layer -p tencent -n deps --runtime python3.10 --emulator --output json",
    'echo "version=$(layerctl publish ./l -p aws -n deps --runtime nodejs20 --output version)" >> "$GITHUB_OUTPUT"',
    "layerctl publish                      # every layer of layerctl.config.json",
    "layerctl publish deps -p aws --record layers.lock.json --attach api --alias live",
    "layerctl publish ./l -n deps -p aws,aliyun --runtime aws:python3.11,aliyun:python3.10 --prefix aws:python,aliyun:python",
    "layerctl publish ./big-layer -p tencent,aws,aliyun -n deps --runtime python3.10 --bucket 'aws=my-layers-{region}' --bucket tencent=layers-1250000000",
    "layerctl publish ./l -n deps --runtime python3.12 -p aws -r aws:all --align-version --record layers.lock.json",
    "layerctl publish ./l -n deps --runtime python3.12 -p aws -r aws:all --align-version --resume layers.lock.json",
  ],
  notes: `Output: table (people), json ({"archive": {...}, "results": [record, ...]}; "archives" when several zips
were built, "attachments" with --attach ("plannedAttachments" with --dry-run), "recordFiles" with --record), version (the bare
number for one target; "provider region version" lines for several; "planned" on --dry-run),
env (KEY=value lines). Only the document goes to stdout; progress and warnings go to stderr.
A failed target is listed with status "failed" and reported on stderr; the exit code is then 1.
Before anything is uploaded, the binaries inside are checked for each provider's runtimes and
--arch (see layerctl check): a file that will not load is exit 2, one line each; --no-check skips it.
--public / --share-account / --share-organization share each version right after it is published
(see layerctl share), where the cloud can: Tencent's targets are listed as skipped under "shares"; if
sharing fails, the target is "failed", naming the version that was published.
With the config file (no source, or a layer's name): --provider and --region select among the
targets it declares (a layer with none left is skipped, under "skipped"); every layer of the file
puts the layer in each env key (LAYERCTL_DEPS_AWS_US_EAST_1_VERSION) and version line. With
--emulator its record goes to <record>.emulator.json, never the real one.

Big layers: over a cloud's inline limit the zip is staged in its object storage (S3, COS, OSS) and
published from there, then removed. Buckets: --bucket, or LAYERCTL_BUCKET_AWS / _TENCENT / _ALIYUN
(same syntax); a bucket must be in the target's region. Tencent bucket names carry the -APPID suffix.
Aliyun without a bucket uses FC's temporary bucket. Storage endpoints: --storage-endpoint, or
LAYERCTL_STORAGE_ENDPOINT_AWS / _TENCENT / _ALIYUN (AWS also AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL).

Fleets: --region aws:all (tencent:all, aliyun:all, or all) is every region the account may use, asked
of the cloud (layerctl's list, with a warning, when the credentials may not ask). --align-version reads
every target's newest version first, takes N = the highest + 1 (a target already holding this zip
stands at its version), and publishes this zip in each target until it holds version N; the versions
below N it creates are padding (same zip; "padding" in the record). A target that already has N or more
is reported (AlignOvershoot), never forced; one that could not be read fails and the same command later
catches it up. --max-padding (default 10) and Tencent's 200 versions per layer are checked before any
publish. --resume FILE publishes only to the targets FILE does not show holding this zip, and merges the
new versions into FILE; with --align-version, N is the version FILE holds.`,
  // With the config file: no source publishes every configured layer; flags override its keys.
  run: (input: ConfigPublishInput, ctx: CommandContext) => publishWithConfig(input, ctx, preparePublish),
  ...recordsOutput(
    (doc: ConfigPublishDocument, format) =>
      renderLayerDocument(doc, format) +
      (doc.attachments && format === "table" ? `\n${renderAttachTable(doc.attachments)}` : "") +
      (doc.plannedAttachments && format === "table" ? `\n${renderPlannedAttachTable(doc.plannedAttachments)}` : "") +
      (doc.shares?.length && format === "table" ? `\n${renderShares({ results: doc.shares }, "table")}` : "") +
      (doc.skipped && format === "table" ? `\n${doc.skipped.map((l) => `skipped ${l.layerName}: ${l.reason}\n`).join("")}` : ""),
  ),
  failures: (doc: ConfigPublishDocument) => [
    ...recordFailures(doc.results),
    ...recordFailures((doc.attachments ?? []).map((a) => ({ ...a, region: `${a.region} ${a.functionName}` }))),
    ...(doc.recordErrors ?? []).map(({ file, ...error }) => ({ where: `record ${file}`, ...error, message: `${error.message} (the versions listed were published)` })),
  ],
});
