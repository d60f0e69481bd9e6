// The `--output json` documents as zod schemas: the README calls their field names a stable
// interface, and these make it checkable. The compile-time checks at the bottom fail the build if
// a record type in src/providers/types.ts and its schema drift apart; the tests validate real
// output against them (strict objects: an undeclared field fails).
import { z } from "zod";
import type { ArchiveSummary } from "../archive/types.js";
import type { BuildDocument } from "../build/index.js";
import type { CheckDocument } from "../commands/check.js";
import type { Finding } from "../contents/types.js";
import type { AttachRecord, FunctionVersionRecord, LayerVersionRecord, RecordError } from "../providers/types.js";
import type { PlannedAttachment } from "../release/publish-attach.js";
import type { LayerSummaryRecord, ShareRecord, VersionActionRecord } from "../release/lifecycle-records.js";
import type { ProviderInfo } from "../commands/providers.js";
import type { SkippedLayer } from "../release/config-scope.js";
import type { StatusDocument } from "../release/status.js";
import type { DownloadDocument } from "../commands/download.js";
import { providerNames } from "../providers/names.js";
import { recordFileSchema } from "./schema.js";

const provider = z.enum(providerNames);

export const recordErrorSchema = z.strictObject({
  code: z.string(),
  message: z.string(),
  requestId: z.string().nullable(),
  hint: z.string().optional(),
});

export const layerVersionRecordSchema = z
  .strictObject({
    provider,
    region: z.string(),
    layerName: z.string(),
    version: z.number().int().nullable(),
    arn: z.string().nullable(),
    status: z.enum(["published", "unchanged", "planned", "failed"]),
    state: z.string().nullable(),
    codeSha256: z.string().nullable(),
    codeSize: z.number().int().nullable(),
    compatibleRuntimes: z.array(z.string()),
    compatibleArchitectures: z.array(z.string()),
    description: z.string().nullable(),
    license: z.string().nullable(),
    createdAt: z.string().nullable(),
    location: z.string().nullable(),
    requestId: z.string().nullable(),
    // publish only: how the zip reached the cloud, and where it was staged when it went through storage.
    upload: z.enum(["inline", "storage"]).optional(),
    // kept / removeCommand: the object is still there after the run (--keep-staged, or a version not Active yet).
    staged: z.strictObject({ bucket: z.string(), key: z.string(), kept: z.literal(true).optional(), removeCommand: z.string().optional() }).optional(),
    // publish --align-version: the versions of the same zip created below `version` to reach it.
    padding: z.array(z.number().int()).optional(),
    error: recordErrorSchema.optional(),
  })
  .describe("one layer version in one provider region");

export const functionVersionRecordSchema = z.strictObject({
  provider,
  region: z.string(),
  functionName: z.string(),
  version: z.string().nullable(),
  arn: z.string().nullable(),
  description: z.string().nullable(),
  requestId: z.string().nullable(),
  error: recordErrorSchema.optional(),
});

// The function an attach speaks of and the layer it attaches: the first fields of an attach
// record and of a planned attachment alike.
const attachTargetFields = {
  provider,
  region: z.string(),
  functionName: z.string(),
  namespace: z.string().nullable(),
  layerName: z.string(),
};

export const attachRecordSchema = z
  .strictObject({
    ...attachTargetFields,
    previousVersion: z.number().int().nullable(),
    version: z.number().int().nullable(),
    status: z.enum(["attached", "detached", "unchanged", "planned", "failed"]),
    layers: z.array(z.string()),
    functionVersion: z.string().nullable(),
    alias: z.string().nullable(),
    requestId: z.string().nullable(),
    error: recordErrorSchema.optional(),
  })
  .describe("one function after attach / publish --attach");

export const plannedAttachmentSchema = z
  .strictObject({
    ...attachTargetFields,
    publishVersion: z.boolean(),
    alias: z.string().nullable(),
  })
  .describe("one function publish --dry-run --attach would attach the new version to");

