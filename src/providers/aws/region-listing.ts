// `--region aws:all`: the regions enabled for the account, from the Account Management API's
// ListRegions (RegionOptStatusContains ENABLED and ENABLED_BY_DEFAULT; opt-in regions the account
// has not enabled are left out). It needs account:ListRegions: without it the answer is
// AccessDeniedException, and the caller falls back to layerctl's list. @aws-sdk/client-account is
// imported here only, so a run without `all` never loads it.
import { CloudError, UsageError } from "../../errors.js";
import { unreadableAnswer } from "../content.js";
import { cloudCall, retryCall } from "../retry.js";
import type { ConnectOptions, RegionListing } from "../types.js";
import { awsIdentity, isAwsCredentials, knownSecrets } from "./credentials.js";
import { toCloudError } from "./errors.js";
import { awsPartition } from "./regions.js";
import { quietAwsSdk } from "./sdk-env.js";

const PAGE = 50;
const MAX_PAGES = 20;
/** Codes that mean "this caller may not ask", not "the call failed". */
const DENIED = new Set(["AccessDeniedException", "AccessDenied", "UnauthorizedOperation"]);

/** Where each partition's Account API is signed (its endpoint's region). */
const ACCOUNT_REGION: Record<string, string> = { aws: "us-east-1", "aws-cn": "cn-northwest-1", "aws-us-gov": "us-gov-west-1" };

export async function listAwsRegions(opts: ConnectOptions): Promise<RegionListing> {
  if (!isAwsCredentials(opts.credentials)) throw new UsageError("aws: no usable credentials were resolved", { code: "MissingCredentials" });
  const credentials = opts.credentials;
  quietAwsSdk();
  const { AccountClient, ListRegionsCommand } = await import("@aws-sdk/client-account");
  const client = new AccountClient({
    // The Account API is global per partition: asked in the partition of opts.region.
    region: ACCOUNT_REGION[awsPartition(opts.region)] ?? "us-east-1",
    endpoint: opts.endpoint,
    credentials: awsIdentity(credentials),
    maxAttempts: 1,
    ...(opts.endpoint !== undefined ? { useFipsEndpoint: false, useDualstackEndpoint: false } : {}),
    requestHandler: { requestTimeout: opts.requestTimeoutMs, connectionTimeout: Math.min(opts.requestTimeoutMs, 10_000), throwOnRequestTimeout: true },
  });
  const ctx = { action: "ListRegions", timeoutMs: opts.requestTimeoutMs, secrets: knownSecrets(credentials) };
  const regions: string[] = [];
  let token: string | undefined;
  let requestId: string | null = null;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await retryCall(
        cloudCall("aws", "ListRegions", opts),
        (abortSignal, requestTimeout) =>
          client.send(new ListRegionsCommand({ MaxResults: PAGE, NextToken: token, RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"] }), { abortSignal, requestTimeout }),
        (err) => toCloudError(err, ctx),
      );
      requestId = out.$metadata.requestId ?? requestId;
      if (!Array.isArray(out.Regions) || out.Regions.some((r) => typeof r?.RegionName !== "string" || typeof r.RegionOptStatus !== "string")) {
        throw unreadableAnswer("aws", "ListRegions", "Regions is not a list of RegionName and RegionOptStatus", out.$metadata.requestId);
      }
      for (const r of out.Regions) if (r.RegionOptStatus === "ENABLED" || r.RegionOptStatus === "ENABLED_BY_DEFAULT") regions.push(r.RegionName!);
      token = out.NextToken || undefined;
      if (!token) break;
    }
  } catch (err) {
    if (err instanceof CloudError && DENIED.has(err.code)) return { denied: err };
    throw err;
  } finally {
    client.destroy();
  }
  if (regions.length === 0) throw unreadableAnswer("aws", "ListRegions", "no region is enabled (an account always has its default regions)", requestId);
  return { regions: [...new Set(regions)], requestId };
}
