// Where Alibaba Cloud STS calls go, decided without loading the SDK: LAYERCTL_STS_ENDPOINT_ALIYUN
// (the emulator), a profile's sts_endpoint, else as @alicloud/credentials picks it:
// sts.<ALIBABA_CLOUD_STS_REGION or the profile's sts_region>.aliyuncs.com (sts-vpc. with
// ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true), else sts.aliyuncs.com.
import { stsEndpoint } from "../sts.js";

export interface AliyunStsTarget {
  host: string;
  protocol: "http" | "https";
}

export function aliyunStsTarget(env: NodeJS.ProcessEnv, profile?: { region?: string; endpoint?: string }): AliyunStsTarget {
  const override = stsEndpoint(env, "LAYERCTL_STS_ENDPOINT_ALIYUN", "aliyun");
  if (override) return { host: override.host, protocol: override.protocol === "http:" ? "http" : "https" };
  if (profile?.endpoint) return { host: profile.endpoint, protocol: "https" };
  const region = profile?.region || env.ALIBABA_CLOUD_STS_REGION?.trim();
  const vpc = env.ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED?.trim().toLowerCase() === "true";
  return { host: region ? `sts${vpc ? "-vpc" : ""}.${region}.aliyuncs.com` : "sts.aliyuncs.com", protocol: "https" };
}