export const archiveSummarySchema = z.strictObject({
  path: z.string().nullable(),
  fileCount: z.number().int(),
  uncompressedBytes: z.number().int(),
  zipBytes: z.number().int(),
  sha256: z.string(),
});

// Where a lifecycle record is and which version it speaks of: the first fields of each.
const versionAt = {
  provider,
  region: z.string(),
  layerName: z.string(),
  version: z.number().int().nullable(),
};

export const versionActionRecordSchema = z
  .strictObject({
    ...versionAt,
    arn: z.string().nullable(),
    status: z.enum(["kept", "in-use", "planned", "deleted", "not-found", "failed"]),
    state: z.string().nullable(),
    createdAt: z.string().nullable(),
    reason: z.string().nullable(),
    usedBy: z.array(z.string()),
    requestId: z.string().nullable(),
    error: recordErrorSchema.optional(),
  })
  .describe("one layer version after delete / prune");

export const layerSummaryRecordSchema = z
  .strictObject({
    ...versionAt,
    arn: z.string().nullable(),
    state: z.string().nullable(),
    createdAt: z.string().nullable(),
    compatibleRuntimes: z.array(z.string()),
    description: z.string().nullable(),
    versionCount: z.number().int().nullable(),
    versionLimit: z.number().int().nullable(),
    warning: z.string().nullable(),
    requestId: z.string().nullable(),
    error: recordErrorSchema.optional(),
  })
  .describe("one layer of one target (layerctl layers)");

export const shareRecordSchema = z
  .strictObject({
    ...versionAt,
    status: z.enum(["shared", "revoked", "skipped", "failed"]),
    grantee: z.string(),
    scope: z.enum(["version", "layer"]),
    statementId: z.string().nullable(),
    changed: z.boolean().nullable(),
    reason: z.string().nullable(),
    requestId: z.string().nullable(),
    error: recordErrorSchema.optional(),
  })
  .describe("one grant on one target (share, publish --public / --share-*)");

export const skippedLayerSchema = z
  .strictObject({ layerName: z.string(), reason: z.string() })
  .describe("a layer of the config file the run left out: --provider / --region selected none of its targets");

export const publishDocumentSchema = z
  .strictObject({
    archive: archiveSummarySchema.optional().describe("the zip, when one was built"),
    archives: z.array(archiveSummarySchema).optional().describe("the zips, when several were built (several layers or per-provider prefixes)"),
    results: z.array(layerVersionRecordSchema),
    attachments: z.array(attachRecordSchema).optional().describe("with --attach"),
    plannedAttachments: z.array(plannedAttachmentSchema).optional().describe("with --dry-run --attach: what would be attached (nothing is called)"),
    recordFiles: z.array(z.string()).optional().describe("record files (--record) of this run"),
    shares: z.array(shareRecordSchema).optional().describe("with --public / --share-*: each grant on each target"),
    skipped: z.array(skippedLayerSchema).optional().describe("layers of the config file left out by --provider / --region"),
    alignedVersion: z.number().int().optional().describe("with --align-version: the version number every target was to hold"),
  })
  .describe("layerctl publish --output json");

export const layerDocumentSchema = z.strictObject({ results: z.array(layerVersionRecordSchema) }).describe("layerctl get / versions --output json");
export const functionDocumentSchema = z.strictObject({ results: z.array(functionVersionRecordSchema) }).describe("layerctl publish-function --output json");
export const attachDocumentSchema = z.strictObject({ results: z.array(attachRecordSchema) }).describe("layerctl attach / detach --output json");
export const versionActionDocumentSchema = z.strictObject({ results: z.array(versionActionRecordSchema) }).describe("layerctl delete / prune --output json");
export const layerSummaryDocumentSchema = z.strictObject({ results: z.array(layerSummaryRecordSchema) }).describe("layerctl layers --output json");
export const shareDocumentSchema = z.strictObject({ results: z.array(shareRecordSchema) }).describe("layerctl share --output json");
export const packDocumentSchema = archiveSummarySchema.describe("layerctl pack --output json");

