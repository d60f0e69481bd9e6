// FC 3.0 is a ROA API: the operation is named by method + path (the SDK also sends x-acs-action,
// which is signed but does not pick the operation). Everything under /2023-03-30/ is ours, so an
// unknown path there gets FC's own PathNotSupported answer rather than the emulator's generic 404.
import type { IncomingCall } from "../types.js";

export const API_VERSION = "2023-03-30";
export const UNKNOWN_OPERATION = "UnsupportedPath";

interface RouteRule {
  method: string;
  pattern: RegExp;
  action: string;
}

const NAME = "([^/]+)";
const rules: RouteRule[] = [
  { method: "GET", pattern: /^\/2023-03-30\/layers$/, action: "ListLayers" },
  { method: "POST", pattern: new RegExp(`^/2023-03-30/layers/${NAME}/versions$`), action: "CreateLayerVersion" },
  { method: "GET", pattern: new RegExp(`^/2023-03-30/layers/${NAME}/versions$`), action: "ListLayerVersions" },
  { method: "GET", pattern: new RegExp(`^/2023-03-30/layers/${NAME}/versions/${NAME}$`), action: "GetLayerVersion" },
  { method: "DELETE", pattern: new RegExp(`^/2023-03-30/layers/${NAME}/versions/${NAME}$`), action: "DeleteLayerVersion" },
  { method: "GET", pattern: new RegExp(`^/2023-03-30/layerarn/${NAME}$`), action: "GetLayerVersionByArn" },
  { method: "POST", pattern: /^\/2023-03-30\/functions$/, action: "CreateFunction" },
  { method: "GET", pattern: new RegExp(`^/2023-03-30/functions/${NAME}$`), action: "GetFunction" },
  { method: "POST", pattern: new RegExp(`^/2023-03-30/functions/${NAME}/versions$`), action: "PublishFunctionVersion" },
];

export interface RouteMatch {
  action: string;
  /** Path parameters, percent-decoded. */
  params: string[];
}

export function matchRoute(call: IncomingCall): RouteMatch | null {
  if (!call.rawPath.startsWith(`/${API_VERSION}/`) && call.rawPath !== `/${API_VERSION}`) return null;
  for (const rule of rules) {
    if (rule.method !== call.method) continue;
    const m = rule.pattern.exec(call.rawPath);
    if (!m) continue;
    const params = m.slice(1).map(safeDecode);
    if (params.some((p) => p === null)) return { action: UNKNOWN_OPERATION, params: [] };
    return { action: rule.action, params: params as string[] };
  }
  return { action: UNKNOWN_OPERATION, params: [] };
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
