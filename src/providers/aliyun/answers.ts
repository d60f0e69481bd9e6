// What each FC 3.0 answer must hold before layerctl uses it (see ../answers.ts): the body's
// fields relied on, from the 2023-03-30 API reference's structures (Layer, ListLayerVersionsOutput,
// Function, ListFunctionsOutput, ListVersionsOutput, Version, Alias); the rest may come or not.
import { z } from "zod";
import type { AnswerSchemas, LayerAction } from "../answers.js";

const int = z.number().int();
const layer = z.looseObject({ version: int.positive(), layerVersionArn: z.string().min(1) });
/** The CRC-64 and size: what tells a version's zip from another's without downloading it. */
const content = { codeChecksum: z.string().min(1), codeSize: z.number().nonnegative() };
const next = { nextToken: z.string().nullish() };
/**
 * A Function. The references are silent on whether `layers` is sent for a function without
 * layers, so its absence is allowed here; the function readers confirm an absent list with a
 * second read (and the current configuration's with its ListFunctions entry) before anything is
 * written or deleted on the strength of it (./functions.ts, ./lifecycle.ts).
 */
const fn = z.looseObject({ functionName: z.string().min(1), layers: z.array(z.looseObject({ arn: z.string().min(1) })).nullish() });
const alias = z.looseObject({ aliasName: z.string().min(1), versionId: z.string().min(1) });

export type AliyunAction =
  | LayerAction
  | "CreateLayerVersion"
  | "PublishFunctionVersion"
  | "ListFunctions"
  | "ListFunctionVersions"
  | "GetFunction"
  | "UpdateFunction"
  | "GetAlias"
  | "UpdateAlias"
  | "CreateAlias"
  | "PutLayerACL";

export const aliyunAnswers: AnswerSchemas<AliyunAction> = {
  CreateLayerVersion: layer.extend(content),
  GetLayerVersion: layer.extend(content),
  // nextVersion: where the next page starts; absent on the last page.
  ListLayerVersions: z.looseObject({ layers: z.array(layer.extend(content)), nextVersion: int.nullish() }),
  ListLayers: z.looseObject({ layers: z.array(layer.extend({ layerName: z.string().min(1) })), ...next }),
  // No body (the SDK reads none).
  DeleteLayerVersion: z.unknown(),
  PublishFunctionVersion: z.looseObject({ versionId: z.string().min(1) }),
  ListFunctions: z.looseObject({ functions: z.array(fn), ...next }),
  ListFunctionVersions: z.looseObject({ versions: z.array(z.looseObject({ versionId: z.string().min(1) })), ...next }),
  GetFunction: fn,
  UpdateFunction: fn,
  GetAlias: alias,
  UpdateAlias: alias,
  CreateAlias: alias,
  PutLayerACL: z.unknown(),
};
