// Shared by the AWS adapter tests: an emulator, and connect options pointing at it.
import { awsProvider } from "../../../src/providers/aws/index.js";
import { emulatorEnv, type RunningEmulator } from "../../../src/emulator/index.js";
import type { Logger } from "../../../src/output/log.js";
import type { ConnectOptions, LayerArchive, ProviderClient, RetryPolicy } from "../../../src/providers/types.js";
import { buildZip } from "../../../src/emulator/zip.js";
import { createHash } from "node:crypto";

export const REGION = "eu-central-1";

export { startEmulator } from "../../helpers/emulator.js";

export interface CapturingLogger extends Logger {
  lines: string[];
}

export function capturingLogger(): CapturingLogger {
  const lines: string[] = [];
  return {
    lines,
    debugEnabled: true,
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}

export const fastRetry: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

export async function connectOptions(emu: RunningEmulator, over: Partial<ConnectOptions> = {}): Promise<ConnectOptions> {
  const credentials = await awsProvider.resolveCredentials(emulatorEnv(emu.credentials, emu.url), {});
  return { region: REGION, endpoint: emu.url, credentials, requestTimeoutMs: 5_000, retry: fastRetry, log: capturingLogger(), ...over };
}

export async function connect(emu: RunningEmulator, over: Partial<ConnectOptions> = {}): Promise<ProviderClient> {
  return awsProvider.connect(await connectOptions(emu, over));
}

export function archiveOf(files: Record<string, string>): LayerArchive {
  const bytes = buildZip(Object.entries(files).map(([name, data]) => ({ name, data: Buffer.from(data) })));
  return { bytes, sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length };
}

export { rejection } from "../../helpers/cli-expect.js";
