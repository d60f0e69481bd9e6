// The members every layer record carries: public interface (scripts parse them from --output json),
// so the tests that pin them read this one list.
import type { LayerVersionRecord } from "../../src/providers/types.js";

export const RECORD_KEYS: Array<keyof LayerVersionRecord> = [
  "provider",
  "region",
  "layerName",
  "version",
  "arn",
  "status",
  "state",
  "codeSha256",
  "codeSize",
  "compatibleRuntimes",
  "compatibleArchitectures",
  "description",
  "license",
  "createdAt",
  "location",
  "requestId",
];
