// The emulator's credentials and endpoint as the environment variables each cloud's standard
// credential lookup reads. `layerctl emulate` prints them; `--emulator` overlays them; tests pass
// them to Provider.resolveCredentials. One mapping, so all three paths agree.
import type { EmulatorCredentials } from "./types.js";

export function emulatorEnv(creds: EmulatorCredentials, url: string): Record<string, string> {
  return {
    TENCENTCLOUD_SECRET_ID: creds.tencent.secretId,
    TENCENTCLOUD_SECRET_KEY: creds.tencent.secretKey,
    // Empty on purpose: a session token from the user's shell must not ride along to the emulator.
    TENCENTCLOUD_SESSION_TOKEN: "",
    AWS_SESSION_TOKEN: "",
    ALIBABA_CLOUD_SECURITY_TOKEN: "",
    AWS_ACCESS_KEY_ID: creds.aws.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.aws.secretAccessKey,
    ALIBABA_CLOUD_ACCESS_KEY_ID: creds.aliyun.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: creds.aliyun.accessKeySecret,
    ALIBABA_CLOUD_ACCOUNT_ID: creds.aliyun.accountId,
    LAYERCTL_ENDPOINT_TENCENT: url,
    LAYERCTL_ENDPOINT_AWS: url,
    LAYERCTL_ENDPOINT_ALIYUN: url,
  };
}
