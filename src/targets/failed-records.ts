// A target whose work failed, as a record (status "failed", with its error), so that one failure
// never hides the others: the runner's `failed` callbacks build theirs here.
import { CloudError, LayerctlError } from "../errors.js";
import { keepErrorObject } from "../output/debug-detail.js";
import { blankRecord } from "../providers/record.js";
import type { ProviderName } from "../providers/names.js";
import type { FunctionVersionRecord, LayerVersionRecord, RecordError } from "../providers/types.js";
import type { Target } from "./resolve.js";

/** The record's error fields; the error object itself rides along, unseen by JSON, for --debug. */
export function errorFields(err: unknown): RecordError {
  if (err instanceof LayerctlError)
    return keepErrorObject({ code: err.code, message: err.message, requestId: err.requestId ?? null, ...(err.hint ? { hint: err.hint } : {}) }, err);
  return keepErrorObject({ code: "InternalError", message: err instanceof Error ? err.message : String(err), requestId: null }, err);
}

/**
 * The one failed-record builder: where a target's work failed and why. Each record type spreads it
 * over its own empty fields (the runner's `failed` callback says which type).
 */
export function failedTarget(t: Target, err: unknown): { provider: ProviderName; region: string; requestId: string | null; error: RecordError } {
  const error = errorFields(err);
  return { provider: t.provider.name, region: t.region, requestId: error.requestId, error };
}

export function failedFunctionRecord(t: Target, functionName: string, err: unknown): FunctionVersionRecord {
  const blank: FunctionVersionRecord = { provider: t.provider.name, region: t.region, functionName, version: null, arn: null, description: null, requestId: null };
  return { ...blank, ...failedTarget(t, err) };
}

/** A target that failed, as a record: still naming a version that exists despite the failure. */
export function failedRecord(t: Target, layerName: string, err: unknown, version: number | null = null): LayerVersionRecord {
  const known = err instanceof CloudError ? err : undefined;
  return {
    ...blankRecord(t.provider.name, t.region, layerName),
    status: "failed",
    version: known?.version ?? version,
    arn: known?.arn ?? null,
    ...failedTarget(t, err),
  };
}
