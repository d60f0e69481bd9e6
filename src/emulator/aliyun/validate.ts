// Request checks with FC's own answers (400 InvalidArgument, EntityTooLarge...).
import type { IncomingCall } from "../types.js";
import { crc64Decimal } from "../../archive/crc64.js";
import { fcErrors } from "./errors.js";
import { FC_RUNTIMES } from "./runtimes.js";
import { isZip } from "../zip.js";
import { base64Member, parseJsonBuffer } from "../json-body.js";

export const limits = {
  /** Layer names: start with a letter; letters, digits, `_` and `-`; 1-64 characters. */
  layerName: /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/,
  /** Function names: letters, digits, `_` and `-`, not starting with a digit or `-`; 1-64. */
  functionName: /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/,
  maxRuntimes: 20,
  maxDescription: 256,
  maxLicense: 256,
  /**
   * The documented inline limit is on the base64 payload (100 MB); decoded that is ~75 MB of zip.
   * Larger layers go through OSS (ossBucketName/ossObjectName), which the emulator does not host.
   */
  maxZipFileBase64: 100 * 1024 * 1024,
  maxListLimit: 100,
  defaultListLimit: 20,
};

/** The JSON object in a POST body; an absent body is an empty object (the SDK omits `{}`). */
export function jsonBody(call: IncomingCall): Record<string, unknown> {
  if (call.body.length === 0) return {};
  const type = String(call.headers["content-type"] ?? "")
    .split(";")[0]!
    .trim()
    .toLowerCase();
  if (type !== "application/json") {
    throw fcErrors.invalidArgument(`unsupported content type '${type || "(none)"}': the request body must be application/json`);
  }
  let parsed: unknown;
  try {
    parsed = parseJsonBuffer(call.body);
  } catch (err) {
    throw fcErrors.invalidArgument(`the request body is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw fcErrors.invalidArgument("the request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

export function optionalString(body: Record<string, unknown>, field: string, max: number): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw fcErrors.invalidArgument(`${field} must be a string`);
  if (v.length > max) throw fcErrors.invalidArgument(`${field} is ${v.length} characters long; at most ${max} are allowed`);
  return v;
}

export function checkLayerName(name: string): void {
  if (!limits.layerName.test(name)) {
    throw fcErrors.invalidArgument(`layerName '${name}' is invalid: it must be 1-64 characters, start with a letter and contain only letters, digits, '_' and '-'`);
  }
}

export function checkFunctionName(name: string): void {
  if (!limits.functionName.test(name)) {
    throw fcErrors.invalidArgument(`functionName '${name}' is invalid: it must be 1-64 characters of letters, digits, '_' and '-', and not start with a digit or '-'`);
  }
}

export function compatibleRuntimes(body: Record<string, unknown>): string[] {
  const v = body.compatibleRuntime;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((r) => typeof r !== "string")) throw fcErrors.invalidArgument("compatibleRuntime must be an array of strings");
  const runtimes = v as string[];
  if (runtimes.length > limits.maxRuntimes) {
    throw fcErrors.invalidArgument(`compatibleRuntime has ${runtimes.length} entries; at most ${limits.maxRuntimes} are allowed`);
  }
  for (const r of runtimes) {
    if (!FC_RUNTIMES.includes(r)) throw fcErrors.invalidArgument(`compatibleRuntime '${r}' is not supported; valid values: ${FC_RUNTIMES.join(", ")}`);
  }
  if (new Set(runtimes).size !== runtimes.length) throw fcErrors.invalidArgument("compatibleRuntime contains duplicates");
  return runtimes;
}

export interface DecodedCode {
  zip: Buffer;
  checksum: string;
}

/** `code` of CreateLayerVersion / CreateFunction: an inline base64 zip, checked like FC checks it. */
/** `fromOss`: the zip already read from code.ossBucketName/ossObjectName (layers.ts). */
export function decodeCode(value: unknown, required: boolean, fromOss?: Buffer): DecodedCode | undefined {
  if (value === undefined || value === null) {
    if (required) throw fcErrors.invalidArgument("code is required");
    return undefined;
  }
  if (typeof value !== "object" || Array.isArray(value)) throw fcErrors.invalidArgument("code must be an object");
  const code = value as Record<string, unknown>;
  const zipFile = code.zipFile;
  const hasOss = code.ossBucketName !== undefined || code.ossObjectName !== undefined;
  if (fromOss && (zipFile === undefined || zipFile === null || zipFile === "")) {
    if (!isZip(fromOss)) throw fcErrors.invalidArgument("the OSS object is not a zip file (no zip signature or end of central directory record)");
    return withChecksum(fromOss, code.checksum);
  }
  if (zipFile === undefined || zipFile === null || zipFile === "") {
    if (hasOss) {
      throw fcErrors.invalidArgument("code from OSS (ossBucketName/ossObjectName) is not available in the layerctl emulator; send code.zipFile");
    }
    throw fcErrors.invalidArgument("code.zipFile or code.ossBucketName and code.ossObjectName is required");
  }
  if (hasOss) throw fcErrors.invalidArgument("code.zipFile and code.ossBucketName/ossObjectName are mutually exclusive");
  if (typeof zipFile !== "string") throw fcErrors.invalidArgument("code.zipFile must be a base64 string");
  if (zipFile.length > limits.maxZipFileBase64) throw fcErrors.entityTooLarge(limits.maxZipFileBase64);
  const zip = base64Member(code, "zipFile", zipFile);
  if (!zip) throw fcErrors.invalidArgument("code.zipFile is not valid base64");
  if (zip.length === 0) throw fcErrors.invalidArgument("code.zipFile is empty");
  // An empty archive is still a zip: FC is not known to refuse one.
  if (!isZip(zip)) throw fcErrors.invalidArgument("code.zipFile is not a zip file (no zip signature or end of central directory record)");

  return withChecksum(zip, code.checksum);
}

function withChecksum(zip: Buffer, given: unknown): DecodedCode {
  const checksum = crc64Decimal(zip);
  if (given !== undefined && given !== null && given !== "") {
    if (typeof given !== "string" || !/^\d{1,20}$/.test(given)) throw fcErrors.invalidArgument("code.checksum must be a CRC-64 as a decimal string");
    if (BigInt(given) !== BigInt(checksum)) {
      throw fcErrors.invalidArgument(`code.checksum ${given} does not match the CRC-64 of the uploaded zip file (${checksum})`);
    }
  }
  return { zip, checksum };
}

export function listLimit(call: IncomingCall): number {
  const raw = call.url.searchParams.get("limit");
  if (raw === null || raw === "") return limits.defaultListLimit;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > limits.maxListLimit) {
    throw fcErrors.invalidArgument(`limit must be an integer from 1 to ${limits.maxListLimit}`);
  }
  return n;
}
