// Shared by the AWS emulator tests: an official Lambda client pointed at the emulator, and zips.
import { createHash } from "node:crypto";
import { LambdaClient, type LambdaClientConfig } from "@aws-sdk/client-lambda";
import { afterAll } from "vitest";
import type { EmulatorOptions, RunningEmulator } from "../../../src/emulator/index.js";
import { useEmulator } from "../../helpers/emulator.js";

// Node 20: keep the SDK's NodeVersionSupportWarning off stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

export const REGION = "eu-west-1";

export { startEmulator } from "../../helpers/emulator.js";

export function lambda(emu: RunningEmulator, config: Partial<LambdaClientConfig> = {}): LambdaClient {
  return new LambdaClient({
    region: REGION,
    endpoint: emu.url,
    credentials: { accessKeyId: emu.credentials.aws.accessKeyId, secretAccessKey: emu.credentials.aws.secretAccessKey },
    maxAttempts: 1,
    ...config,
  });
}

/** One emulator and one Lambda client on it for the file (see useEmulator); the client is destroyed before the emulator closes. */
export function useLambda(options: EmulatorOptions, started: (emu: RunningEmulator, client: LambdaClient) => void): void {
  let client: LambdaClient | undefined;
  useEmulator(options, (emu) => {
    client = lambda(emu);
    started(emu, client);
  });
  afterAll(() => client?.destroy());
}

export { zipOf } from "../../helpers/archive.js";

export function sha256Base64(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("base64");
}

export { rejection } from "../../helpers/cli-expect.js";
