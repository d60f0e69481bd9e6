// Lambda answers -> layerctl records. Lambda reports CodeSha256 in base64; records hold hex.
import { blankRecord, toIsoUtc } from "../record.js";
import type { FunctionVersionRecord, LayerVersionRecord } from "../types.js";

export interface LayerVersionShape {
  LayerArn?: string;
  LayerVersionArn?: string;
  Version?: number;
  Description?: string;
  CreatedDate?: string;
  CompatibleRuntimes?: string[];
  CompatibleArchitectures?: string[];
  LicenseInfo?: string;
  Content?: { Location?: string; CodeSha256?: string; CodeSize?: number };
  $metadata?: { requestId?: string };
}

export function base64ToHex(value: string | undefined): string | null {
  if (!value) return null;
  return Buffer.from(value, "base64").toString("hex");
}

/** The bare layer name from a layer (version) ARN; the given name when there is no ARN. */
function nameOf(arn: string | undefined, fallback: string): string {
  const m = arn ? /:layer:([^:]+)/.exec(arn) : null;
  return m ? m[1]! : fallback;
}

export function layerRecord(region: string, layerName: string, out: LayerVersionShape, requestId?: string): LayerVersionRecord {
  const rec = blankRecord("aws", region, nameOf(out.LayerArn ?? out.LayerVersionArn, layerName));
  rec.version = out.Version ?? null;
  rec.arn = out.LayerVersionArn ?? null;
  rec.state = "Active";
  rec.codeSha256 = base64ToHex(out.Content?.CodeSha256);
  rec.codeSize = out.Content?.CodeSize ?? null;
  rec.compatibleRuntimes = out.CompatibleRuntimes ?? [];
  rec.compatibleArchitectures = out.CompatibleArchitectures ?? [];
  rec.description = out.Description || null;
  rec.license = out.LicenseInfo || null;
  rec.createdAt = toIsoUtc(out.CreatedDate);
  rec.location = out.Content?.Location ?? null;
  rec.requestId = requestId ?? out.$metadata?.requestId ?? null;
  return rec;
}

export interface FunctionVersionShape {
  FunctionName?: string;
  FunctionArn?: string;
  Version?: string;
  Description?: string;
  $metadata?: { requestId?: string };
}

export function functionVersionRecord(region: string, functionName: string, out: FunctionVersionShape): FunctionVersionRecord {
  return {
    provider: "aws",
    region,
    functionName: out.FunctionName ?? functionName,
    version: out.Version ?? "",
    arn: out.FunctionArn ?? null,
    description: out.Description || null,
    requestId: out.$metadata?.requestId ?? null,
  };
}
