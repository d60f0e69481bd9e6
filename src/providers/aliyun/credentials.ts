// Credentials come from the environment only, built into a static AccessKey/STS credential for
// the SDK. We never let @alicloud/credentials run its default chain: on a machine without
// variables it would go on to the ECS metadata service (100.100.100.200) and other hosts.
import { UsageError } from "../../errors.js";
import type { ResolvedCredentials } from "../types.js";
import { aliyunEnv } from "./limits.js";

export interface AliyunCredentials extends ResolvedCredentials {
  accessKeyId: string;
  /** Non-enumerable, so printing or serialising the bag never shows it. */
  readonly accessKeySecret: string;
  readonly securityToken?: string;
  /** Needed for the public endpoint {accountId}.{region}.fc.aliyuncs.com. */
  accountId?: string;
}

export function resolveAliyunCredentials(env: NodeJS.ProcessEnv): AliyunCredentials {
  const id = env[aliyunEnv.accessKeyId]?.trim();
  const secret = env[aliyunEnv.accessKeySecret]?.trim();
  if (!id || !secret) {
    const missing = [!id && aliyunEnv.accessKeyId, !secret && aliyunEnv.accessKeySecret].filter(Boolean).join(" and ");
    throw new UsageError(`no Alibaba Cloud credentials: ${missing} ${missing.includes(" and ") ? "are" : "is"} not set`, {
      code: "MissingCredentials",
      provider: "aliyun",
      hint: `export ${aliyunEnv.accessKeyId} and ${aliyunEnv.accessKeySecret} (plus ${aliyunEnv.securityToken} for STS credentials and ${aliyunEnv.accountId} for the public endpoint)`,
    });
  }
  const creds = { source: "environment", accessKeyId: id } as AliyunCredentials;
  const token = env[aliyunEnv.securityToken]?.trim();
  Object.defineProperty(creds, "accessKeySecret", { value: secret, enumerable: false });
  if (token) Object.defineProperty(creds, "securityToken", { value: token, enumerable: false });
  const account = env[aliyunEnv.accountId]?.trim();
  if (account) creds.accountId = account;
  return creds;
}

/** The bag connect() received, checked: it must be one resolveCredentials made. */
export function asAliyunCredentials(c: ResolvedCredentials): AliyunCredentials {
  const creds = c as Partial<AliyunCredentials>;
  if (typeof creds.accessKeyId !== "string" || typeof creds.accessKeySecret !== "string") {
    throw new UsageError("Alibaba Cloud credentials are incomplete", {
      code: "MissingCredentials",
      provider: "aliyun",
      hint: `export ${aliyunEnv.accessKeyId} and ${aliyunEnv.accessKeySecret}`,
    });
  }
  return creds as AliyunCredentials;
}
