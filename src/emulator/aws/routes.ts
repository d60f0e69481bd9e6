// Lambda's REST routes (restJson1), as @aws-sdk/client-lambda serializes them. Paths under
// Lambda's API version prefixes are ours; one that names no emulated operation is answered with
// UnknownOperationException rather than left to another cloud.
import type { IncomingCall } from "../types.js";

export interface RouteMatch {
  action: string;
  /** Path labels, percent-decoded. */
  params: Record<string, string>;
}

interface Route {
  method: string;
  pattern: RegExp;
  labels: string[];
  action: string | ((call: IncomingCall) => string);
}

const LAYERS = "/2018-10-31/layers";
const FUNCTIONS = "/2015-03-31/functions";
const SEG = "([^/]+)";
/** Lambda's API version prefixes that hold the emulated operations. */
const PREFIXES = ["/2018-10-31/", "/2015-03-31/"];

const ROUTES: Route[] = [
  { method: "GET", pattern: new RegExp(`^${LAYERS}$`), labels: [], action: (c) => (c.url.searchParams.get("find") === "LayerVersion" ? "GetLayerVersionByArn" : "ListLayers") },
  { method: "POST", pattern: new RegExp(`^${LAYERS}/${SEG}/versions$`), labels: ["LayerName"], action: "PublishLayerVersion" },
  { method: "GET", pattern: new RegExp(`^${LAYERS}/${SEG}/versions$`), labels: ["LayerName"], action: "ListLayerVersions" },
  { method: "GET", pattern: new RegExp(`^${LAYERS}/${SEG}/versions/${SEG}$`), labels: ["LayerName", "VersionNumber"], action: "GetLayerVersion" },
  { method: "DELETE", pattern: new RegExp(`^${LAYERS}/${SEG}/versions/${SEG}$`), labels: ["LayerName", "VersionNumber"], action: "DeleteLayerVersion" },
  { method: "POST", pattern: new RegExp(`^${LAYERS}/${SEG}/versions/${SEG}/policy$`), labels: ["LayerName", "VersionNumber"], action: "AddLayerVersionPermission" },
  { method: "GET", pattern: new RegExp(`^${LAYERS}/${SEG}/versions/${SEG}/policy$`), labels: ["LayerName", "VersionNumber"], action: "GetLayerVersionPolicy" },
  {
    method: "DELETE",
    pattern: new RegExp(`^${LAYERS}/${SEG}/versions/${SEG}/policy/${SEG}$`),
    labels: ["LayerName", "VersionNumber", "StatementId"],
    action: "RemoveLayerVersionPermission",
  },
  { method: "POST", pattern: new RegExp(`^${FUNCTIONS}$`), labels: [], action: "CreateFunction" },
  { method: "GET", pattern: new RegExp(`^${FUNCTIONS}/${SEG}$`), labels: ["FunctionName"], action: "GetFunction" },
  { method: "POST", pattern: new RegExp(`^${FUNCTIONS}/${SEG}/versions$`), labels: ["FunctionName"], action: "PublishVersion" },
];

export const UNKNOWN_OPERATION = "UnknownOperation";

export function matchRoute(call: IncomingCall): RouteMatch | null {
  const path = call.rawPath;
  if (!PREFIXES.some((p) => path.startsWith(p))) return null;
  for (const r of ROUTES) {
    if (r.method !== call.method) continue;
    const m = r.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    r.labels.forEach((label, i) => {
      params[label] = decode(m[i + 1]!);
    });
    return { action: typeof r.action === "string" ? r.action : r.action(call), params };
  }
  return { action: UNKNOWN_OPERATION, params: {} };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
