// FC's Layer structure -> layerctl's LayerVersionRecord.
import { blankRecord, toIsoUtc } from "../record.js";
import type { LayerVersionRecord } from "../types.js";

/** The fields of FC 3.0's `Layer` that we read (models/Layer.ts of @alicloud/fc20230330). */
export interface FcLayer {
  layerName?: string;
  version?: number;
  layerVersionArn?: string;
  codeChecksum?: string;
  codeSize?: number;
  compatibleRuntime?: string[];
  createTime?: string;
  description?: string;
  license?: string;
  code?: { location?: string };
}

/**
 * FC returns a CRC-64 (codeChecksum), not a SHA-256: the record's codeSha256 is ours when we know
 * the bytes (publish, unchanged), computed from one download for `get`, and null in lists, where
 * it would mean downloading every version.
 */
export function layerRecord(region: string, fallbackName: string, layer: FcLayer, requestId: string | null, codeSha256: string | null): LayerVersionRecord {
  return {
    ...blankRecord("aliyun", region, layer.layerName || fallbackName),
    version: typeof layer.version === "number" ? layer.version : null,
    arn: layer.layerVersionArn || null,
    // FC layer versions are usable as soon as CreateLayerVersion returns.
    state: "Active",
    codeSha256,
    codeSize: typeof layer.codeSize === "number" ? layer.codeSize : null,
    compatibleRuntimes: layer.compatibleRuntime ?? [],
    compatibleArchitectures: [],
    description: layer.description || null,
    license: layer.license || null,
    createdAt: toIsoUtc(layer.createTime),
    location: layer.code?.location || null,
    requestId,
  };
}
