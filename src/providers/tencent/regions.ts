// SCF regions: the ones layerctl knows, and the shape of any other (src/providers/regions.ts).
import type { RegionShape } from "../regions.js";

export const TENCENT_DEFAULT_REGION = "ap-guangzhou";

/**
 * Tencent Cloud documents its region list ("Regions and AZs"), not a grammar for region ids:
 * references silent. The shape is the one every listed id has: an area, a city, and an optional
 * suffix such as "fsi" (ap-shanghai-fsi), all lower-case letters without digits.
 */
export const TENCENT_REGION_SHAPE: RegionShape = {
  pattern: /^[a-z]{2}-[a-z]+(?:-[a-z]+)?$/,
  example: "ap-guangzhou",
  source: "the ids of Tencent Cloud's region list (no grammar is documented)",
};

/** Regions where SCF is offered (public region list); the default is the first. */
export const TENCENT_REGIONS: readonly string[] = [
  "ap-guangzhou",
  "ap-shanghai",
  "ap-beijing",
  "ap-chengdu",
  "ap-chongqing",
  "ap-nanjing",
  "ap-hongkong",
  "ap-singapore",
  "ap-bangkok",
  "ap-jakarta",
  "ap-mumbai",
  "ap-seoul",
  "ap-tokyo",
  "na-siliconvalley",
  "na-ashburn",
  "na-toronto",
  "eu-frankfurt",
  "sa-saopaulo",
  "ap-shanghai-fsi",
  "ap-shenzhen-fsi",
];
