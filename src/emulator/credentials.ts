// The credentials the emulator accepts unless told otherwise. They are printed by
// `layerctl emulate` and used by `--emulator`; they open nothing but the local emulator.
import type { EmulatorCredentials } from "./types.js";

export const defaultEmulatorCredentials: EmulatorCredentials = {
  tencent: { secretId: "AKIDlayerctlEmulatorKey0000000000", secretKey: "layerctl-emulator-tencent-secret" },
  aws: { accessKeyId: "AKIALAYERCTLEMULATOR", secretAccessKey: "layerctl-emulator-aws-secret", accountId: "123456789012" },
  aliyun: { accessKeyId: "LTAIlayerctlEmulator", accessKeySecret: "layerctl-emulator-aliyun-secret", accountId: "1234567890123456" },
};

export function mergeCredentials(given: Partial<EmulatorCredentials> | undefined): EmulatorCredentials {
  return {
    tencent: { ...defaultEmulatorCredentials.tencent, ...given?.tencent },
    aws: { ...defaultEmulatorCredentials.aws, ...given?.aws },
    aliyun: { ...defaultEmulatorCredentials.aliyun, ...given?.aliyun },
  };
}
