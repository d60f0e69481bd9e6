// An adapter connected to an emulator the way in-process tests want it.
import { emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { silentLogger } from "../../src/output/log.js";
import type { ConnectOptions, Provider, ProviderClient } from "../../src/providers/types.js";

/**
 * `provider` connected to `emu` in `region`, with credentials resolved from the emulator's
 * variables (`env` on top): 10 s a request, one attempt, no log; `over` replaces any of these.
 */
export async function connectTo(
  provider: Provider,
  emu: Pick<RunningEmulator, "url" | "credentials">,
  region: string,
  over: Partial<ConnectOptions> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<ProviderClient> {
  const credentials = await provider.resolveCredentials({ ...emulatorEnv(emu.credentials, emu.url), ...env }, {});
  return provider.connect({
    region,
    endpoint: emu.url,
    credentials,
    requestTimeoutMs: 10_000,
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    log: silentLogger,
    ...over,
  });
}
