// Which region a request is for. Against the real cloud the region is in the host name
// ({accountId}.{region}.fc.aliyuncs.com) and the SDK sends nothing else: openapi-core signs and
// sends `host: <config.endpoint>` and no region header. Pointed at the emulator the host is
// 127.0.0.1:PORT, so the emulator takes, in order:
//   1. the region from a Host of the real form (a request forwarded by a proxy or hosts entry),
//   2. an `x-acs-region-id` header (signed like every x-acs-* header; layerctl's adapter adds it
//      through the SDK's Config.globalParameters when it talks to a custom endpoint),
//   3. cn-hangzhou, the SDK's documented default region.
import type { IncomingCall } from "../types.js";
import { fcErrors } from "./errors.js";

export const DEFAULT_REGION = "cn-hangzhou";
const FC_HOST = /^(\d+)\.([a-z]{2,}-[a-z0-9-]+?)(?:-internal)?\.fc\.aliyuncs\.com(?::\d+)?$/i;
const REGION = /^[a-z]{2,}-[a-z0-9-]+$/;

export function requestRegion(call: IncomingCall, accountId: string): string {
  const host = String(call.headers.host ?? "");
  const m = FC_HOST.exec(host);
  if (m) {
    if (m[1] !== accountId) throw fcErrors.accessDenied(`the endpoint ${host} belongs to account ${m[1]}, not to the caller's account`);
    return m[2]!.toLowerCase();
  }
  const header = call.headers["x-acs-region-id"];
  if (typeof header === "string" && header !== "") {
    if (!REGION.test(header)) throw fcErrors.invalidArgument(`x-acs-region-id '${header}' is not a region id`);
    return header;
  }
  return DEFAULT_REGION;
}
