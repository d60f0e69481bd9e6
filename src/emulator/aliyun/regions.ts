// FC 3.0 DescribeRegions: GET /2023-03-30/regions (?AcceptLanguage) -> {Regions: {Region:
// [{RegionId, LocalName}]}}, "the regions where Function Compute 3.0 is available" (FC 3.0 API
// reference, DescribeRegions; @alicloud/fc20230330 DescribeRegionsOutput). A RAM user without
// fc:DescribeRegions gets FC's 403 AccessDenied.
import type { Reply } from "../types.js";
import { fcErrors, requestIdHeaders } from "./errors.js";
import type { AliyunTuning } from "./index.js";
import type { OpContext } from "./layers.js";

/** FC 3.0's regions (endpoints page, {accountId}.{region}.fc.aliyuncs.com), with their names in English. */
const FC_REGIONS: Array<[string, string]> = [
  ["cn-hangzhou", "China (Hangzhou)"],
  ["cn-shanghai", "China (Shanghai)"],
  ["cn-qingdao", "China (Qingdao)"],
  ["cn-beijing", "China (Beijing)"],
  ["cn-zhangjiakou", "China (Zhangjiakou)"],
  ["cn-huhehaote", "China (Hohhot)"],
  ["cn-wulanchabu", "China (Ulanqab)"],
  ["cn-shenzhen", "China (Shenzhen)"],
  ["cn-chengdu", "China (Chengdu)"],
  ["cn-hongkong", "China (Hong Kong)"],
  ["ap-northeast-1", "Japan (Tokyo)"],
  ["ap-northeast-2", "South Korea (Seoul)"],
  ["ap-southeast-1", "Singapore"],
  ["ap-southeast-3", "Malaysia (Kuala Lumpur)"],
  ["ap-southeast-5", "Indonesia (Jakarta)"],
  ["ap-southeast-7", "Thailand (Bangkok)"],
  ["eu-central-1", "Germany (Frankfurt)"],
  ["eu-west-1", "UK (London)"],
  ["us-east-1", "US (Virginia)"],
  ["us-west-1", "US (Silicon Valley)"],
  ["me-central-1", "SAU (Riyadh - Partner Region)"],
];

export function describeRegions(op: OpContext, tuning: AliyunTuning): Reply {
  if (tuning.denyRegionListing) throw fcErrors.accessDenied("You are not authorized to do this action: fc:DescribeRegions");
  const enabled = tuning.regions ? new Set(tuning.regions) : null;
  const region = FC_REGIONS.filter(([id]) => !enabled || enabled.has(id)).map(([RegionId, LocalName]) => ({ RegionId, LocalName }));
  return { status: 200, headers: requestIdHeaders(op.call.requestId), body: { Regions: { Region: region } } };
}
