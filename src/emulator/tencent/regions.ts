// The Region Management System's DescribeRegions (region.tencentcloudapi.com, API 2022-06-27):
// the regions a product is offered in. Request {Product (required, e.g. "scf"), Scene?}; answer
// {TotalCount, RegionSet: [{Region, RegionName, RegionState}]} where RegionState "AVAILABLE" marks
// a usable region (Region Management System API reference: DescribeRegions, data type RegionInfo).
// The emulator knows SCF's regions only; for another product the reference does not say what is
// answered, and the emulator answers InvalidParameterValue. A caller whose CAM policy lacks
// region:DescribeRegions gets API 3.0's common AuthFailure.UnauthorizedOperation.
import type { TencentTuning } from "./index.js";
import { TencentApiError } from "./errors.js";
import { optionalInteger, requiredString, type Params } from "./params.js";

export const REGION_API_VERSION = "2022-06-27";

/** SCF's regions with the descriptions the console shows (Tencent Cloud, "Regions and AZs"). */
const SCF_REGIONS: Array<[string, string]> = [
  ["ap-guangzhou", "South China (Guangzhou)"],
  ["ap-shanghai", "East China (Shanghai)"],
  ["ap-beijing", "North China (Beijing)"],
  ["ap-chengdu", "Southwest China (Chengdu)"],
  ["ap-chongqing", "Southwest China (Chongqing)"],
  ["ap-nanjing", "East China (Nanjing)"],
  ["ap-hongkong", "Hong Kong, Macau and Taiwan (China) (Hong Kong, China)"],
  ["ap-singapore", "Southeast Asia (Singapore)"],
  ["ap-bangkok", "Southeast Asia (Bangkok)"],
  ["ap-jakarta", "Southeast Asia (Jakarta)"],
  ["ap-mumbai", "South Asia (Mumbai)"],
  ["ap-seoul", "Northeast Asia (Seoul)"],
  ["ap-tokyo", "Northeast Asia (Tokyo)"],
  ["na-siliconvalley", "West US (Silicon Valley)"],
  ["na-ashburn", "East US (Virginia)"],
  ["na-toronto", "North America (Toronto)"],
  ["eu-frankfurt", "Europe (Frankfurt)"],
  ["sa-saopaulo", "South America (São Paulo)"],
  ["ap-shanghai-fsi", "East China (Shanghai Finance)"],
  ["ap-shenzhen-fsi", "South China (Shenzhen Finance)"],
];

export function describeRegions(p: Params, tuning: TencentTuning): Record<string, unknown> {
  if (tuning.denyRegionListing) {
    throw new TencentApiError("AuthFailure.UnauthorizedOperation", "The request is not authorized: the CAM policy does not allow region:DescribeRegions.");
  }
  const product = requiredString(p, "Product");
  optionalInteger(p, "Scene");
  if (product !== "scf") throw new TencentApiError("InvalidParameterValue", `Product ${product} is not known to the layerctl emulator (it lists scf only).`);
  const enabled = tuning.regions ? new Set(tuning.regions) : null;
  // Regions the account cannot use stay in the list, marked UNAVAILABLE (RegionInfo.RegionState).
  const set = SCF_REGIONS.map(([Region, RegionName]) => ({ Region, RegionName, RegionState: !enabled || enabled.has(Region) ? "AVAILABLE" : "UNAVAILABLE" }));
  return { TotalCount: set.length, RegionSet: set };
}
