// AWS regions: the ones layerctl knows, and the shape of any other (src/providers/regions.ts).
import type { RegionShape } from "../regions.js";

export const AWS_DEFAULT_REGION = "us-east-1";

/**
 * The union of the partitions' `regionRegex` in botocore's data/partitions.json (aws, aws-cn,
 * aws-us-gov, aws-iso*, aws-eusc), with `\w` narrowed to lower-case letters and digits: region
 * ids are lower case.
 */
export const AWS_REGION_SHAPE: RegionShape = {
  pattern: /^(?:(?:us|eu|ap|sa|ca|me|af|il|mx|cn)-[a-z0-9]+|us-(?:gov|iso|isob|isof)-[a-z0-9]+|eu-isoe-[a-z0-9]+|eusc-de-[a-z0-9]+)-\d+$/,
  example: "us-east-1",
  source: "botocore data/partitions.json regionRegex",
};

/**
 * The partition a region belongs to: aws-cn for China (cn-*), aws-us-gov for GovCloud (us-gov-*),
 * aws elsewhere (IAM User Guide, ARNs: "aws, aws-cn, aws-us-gov"). Each partition has accounts and
 * credentials of its own: a target in another partition needs its own (credentialScope).
 */
export function awsPartition(region: string): "aws" | "aws-cn" | "aws-us-gov" {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** Lambda's commercial, China and GovCloud regions (AWS regional services list). */
export const AWS_REGIONS: readonly string[] = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-south-1",
  "ap-south-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-south-1",
  "eu-south-2",
  "eu-north-1",
  "il-central-1",
  "me-south-1",
  "me-central-1",
  "mx-central-1",
  "sa-east-1",
  "us-gov-east-1",
  "us-gov-west-1",
  "cn-north-1",
  "cn-northwest-1",
];
