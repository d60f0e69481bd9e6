// A publish whose stored checksum differs from ours is a failure, not a success: the cloud holds
// different bytes than we built.
import { CloudError } from "../errors.js";
import type { ProviderName } from "./names.js";

export function assertChecksum(
  provider: ProviderName,
  kind: string,
  expected: string,
  actual: string | null | undefined,
  requestId?: string,
  created?: { version?: number | null; arn?: string | null },
): void {
  // The version exists either way: the failed record must still name it.
  const version = created?.version ?? undefined;
  const arn = created?.arn ?? undefined;
  if (actual === null || actual === undefined || actual === "") {
    throw new CloudError(`${provider} returned no ${kind} for the uploaded layer; cannot verify the upload`, { code: "ChecksumMissing", provider, requestId, version, arn });
  }
  if (actual.toLowerCase() !== expected.toLowerCase()) {
    throw new CloudError(`checksum mismatch after upload${version === undefined ? "" : ` of version ${version}`}: ${kind} is ${actual}, expected ${expected}`, {
      code: "ChecksumMismatch",
      provider,
      requestId,
      version,
      arn,
      hint: "the cloud stored different bytes; publish again",
    });
  }
}
