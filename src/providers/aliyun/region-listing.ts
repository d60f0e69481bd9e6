// `--region aliyun:all`: FC 3.0's DescribeRegions (GET /2023-03-30/regions), "the regions where
// Function Compute 3.0 is available": {Regions: {Region: [{RegionId, LocalName}]}}. A RAM user
// without fc:DescribeRegions is refused (403 AccessDenied / Forbidden.*), and the caller falls back
// to layerctl's list.
import { CloudError } from "../../errors.js";
import { unreadableAnswer } from "../content.js";
import { cloudCall, retryCall } from "../retry.js";
import type { ConnectOptions, RegionListing } from "../types.js";
import { endpointFor, fcConfig } from "./client.js";
import { asAliyunCredentials } from "./credentials.js";
import { toCloudError } from "./errors.js";
import { loadAliyunSdk } from "./sdk.js";

const DENIED = /^(AccessDenied|Forbidden|NoPermission)(\.|$)/;

export async function listAliyunRegions(opts: ConnectOptions): Promise<RegionListing> {
  const creds = asAliyunCredentials(opts.credentials);
  const sdk = await loadAliyunSdk();
  const client = new sdk.Client(fcConfig(sdk, opts, creds, endpointFor(opts, creds)));
  let resp: { headers?: Record<string, string>; body?: { regions?: { region?: Array<{ regionId?: unknown }> } } };
  try {
    resp = await retryCall(
      cloudCall("aliyun", "DescribeRegions", opts),
      (_signal, timeoutMs) =>
        client.describeRegionsWithOptions(new sdk.models.DescribeRegionsRequest({}), {}, { readTimeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 10_000) } as never),
      (err) => toCloudError(err, "DescribeRegions"),
    );
  } catch (err) {
    if (err instanceof CloudError && (err.httpStatus === 403 || DENIED.test(err.code))) return { denied: err };
    throw err;
  }
  const requestId = resp.headers?.["x-acs-request-id"] || resp.headers?.["x-fc-request-id"] || null;
  const list = resp.body?.regions?.region;
  if (!Array.isArray(list) || list.some((r) => typeof r?.regionId !== "string" || r.regionId === "")) {
    throw unreadableAnswer("aliyun", "DescribeRegions", "Regions.Region is not a list of RegionId", requestId);
  }
  if (list.length === 0) throw unreadableAnswer("aliyun", "DescribeRegions", "the list of regions is empty", requestId);
  return { regions: [...new Set(list.map((r) => r.regionId as string))], requestId };
}