export const providersDocumentSchema = z
  .strictObject({
    providers: z.array(
      z.strictObject({
        name: provider,
        title: z.string(),
        defaultRegion: z.string(),
        regions: z.array(z.string()),
        runtimes: z.array(z.strictObject({ id: z.string(), aliases: z.array(z.string()) })),
        limits: z.strictObject({
          layerName: z.string(),
          maxZipBytes: z.number().int(),
          maxZipNote: z.string().nullable(),
          maxUnzippedBytes: z.number().int().nullable(),
          maxRuntimes: z.number().int(),
          architectures: z.array(z.string()).nullable(),
          maxDescriptionLength: z.number().int(),
          maxLicenseLength: z.number().int(),
          maxVersionsPerLayer: z.number().int().nullable(),
          maxLayersPerRegion: z.number().int().nullable(),
        }),
        credentialVariables: z.array(z.string()),
        credentialOrder: z.array(z.string()).describe("where credentials are looked for, first to last"),
        regionVariables: z.array(z.string()),
        endpointVariables: z.array(z.string()),
        asyncPublish: z.boolean(),
      }),
    ),
  })
  .describe("layerctl providers --output json");

const statusTargetSchema = z.strictObject({
  provider,
  region: z.string(),
  layerName: z.string(),
  version: z.number().int().nullable(),
  state: z.enum(["in-sync", "behind", "differs", "missing", "error"]),
  codeSha256: z.string().nullable(),
  versionCount: z.number().int().nullable(),
  versionLimit: z.number().int().nullable(),
  requestId: z.string().nullable(),
  error: recordErrorSchema.optional(),
});

export const statusDocumentSchema = z
  .strictObject({
    layers: z.array(
      z.strictObject({
        layerName: z.string(),
        local: z
          .array(z.strictObject({ providers: z.array(provider), sha256: z.string(), crc64: z.string(), size: z.number().int() }))
          .nullable()
          .describe("the local build compared with (one per prefix group); null without one"),
        aligned: z.boolean().describe("every target's newest version is the same number"),
        highestVersion: z.number().int().nullable(),
        targets: z.array(statusTargetSchema),
      }),
    ),
  })
  .describe("layerctl status --output json");

export const downloadDocumentSchema = z
  .strictObject({
    file: z.string(),
    bytes: z.number().int(),
    sha256: z.string(),
    crc64: z.string(),
    version: layerVersionRecordSchema,
  })
  .describe("layerctl download --output json");

export const copyDocumentSchema = publishDocumentSchema
  .extend({ source: layerVersionRecordSchema.describe("the version copied (codeSha256 and codeSize from the verified download)") })
  .describe("layerctl copy --output json");

/** Which document each command prints with --output json (`record merge` prints a record file). */
export const DOCUMENT_OF_COMMAND = {
  publish: "publishDocument",
  get: "layerDocument",
  versions: "layerDocument",
  "publish-function": "functionDocument",
  attach: "attachDocument",
  detach: "attachDocument",
  delete: "versionActionDocument",
  prune: "versionActionDocument",
  layers: "layerSummaryDocument",
  share: "shareDocument",
  providers: "providersDocument",
  pack: "packDocument",
  status: "statusDocument",
  download: "downloadDocument",
  copy: "copyDocument",
  check: "checkDocument",
  build: "buildDocument",
  record: "recordFile",
} as const;

export const findingSchema = z
  .strictObject({
    severity: z.enum(["error", "warning"]),
    code: z
      .string()
      .describe(
        "WrongArchitecture, MissingArchitecture, GlibcTooNew, LibstdcxxTooNew, MuslBinary, MacOSBinary, WindowsBinary, NotForLinux, PythonAbi, NodeAbi, NodeApiVersion, UnsupportedArchitecture, MixedArchitectures",
      ),
    file: z.string().describe("the file inside the zip"),
    provider: provider.nullable().describe("null: a problem on any cloud"),
    runtimes: z.array(z.string()),
    architectures: z.array(z.string()),
    needs: z.string(),
    has: z.string(),
    fix: z.string(),
  })
  .describe("one file that will not load (error) or may not (warning) on one target");

