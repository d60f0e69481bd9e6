// Lambda's limits for layers and where they come from. Size: Lambda refuses requests over
// 69,905,067 bytes ("Request must be smaller than 69905067 bytes"), which is what "50 MB zipped
// for direct upload" amounts to once the zip is base64-encoded inside the JSON body.
import { UsageError } from "../../errors.js";
import type { LayerSpec, ProviderLimits } from "../types.js";

export const MAX_REQUEST_BYTES = 69_905_067;
/** The smallest body around a zip: layerctl always sends at least one (short) runtime. */
const MIN_BODY_OVERHEAD = JSON.stringify({ Content: { ZipFile: "" }, CompatibleRuntimes: ["java8"] }).length;

export const AWS_LIMITS: ProviderLimits = {
  layerNameRule: "1-140 characters: letters, digits, hyphens and underscores; or a layer ARN (arn:aws:lambda:REGION:ACCOUNT:layer:NAME)",
  layerNamePattern: /^(?:arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9_-]+|[a-zA-Z0-9_-]+)$/,
  layerNameMaxLength: 140,
  maxZipBytes: Math.floor((MAX_REQUEST_BYTES - MIN_BODY_OVERHEAD) / 4) * 3,
  maxZipNote: "Lambda documents 50 MB zipped for direct uploads and refuses requests of 69,905,067 bytes or more; the zip travels base64-encoded inside that request",
  // "250 MB" unzipped (262,144,000 bytes), for the function and all its layers together: a layer
  // bigger than that alone can never be attached.
  maxUnzippedBytes: 262_144_000,
  maxUnzippedNote: "Lambda allows 262,144,000 bytes (250 MB) unzipped for a function and all its layers together",
  maxRuntimes: 15,
  architectures: ["x86_64", "arm64"],
  maxArchitectures: 2,
  maxDescriptionLength: 256,
  maxLicenseLength: 512,
  // "A function can use up to 5 layers at a time" (Lambda quotas); UpdateFunctionConfiguration refuses more.
  maxLayersPerFunction: 5,
  maxVersionsPerLayer: null,
  // Lambda caps layer storage (75 GB per region, shared with functions), not the number of layers.
  maxLayersPerRegion: null,
  // Not in the Lambda quotas page for these APIs; ~15 requests per second across the Lambda
  // control-plane APIs is what users report being throttled at, per account and region.
  requestRate: { perSecond: 15, scope: "region" },
};

/** Exact size of the PublishLayerVersion body the SDK will send for this spec. */
export function publishRequestBytes(spec: LayerSpec, nativeRuntimes: string[]): number {
  const body: Record<string, unknown> = { Content: { ZipFile: "" } };
  if (spec.description !== undefined) body.Description = spec.description;
  if (spec.architectures.length > 0) body.CompatibleArchitectures = spec.architectures;
  if (nativeRuntimes.length > 0) body.CompatibleRuntimes = nativeRuntimes;
  if (spec.license !== undefined) body.LicenseInfo = spec.license;
  return Buffer.byteLength(JSON.stringify(body)) + 4 * Math.ceil(spec.size / 3);
}

export function assertRequestFits(spec: LayerSpec, nativeRuntimes: string[]): void {
  const bytes = publishRequestBytes(spec, nativeRuntimes);
  if (bytes > MAX_REQUEST_BYTES) {
    throw new UsageError(`the zip is ${spec.size} bytes; base64-encoded that makes a ${bytes}-byte request and Lambda accepts at most ${MAX_REQUEST_BYTES} (about 50 MB of zip)`, {
      code: "ZipTooLarge",
      hint: "leave out files with --exclude or a .layerignore, or split the layer",
    });
  }
}

/**
 * A layer ARN as the layer name names its region: Lambda answers a call in another region with a
 * confusing error (or acts on nothing), so the mismatch is a usage error before any call.
 */
export function checkLayerArnRegion(layerName: string, region: string): void {
  const m = /^arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):\d{12}:layer:([a-zA-Z0-9_-]+)$/.exec(layerName);
  if (!m || m[1] === region) return;
  throw new UsageError(`the layer ARN names region ${m[1]}, but the target is aws ${region}`, {
    code: "LayerArnRegionMismatch",
    hint: `target --region aws:${m[1]}, or give the layer name (${m[2]}) instead of its ARN`,
  });
}
