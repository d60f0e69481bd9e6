// Failures of staging that are not the cloud's: what the store kept differs from what we sent.
import { CloudError } from "../errors.js";
import type { ProviderName } from "./names.js";

export function integrityError(provider: ProviderName, service: string, what: string, expected: string, actual: string | undefined, requestId?: string): CloudError {
  return new CloudError(
    actual === undefined || actual === ""
      ? `${service} returned no ${what} for ${"the uploaded object"}; cannot verify the upload`
      : `${service} holds different bytes than were sent: ${what} is ${actual}, expected ${expected}`,
    {
      code: actual === undefined || actual === "" ? "ChecksumMissing" : "ChecksumMismatch",
      provider,
      requestId,
      hint: "the upload was damaged on the way or by a proxy; publish again (nothing was published from it)",
    },
  );
}

/** The same error with a hint that names the bucket and its region, for codes that mean "not there". */
export function withBucketHint(err: unknown, codes: Record<string, string>): unknown {
  if (!(err instanceof CloudError) || err.hint || !(err.code in codes)) return err;
  return err.with({ hint: codes[err.code] });
}
