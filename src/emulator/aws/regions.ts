// AWS Account Management `ListRegions` (POST /listRegions on account.<region>.amazonaws.com,
// signed for service "account"): the regions of the caller's partition with their opt-in status.
// Request {AccountId?, MaxResults 1-50, NextToken?, RegionOptStatusContains?[]}; answer
// {Regions: [{RegionName, RegionOptStatus}], NextToken?} (Account API reference, ListRegions;
// @aws-sdk/client-account ListRegionsCommand). A caller without account:ListRegions gets 403
// AccessDeniedException. Whether the Account API answers in aws-cn and aws-us-gov the references
// do not say: the emulator answers there with that partition's regions.
import { AwsApiError } from "./errors.js";
import { partition } from "./names.js";
import { ok, readString, type AwsDeps, type AwsRequest } from "./request.js";
import { decodeMarker, encodeMarker } from "./layers.js";
import { Violations } from "./validation.js";

/** Regions that exist today; the opt-in ones (AWS General Reference, "Enable or disable Regions") are marked. */
const REGIONS: Array<{ name: string; optIn?: true }> = [
  { name: "us-east-1" },
  { name: "us-east-2" },
  { name: "us-west-1" },
  { name: "us-west-2" },
  { name: "af-south-1", optIn: true },
  { name: "ap-east-1", optIn: true },
  { name: "ap-east-2", optIn: true },
  { name: "ap-south-1" },
  { name: "ap-south-2", optIn: true },
  { name: "ap-northeast-1" },
  { name: "ap-northeast-2" },
  { name: "ap-northeast-3" },
  { name: "ap-southeast-1" },
  { name: "ap-southeast-2" },
  { name: "ap-southeast-3", optIn: true },
  { name: "ap-southeast-4", optIn: true },
  { name: "ap-southeast-5", optIn: true },
  { name: "ap-southeast-6", optIn: true },
  { name: "ap-southeast-7", optIn: true },
  { name: "ca-central-1" },
  { name: "ca-west-1", optIn: true },
  { name: "eu-central-1" },
  { name: "eu-central-2", optIn: true },
  { name: "eu-west-1" },
  { name: "eu-west-2" },
  { name: "eu-west-3" },
  { name: "eu-south-1", optIn: true },
  { name: "eu-south-2", optIn: true },
  { name: "eu-north-1" },
  { name: "il-central-1", optIn: true },
  { name: "me-south-1", optIn: true },
  { name: "me-central-1", optIn: true },
  { name: "mx-central-1", optIn: true },
  { name: "sa-east-1" },
  { name: "us-gov-east-1" },
  { name: "us-gov-west-1" },
  { name: "cn-north-1" },
  { name: "cn-northwest-1" },
];

const STATUSES = ["ENABLED", "ENABLING", "DISABLING", "DISABLED", "ENABLED_BY_DEFAULT"];
const MAX_RESULTS = 50;

export async function listRegions(req: AwsRequest, deps: AwsDeps): Promise<{ status: number; headers?: Record<string, string>; body: unknown }> {
  const tuning = deps.ctx.tuning;
  if (tuning.denyRegionListing) {
    throw new AwsApiError(
      "AccessDeniedException",
      `User: arn:${partition(req.region)}:iam::${req.account}:user/layerctl-emulator is not authorized to perform: account:ListRegions on resource: arn:${partition(req.region)}:account::${req.account}:account`,
    );
  }
  const maxResults = req.body.MaxResults;
  const token = readString(req.body, "NextToken");
  const wanted = req.body.RegionOptStatusContains;
  const v = new Violations();
  if (maxResults !== undefined && (typeof maxResults !== "number" || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS)) {
    v.add(maxResults, "maxResults", `Member must have value between 1 and ${MAX_RESULTS}`);
  }
  if (wanted !== undefined && (!Array.isArray(wanted) || wanted.some((s) => typeof s !== "string" || !STATUSES.includes(s)))) {
    v.add(wanted, "regionOptStatusContains", `Member must satisfy enum value set: [${STATUSES.join(", ")}]`);
  }
  v.throwIfAny();
  const enabled = tuning.regions ? new Set(tuning.regions) : null;
  const all = REGIONS.filter((r) => partition(r.name) === partition(req.region)).map((r) => ({
    RegionName: r.name,
    // An opt-in region the account has not enabled is DISABLED; one it has is ENABLED.
    RegionOptStatus: enabled && !enabled.has(r.name) ? "DISABLED" : r.optIn ? "ENABLED" : "ENABLED_BY_DEFAULT",
  }));
  const filtered = Array.isArray(wanted) && wanted.length > 0 ? all.filter((r) => (wanted as string[]).includes(r.RegionOptStatus)) : all;
  const after = decodeMarker(token);
  const rest = typeof after === "string" ? filtered.slice(filtered.findIndex((r) => r.RegionName === after) + 1) : filtered;
  const page = rest.slice(0, typeof maxResults === "number" ? maxResults : 20);
  const body: Record<string, unknown> = { Regions: page };
  if (rest.length > page.length) body.NextToken = encodeMarker(page[page.length - 1]!.RegionName);
  return ok(req, 200, body);
}
