// What each Lambda answer must hold before layerctl uses it (see ../answers.ts): the fields
// relied on, from the Lambda API reference's response syntax; anything else may come or not.
// Loaded with the SDK (client.ts), never by --help.
import { z } from "zod";
import type { AnswerSchemas, LayerAction } from "../answers.js";

const int = z.number().int();
const layerVersion = z.looseObject({ Version: int.positive(), LayerVersionArn: z.string().min(1) });
const content = z.looseObject({ CodeSha256: z.string().min(1), CodeSize: z.number() });
const next = { NextMarker: z.string().nullish() };

/**
 * A FunctionConfiguration as GetFunction and ListVersionsByFunction give it. Lambda leaves
 * `Layers` out when a function has none, so its absence alone cannot tell "none" from "lost":
 * the configuration must be whole, with the RevisionId an update is conditioned on and
 * `Architectures`, which every configuration carries (it defaults to [x86_64]); an answer with
 * its lists left out fails here instead of reading as a function without layers.
 */
const configuration = z.looseObject({
  FunctionName: z.string().min(1),
  RevisionId: z.string().min(1),
  Architectures: z.array(z.string()).min(1),
  Layers: z.array(z.looseObject({ Arn: z.string().min(1) })).optional(),
});

const alias = z.looseObject({ Name: z.string().min(1), FunctionVersion: z.string().min(1) });

export type AwsAction =
  | LayerAction
  | "PublishLayerVersion"
  | "PublishVersion"
  | "ListFunctions"
  | "ListVersionsByFunction"
  | "ListAliases"
  | "GetFunction"
  | "GetFunctionConfiguration"
  | "UpdateFunctionConfiguration"
  | "GetAlias"
  | "UpdateAlias"
  | "CreateAlias"
  | "AddLayerVersionPermission"
  | "RemoveLayerVersionPermission";

export const awsAnswers: AnswerSchemas<AwsAction> = {
  PublishLayerVersion: layerVersion.extend({ Content: content }),
  GetLayerVersion: layerVersion.extend({ Content: content }),
  ListLayerVersions: z.looseObject({ LayerVersions: z.array(layerVersion), ...next }),
  ListLayers: z.looseObject({
    Layers: z.array(z.looseObject({ LayerName: z.string().min(1), LatestMatchingVersion: layerVersion.optional() })),
    ...next,
  }),
  // 204, no body.
  DeleteLayerVersion: z.unknown(),
  PublishVersion: z.looseObject({ FunctionName: z.string().min(1), Version: z.string().min(1) }),
  ListFunctions: z.looseObject({ Functions: z.array(z.looseObject({ FunctionName: z.string().min(1) })), ...next }),
  ListVersionsByFunction: z.looseObject({ Versions: z.array(configuration.extend({ Version: z.string().min(1) })), ...next }),
  ListAliases: z.looseObject({ Aliases: z.array(alias), ...next }),
  GetFunction: z.looseObject({ Configuration: configuration }),
  // A published version's configuration (its State, while it becomes Active).
  GetFunctionConfiguration: configuration,
  UpdateFunctionConfiguration: z.looseObject({ FunctionName: z.string().min(1), RevisionId: z.string().min(1) }),
  GetAlias: alias,
  UpdateAlias: alias,
  CreateAlias: alias,
  AddLayerVersionPermission: z.looseObject({ Statement: z.string().min(1) }),
  // 204, no body.
  RemoveLayerVersionPermission: z.unknown(),
};
