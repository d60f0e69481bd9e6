// One authenticated call as the handlers see it, and typed readers for its JSON members.
// A body that is not JSON, or a member of the wrong JSON type, is InvalidRequestContentException
// (Lambda: "The request body could not be parsed as JSON").
import type { IncomingCall, Reply, SeedFunction } from "../types.js";
import { AwsApiError } from "./errors.js";
import type { AwsContext } from "./index.js";
import type { S3Emulator } from "./s3.js";
import { base64Member, parseJsonBuffer } from "../json-body.js";
import { paramReaders } from "../params.js";

export interface AwsRequest {
  call: IncomingCall;
  /** From the SigV4 credential scope. */
  region: string;
  account: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export interface AwsDeps {
  ctx: AwsContext;
  /** Functions that exist in every region from the start, by name. */
  seeds: ReadonlyMap<string, SeedFunction>;
  /** Where Lambda reads S3Bucket/S3Key content from. */
  s3: S3Emulator;
}

export type Body = Record<string, unknown>;

/** A success reply; every Lambda answer carries the request id. */
export function ok(req: AwsRequest, status: number, body?: unknown): Reply {
  return {
    status,
    headers: { "x-amzn-RequestId": req.call.requestId, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body,
  };
}

export function parseJsonBody(call: IncomingCall): Body {
  if (call.body.length === 0) return {};
  const type = String(call.headers["content-type"] ?? "")
    .split(";")[0]!
    .trim()
    .toLowerCase();
  if (type !== "application/json" && !/^application\/x-amz-json-1\.[01]$/.test(type)) {
    throw new AwsApiError("UnsupportedMediaTypeException", `The content type of the request body must be application/json, not '${type || "(none)"}'.`);
  }
  let parsed: unknown;
  try {
    parsed = parseJsonBuffer(call.body);
  } catch (err) {
    throw new AwsApiError("InvalidRequestContentException", `Could not parse request body into json: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new AwsApiError("InvalidRequestContentException", "Could not parse request body into json: the request body must be a JSON object");
  }
  return parsed as Body;
}

function wrongType(member: string, expected: string): AwsApiError {
  return new AwsApiError("InvalidRequestContentException", `Could not parse request body into json: member '${member}' must be ${expected}`);
}

// Absent members are undefined here: Lambda's required members are checked by model validation.
const readers = paramReaders({ missing: () => new Error("unused"), wrongType, isInteger: Number.isInteger, stringArray: "a list of strings" });
export const readString = readers.optionalString;
export const readStringList = readers.optionalStringArray;
export const readObject = readers.optionalObject as (body: Body, member: string) => Body | undefined;
export const readInteger = readers.optionalInteger;
export const readBoolean = readers.optionalBoolean;

/** A blob member: base64 text that must decode. */
export function readBlob(body: Body, member: string): Buffer | undefined {
  const v = readString(body, member);
  if (v === undefined) return undefined;
  const bytes = base64Member(body, member, v);
  if (!bytes) {
    throw new AwsApiError(
      "InvalidRequestContentException",
      `Could not parse request body into json: Failed to decode VALUE_STRING as base64 (MIME-NO-LINEFEEDS): illegal base64 in member '${member}'`,
    );
  }
  return bytes;
}

/** A query parameter that must be a whole number (MaxItems). */
export function queryInteger(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  if (!/^-?\d+$/.test(v)) {
    throw new AwsApiError("InvalidRequestContentException", `Could not parse request: query parameter '${name}' must be an integer, got '${v}'`);
  }
  return Number(v);
}
