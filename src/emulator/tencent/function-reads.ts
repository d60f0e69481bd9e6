// The function reads an in-use scan needs: ListNamespaces, ListFunctions (per namespace) and
// ListVersionByFunction, all paged with Offset / Limit and a TotalCount. Shapes follow the SDK's
// models (tencentcloud-sdk-nodejs-scf scf_models.d.ts: ListNamespacesResponse {Namespaces:
// [{Name, Description, AddTime, ModTime, Type}], TotalCount}; ListFunctionsResponse {Functions:
// [Function], TotalCount}; ListVersionByFunctionResponse {FunctionVersion: [string], Versions:
// [{Version, Description, AddTime, ModTime, Status}], TotalCount}). The references found are
// silent on whether ListVersionByFunction lists $LATEST; the emulator lists it first, as
// Tencent's sibling API DescribeSCFFunctionVersionList does in its example. Limits: the
// references give Limit 1-100, default 20 for these listings; they are silent on the error code
// for an out-of-range Offset/Limit (InvalidParameterValue.Offset / .Limit is our choice).
import { TencentApiError } from "./errors.js";
import { DEFAULT_NAMESPACE, type Functions } from "./functions.js";
import { optionalInteger, optionalString, requiredString, type Params } from "./params.js";
import { chinaTime } from "./time.js";

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

function window(p: Params): { offset: number; limit: number } {
  const offset = optionalInteger(p, "Offset") ?? 0;
  const limit = optionalInteger(p, "Limit") ?? DEFAULT_LIMIT;
  if (offset < 0) throw new TencentApiError("InvalidParameterValue.Offset", "Offset must not be negative.");
  if (limit < 1 || limit > MAX_LIMIT) throw new TencentApiError("InvalidParameterValue.Limit", `Limit must be from 1 to ${MAX_LIMIT}.`);
  return { offset, limit };
}

type Handler = (regionName: string, p: Params) => Record<string, unknown>;

export function functionReads(functions: Functions): Record<string, Handler> {
  return {
    ListNamespaces(regionName, p) {
      const { offset, limit } = window(p);
      const all = functions.namespaces(regionName);
      return {
        Namespaces: all.slice(offset, offset + limit).map((name) => ({
          Name: name,
          Description: "",
          AddTime: chinaTime(0),
          ModTime: chinaTime(0),
          Type: name === DEFAULT_NAMESPACE ? "default" : "user",
        })),
        TotalCount: all.length,
      };
    },

    ListFunctions(regionName, p) {
      const { offset, limit } = window(p);
      const namespace = optionalString(p, "Namespace") ?? DEFAULT_NAMESPACE;
      if (!functions.namespaces(regionName).includes(namespace)) throw new TencentApiError("ResourceNotFound.Namespace", `Namespace ${namespace} does not exist.`);
      const all = functions.all(regionName, namespace);
      return {
        Functions: all.slice(offset, offset + limit).map((fn) => ({
          FunctionName: fn.name,
          Namespace: fn.namespace,
          Runtime: fn.runtime,
          Description: fn.description,
          Status: "Active",
          StatusDesc: "",
          Type: "Event",
          AddTime: chinaTime(fn.createdAtMs),
          ModTime: chinaTime(fn.createdAtMs),
          Tags: [],
        })),
        TotalCount: all.length,
      };
    },

    ListVersionByFunction(regionName, p) {
      const { offset, limit } = window(p);
      const name = requiredString(p, "FunctionName");
      const namespace = optionalString(p, "Namespace") ?? DEFAULT_NAMESPACE;
      const fn = functions.find(regionName, namespace, name);
      if (!fn) throw new TencentApiError("ResourceNotFound.Function", `Function ${name} does not exist in namespace ${namespace}.`);
      const status = functions.updates;
      const all = [
        { Version: "$LATEST", Description: fn.description, AddTime: chinaTime(fn.createdAtMs), ModTime: chinaTime(fn.createdAtMs), Status: status?.status(fn) ?? "Active" },
        ...fn.versions.map((v) => ({
          Version: v.version,
          Description: v.description,
          AddTime: chinaTime(v.createdAtMs),
          ModTime: chinaTime(v.createdAtMs),
          Status: status?.versionStatus(v) ?? "Active",
        })),
      ];
      const page = all.slice(offset, offset + limit);
      return { FunctionVersion: page.map((v) => v.Version), Versions: page, TotalCount: all.length };
    },
  };
}
