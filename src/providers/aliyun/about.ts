// What help text says about Alibaba Cloud FC 3.0, loadable without the adapter (see ../names.ts).
import type { ProviderAbout } from "../names.js";
import { aliyunEnv } from "./limits.js";

export const aliyunAbout = {
  title: "Alibaba Cloud Function Compute 3.0",
  credentials: `${aliyunEnv.accessKeyId}, ${aliyunEnv.accessKeySecret}, a profile, or OIDC (ALIBABA_CLOUD_OIDC_*)`,
  profile: "a profile of ~/.aliyun/config.json, else [NAME] of ~/.alibabacloud/credentials",
  // @alicloud/credentials' default chain (providers/default.js: environment, OIDC, CLI profile,
  // profile file, then ECS RAM role and a credentials URI) and the aliyun CLI's --profile.
  credentialOrder: [
    "--profile NAME (or aliyun:NAME): profile NAME of ~/.aliyun/config.json (modes AK, StsToken, RamRoleArn, ChainableRamRoleArn, OIDC), else [NAME] of ~/.alibabacloud/credentials; the variables are not read",
    `${aliyunEnv.accessKeyId} + ${aliyunEnv.accessKeySecret} (+ ${aliyunEnv.securityToken})`,
    "OIDC: ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE (+ ALIBABA_CLOUD_ROLE_SESSION_NAME) -> STS AssumeRoleWithOIDC (renewed before expiry)",
    "~/.aliyun/config.json: profile ALIBABA_CLOUD_PROFILE, else the file's current one (not with ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true)",
    "~/.alibabacloud/credentials (or ALIBABA_CLOUD_CREDENTIALS_FILE): [ALIBABA_CLOUD_PROFILE, else default], types access_key and ram_role_arn",
    "then a role: --role-arn -> STS AssumeRole with those keys (renewed)",
    `account id: the assumed role's ARN, else ${aliyunEnv.accountId}, else STS GetCallerIdentity (once, only when the public endpoint needs it)`,
    "not read: the ECS RAM role (instance metadata), ALIBABA_CLOUD_CREDENTIALS_URI",
  ],
  endpointVariables: [aliyunEnv.endpoint],
} satisfies ProviderAbout;