export const checkDocumentSchema = z
  .strictObject({
    source: z.string(),
    targets: z.array(z.strictObject({ provider: provider.nullable(), runtimes: z.array(z.string()), architectures: z.array(z.string()) })),
    binaries: z.number().int(),
    errors: z.number().int(),
    warnings: z.number().int(),
    findings: z.array(findingSchema),
  })
  .describe("layerctl check --output json");

export const buildDocumentSchema = z
  .strictObject({
    layer: z.string(),
    ecosystem: z.enum(["python", "node"]),
    builds: z.array(
      z.strictObject({
        id: z.string(),
        architecture: z.string(),
        python: z.string().nullable(),
        glibc: z.string(),
        os: z.string(),
        tool: z.string(),
        status: z.enum(["built", "unchanged"]),
        dir: z.string(),
      }),
    ),
    trees: z.array(z.strictObject({ provider, dir: z.string(), installPath: z.string(), builds: z.array(z.string()) })),
  })
  .describe("layerctl build --output json");

/** One JSON Schema document with every output shape under $defs. */
export function outputJsonSchema(): Record<string, unknown> {
  const defs: Record<(typeof DOCUMENT_OF_COMMAND)[keyof typeof DOCUMENT_OF_COMMAND], z.ZodType> = {
    publishDocument: publishDocumentSchema,
    layerDocument: layerDocumentSchema,
    functionDocument: functionDocumentSchema,
    attachDocument: attachDocumentSchema,
    versionActionDocument: versionActionDocumentSchema,
    layerSummaryDocument: layerSummaryDocumentSchema,
    shareDocument: shareDocumentSchema,
    providersDocument: providersDocumentSchema,
    packDocument: packDocumentSchema,
    statusDocument: statusDocumentSchema,
    downloadDocument: downloadDocumentSchema,
    copyDocument: copyDocumentSchema,
    checkDocument: checkDocumentSchema,
    buildDocument: buildDocumentSchema,
    recordFile: recordFileSchema,
  };
  const $defs = Object.fromEntries(
    Object.entries(defs).map(([k, s]) => {
      const { $schema: _drop, ...rest } = z.toJSONSchema(s) as Record<string, unknown>;
      return [k, rest];
    }),
  );
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://layerctl.dev/schema/output.schema.json",
    title: "layerctl --output json documents and the --record file",
    anyOf: Object.keys(defs).map((k) => ({ $ref: `#/$defs/${k}` })),
    $defs,
  };
}

// Compile-time: each schema infers exactly its contract type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const schemasMatchTypes: [
  Same<z.infer<typeof recordErrorSchema>, RecordError>,
  Same<z.infer<typeof layerVersionRecordSchema>, LayerVersionRecord>,
  Same<z.infer<typeof functionVersionRecordSchema>, FunctionVersionRecord>,
  Same<z.infer<typeof attachRecordSchema>, AttachRecord>,
  Same<z.infer<typeof archiveSummarySchema>, ArchiveSummary>,
  Same<z.infer<typeof plannedAttachmentSchema>, PlannedAttachment>,
  Same<z.infer<typeof versionActionRecordSchema>, VersionActionRecord>,
  Same<z.infer<typeof layerSummaryRecordSchema>, LayerSummaryRecord>,
  Same<z.infer<typeof shareRecordSchema>, ShareRecord>,
  Same<z.infer<typeof skippedLayerSchema>, SkippedLayer>,
  Same<z.infer<typeof providersDocumentSchema>["providers"][number], ProviderInfo>,
  Same<z.infer<typeof statusDocumentSchema>, StatusDocument>,
  Same<z.infer<typeof downloadDocumentSchema>, DownloadDocument>,
  Same<z.infer<typeof findingSchema>, Finding>,
  Same<z.infer<typeof checkDocumentSchema>, CheckDocument>,
  Same<z.infer<typeof buildDocumentSchema>, BuildDocument>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];
