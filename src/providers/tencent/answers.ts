// What each SCF answer must hold before layerctl uses it (see ../answers.ts). The SDK hands us
// the `Response` object; every answer carries its RequestId. Fields from the API reference's
// output parameters (scf_models.d.ts): the ones relied on are required, the rest may come or not.
// A listing pages by Offset against its TotalCount, so TotalCount is required wherever it pages.
import { z } from "zod";
import type { AnswerSchemas, LayerAction } from "../answers.js";

const int = z.number().int();
const base = z.looseObject({ RequestId: z.string().min(1) });
const total = { TotalCount: int.nonnegative() };
const layerItem = z.looseObject({ LayerVersion: int.positive(), Status: z.string().min(1) });

export type TencentAction =
  | LayerAction
  | "PublishLayerVersion"
  | "PublishVersion"
  | "ListNamespaces"
  | "ListFunctions"
  | "ListVersionByFunction"
  | "GetFunction"
  | "UpdateFunctionConfiguration"
  | "GetAlias"
  | "UpdateAlias"
  | "CreateAlias";

export const tencentAnswers: AnswerSchemas<TencentAction> = {
  PublishLayerVersion: base.extend({ LayerVersion: int.positive() }),
  GetLayerVersion: base.extend({ LayerVersion: int.positive(), Status: z.string().min(1) }),
  // Not paged: the whole list in one answer.
  ListLayerVersions: base.extend({ LayerVersions: z.array(layerItem) }),
  ListLayers: base.extend({ Layers: z.array(layerItem.extend({ LayerName: z.string().min(1) })), ...total }),
  DeleteLayerVersion: base,
  PublishVersion: base.extend({ FunctionVersion: z.string().min(1) }),
  ListNamespaces: base.extend({ Namespaces: z.array(z.looseObject({ Name: z.string().min(1) })), ...total }),
  ListFunctions: base.extend({ Functions: z.array(z.looseObject({ FunctionName: z.string().min(1) })), ...total }),
  // The versions come as `Versions` (objects) and `FunctionVersion` (their names): one of them.
  ListVersionByFunction: base
    .extend({ Versions: z.array(z.looseObject({ Version: z.string().min(1) })).nullish(), FunctionVersion: z.array(z.string()).nullish(), ...total })
    .refine((r) => Array.isArray(r.Versions) || Array.isArray(r.FunctionVersion), { message: "neither Versions nor FunctionVersion", path: ["Versions"] }),
  // Every GetFunction answer lists the function's Layers (`[]` when it has none): a missing list is a lost one.
  GetFunction: base.extend({
    FunctionName: z.string().min(1),
    Status: z.string().min(1),
    Layers: z.array(z.looseObject({ LayerName: z.string(), LayerVersion: int })),
  }),
  UpdateFunctionConfiguration: base,
  GetAlias: base.extend({ Name: z.string().min(1), FunctionVersion: z.string().min(1) }),
  UpdateAlias: base,
  CreateAlias: base,
};
