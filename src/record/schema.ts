// The record file (--record): what was published, by layer, provider and region, for later steps
// of a release (`jq -r '.layers.deps.aws["us-east-1"].version' layers.lock.json`). Public
// interface: the schema below is the one `layerctl schema output` prints.
import { z } from "zod";
import { providerNames } from "../providers/names.js";

export const RECORD_FORMAT = 1;

export const recordEntrySchema = z
  .strictObject({
    version: z.number().int().positive().describe("the layer version in that region"),
    arn: z.string().nullable().describe("layer version ARN (AWS, Aliyun); null for Tencent"),
    codeSha256: z.string().nullable().describe("hex SHA-256 of the zip"),
    status: z.enum(["published", "unchanged"]).describe("published in that run, or found unchanged (--skip-unchanged)"),
    time: z.string().describe("when this entry last changed (a run that finds the same version keeps it), ISO 8601 UTC"),
    padding: z.array(z.number().int().positive()).optional().describe("publish --align-version: versions of the same zip created below this one to reach it"),
    previous: z
      .strictObject({ version: z.number().int().positive(), arn: z.string().nullable() })
      .optional()
      .describe("the version this entry replaced (what `layerctl attach LAYER --to-previous --from-record FILE` goes back to)"),
  })
  .describe("one layer version in one provider region");

export const recordFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    format: z.literal(RECORD_FORMAT).describe("record file format version"),
    layers: z.record(z.string(), z.partialRecord(z.enum(providerNames), z.record(z.string(), recordEntrySchema)).describe("by provider, then region")).describe("by layer name"),
  })
  .describe("layerctl record file: the layer versions a release published, by layer, provider and region");

export type RecordEntry = z.infer<typeof recordEntrySchema>;
export type RecordFile = z.infer<typeof recordFileSchema>;
