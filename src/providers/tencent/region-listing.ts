// `--region tencent:all`: the regions SCF is offered in, from the Region Management System's
// DescribeRegions (region.tencentcloudapi.com, API 2022-06-27, Product "scf"; RegionState
// "AVAILABLE" marks a usable region). The SCF SDK has no client for that service; the common
// package's CommonClient (the official SDK's generic client, "to make an API request to any
// product") calls it, signed and sent exactly as the product clients are. Without permission for
// it the answer is an AuthFailure.UnauthorizedOperation / UnauthorizedOperation.* error, and the
// caller falls back to layerctl's list.
import { CloudError } from "../../errors.js";
import { unreadableAnswer } from "../content.js";
import { cloudCall, retryCall } from "../retry.js";
import type { ConnectOptions, RegionListing } from "../types.js";
import type { TencentCredentials } from "./credentials.js";
import { toCloudError } from "./errors.js";
import { clientConfig } from "./sdk.js";

const DENIED = /^(AuthFailure\.UnauthorizedOperation|UnauthorizedOperation)(\.|$)/;

interface DescribeRegionsAnswer {
  TotalCount?: unknown;
  RegionSet?: Array<{ Region?: unknown; RegionState?: unknown }>;
  RequestId?: string;
}

export async function listTencentRegions(opts: ConnectOptions): Promise<RegionListing> {
  const credentials = opts.credentials as TencentCredentials;
  const mod = (await import("tencentcloud-sdk-nodejs-common")) as { CommonClient?: CommonClientClass; default?: { CommonClient: CommonClientClass } };
  const CommonClient = mod.CommonClient ?? mod.default!.CommonClient;
  // Keys asked for every request, as the SCF client does (./sdk.ts).
  const client = new CommonClient("region.tencentcloudapi.com", "2022-06-27", clientConfig(opts, credentials));
  const secrets = () => credentials.keys.knownSecrets();
  let res: DescribeRegionsAnswer;
  try {
    res = await retryCall(
      cloudCall("tencent", "DescribeRegions", opts),
      (signal) => client.request("DescribeRegions", { Product: "scf" }, { signal }) as Promise<DescribeRegionsAnswer>,
      (err) => toCloudError(err, "DescribeRegions", { timeoutMs: opts.requestTimeoutMs, secrets: secrets() }),
    );
  } catch (err) {
    if (err instanceof CloudError && DENIED.test(err.code)) return { denied: err };
    throw err;
  }
  const set = res.RegionSet;
  if (!Array.isArray(set) || set.some((r) => typeof r?.Region !== "string" || typeof r.RegionState !== "string")) {
    throw unreadableAnswer("tencent", "DescribeRegions", "RegionSet is not a list of Region and RegionState", res.RequestId);
  }
  const regions = set.filter((r) => r.RegionState === "AVAILABLE").map((r) => r.Region as string);
  if (regions.length === 0) throw unreadableAnswer("tencent", "DescribeRegions", "no region is AVAILABLE for scf", res.RequestId);
  return { regions: [...new Set(regions)], requestId: res.RequestId ?? null };
}

type CommonClientClass = new (
  endpoint: string,
  version: string,
  opts: ReturnType<typeof clientConfig>,
) => { request(action: string, req: Record<string, unknown>, options: { signal: AbortSignal }): Promise<unknown> };
