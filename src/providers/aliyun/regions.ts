// FC 3.0 regions: the ones layerctl knows, and the shape of any other (src/providers/regions.ts).
import type { RegionShape } from "../regions.js";

export const ALIYUN_DEFAULT_REGION = "cn-hangzhou";

/**
 * Alibaba Cloud documents region lists (FC's endpoints page), not a grammar for region ids:
 * references silent. The shape covers every listed id: an area, then hyphenated lower-case words
 * ending in a word, optionally followed by a number (cn-hangzhou, ap-southeast-1,
 * cn-shanghai-finance-1, me-central-1); a number glued to a word ("us-east1") is not a region.
 */
export const ALIYUN_REGION_SHAPE: RegionShape = {
  pattern: /^[a-z]{2}(?:-[a-z0-9]+)*-[a-z]+(?:-\d+)?$/,
  example: "cn-hangzhou",
  source: "the ids of FC's endpoint list (no grammar is documented)",
};

/** FC 3.0 regions (endpoint {accountId}.{region}.fc.aliyuncs.com, FC endpoints page). */
export const ALIYUN_REGIONS: readonly string[] = [
  "cn-hangzhou",
  "cn-shanghai",
  "cn-qingdao",
  "cn-beijing",
  "cn-zhangjiakou",
  "cn-huhehaote",
  "cn-wulanchabu",
  "cn-shenzhen",
  "cn-chengdu",
  "cn-hongkong",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-southeast-1",
  "ap-southeast-3",
  "ap-southeast-5",
  "ap-southeast-7",
  "eu-central-1",
  "eu-west-1",
  "us-east-1",
  "us-west-1",
  "me-central-1",
];
