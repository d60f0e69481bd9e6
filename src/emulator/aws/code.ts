// Inline code uploads (layer Content / function Code): decode, check it is a usable zip the way
// Lambda does, count it against the region's code storage, and store it in the blob store.
import { createHash } from "node:crypto";
import { AwsApiError } from "./errors.js";
import { readBlob, readString, type AwsDeps, type Body } from "./request.js";
import type { RegionState } from "./state.js";
import { checkZip } from "../zip.js";

/** Lambda quotas: unzipped deployment package (incl. layers) and code storage per region. */
export const MAX_UNZIPPED_BYTES = 262_144_000;
export const CODE_STORAGE_BYTES = 75 * 1024 ** 3;

export interface StoredCode {
  blob: string;
  size: number;
}

export async function storeInlineZip(content: Body, deps: AwsDeps, region: RegionState, kind: "layer" | "function"): Promise<StoredCode> {
  const zip = readBlob(content, "ZipFile") ?? (await fromS3(content, deps, regionName(deps, region)));
  if (zip === undefined) {
    throw new AwsApiError("InvalidParameterValueException", `Please provide a source for ${kind} code.`);
  }
  const check = checkZip(zip);
  if (!check.ok) {
    throw new AwsApiError(
      "InvalidParameterValueException",
      check.reason === "empty" ? "Uploaded file must be a non-empty zip" : "Could not unzip uploaded file. Please check your file, then try to upload again.",
    );
  }
  if (check.uncompressedSize > MAX_UNZIPPED_BYTES) {
    throw new AwsApiError("InvalidParameterValueException", `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
  }
  if (storageUsed(region) + zip.length > CODE_STORAGE_BYTES) {
    throw new AwsApiError("CodeStorageExceededException", "Code storage limit exceeded.");
  }
  const blob = await deps.ctx.blobs.put(zip);
  return { blob, size: zip.length };
}

/**
 * Content.S3Bucket/S3Key: Lambda fetches the object from S3 in the function's region. Its errors
 * are InvalidParameterValueException quoting S3's code ("Error occurred while GetObject. S3 Error
 * Code: NoSuchBucket. S3 Error Message: ..."), as reported by SAM/CloudFormation users; the
 * PermanentRedirect wording for a bucket in another region is from those reports too.
 */
async function fromS3(content: Body, deps: AwsDeps, regionName: string): Promise<Buffer | undefined> {
  const bucket = readString(content, "S3Bucket");
  const key = readString(content, "S3Key");
  if (bucket === undefined && key === undefined) return undefined;
  if (!bucket || !key) throw new AwsApiError("InvalidParameterValueException", "Please provide both S3Bucket and S3Key.");
  const got = await deps.s3.readForLambda(bucket, key, regionName);
  if (!got.ok) throw new AwsApiError("InvalidParameterValueException", `Error occurred while GetObject. S3 Error Code: ${got.code}. S3 Error Message: ${got.message}`);
  return got.bytes;
}

function regionName(deps: AwsDeps, region: RegionState): string {
  return Object.entries(deps.ctx.regions()).find(([, r]) => r === region)?.[0] ?? "";
}

function storageUsed(region: RegionState): number {
  let total = 0;
  for (const layer of Object.values(region.layers)) for (const v of Object.values(layer.versions)) total += v.codeSize;
  for (const fn of Object.values(region.functions)) {
    total += fn.latest.codeSize;
    for (const v of Object.values(fn.versions)) total += v.codeSize;
  }
  return total;
}

/** Lambda reports CodeSha256 as base64; a corrupted report flips every bit so it can never match. */
export function codeSha256(blobHex: string, corrupt = false): string {
  const digest = Buffer.from(blobHex, "hex");
  if (corrupt) for (let i = 0; i < digest.length; i++) digest[i] = ~digest[i]! & 0xff;
  return digest.toString("base64");
}

export function sha256Hex(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
