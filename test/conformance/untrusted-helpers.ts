// What the untrusted-answer conformance files share: the fault kinds and small helpers.
import { emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import type { FaultKind } from "../../src/emulator/types.js";
import { silentLogger } from "../../src/output/log.js";
import { providers } from "../../src/providers/index.js";
import type { AttachedLayer, LayerArchive, ProviderClient } from "../../src/providers/types.js";
import type { ConformanceProfile } from "./profile.js";

export const INCOMPLETE: FaultKind[] = ["empty-body", "hollow", "no-list", "truncate-chunked"];
/** Answers lost after the call was carried out: the old kinds and the new. */
export const LOST: FaultKind[] = ["lost-response", "truncate", "stall", ...INCOMPLETE];
/** The same, without a stall (each stall costs a whole attempt's timeout; publish covers it). */
export const CUT: FaultKind[] = LOST.filter((k) => k !== "stall");
export const fastRetry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
export const wait = { waitTimeoutMs: 10_000, pollIntervalMs: 5 };

/**
 * A read's result without what each answer has of its own: request ids, and the expiry and
 * signature of a signed download link (two reads a second apart get links expiring a second apart).
 */
export function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (typeof value === "string" && /^https?:\/\/[^?]+\?.*(Expires|Signature)=/i.test(value)) return value.slice(0, value.indexOf("?"));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== "requestId")
      .map(([k, v]) => [k, withoutIds(v)]),
  );
}

/** One provider's scenarios on an emulator (`main()` by default): a client, a raw publish, a command's context and target, a fault. */
export function onEmulator(profile: ConformanceProfile, main: () => RunningEmulator, archive: () => LayerArchive) {
  const provider = providers[profile.provider];
  return {
    async client(on = main()): Promise<ProviderClient> {
      const credentials = await provider.resolveCredentials(emulatorEnv(on.credentials, on.url), {});
      return provider.connect({ region: profile.region, endpoint: on.url, credentials, requestTimeoutMs: 5_000, retry: fastRetry, log: silentLogger });
    },
    async publishRaw(c: ProviderClient, name: string): Promise<AttachedLayer> {
      const rec = await c.publishLayer(
        { layerName: name, archive: archive(), runtimes: profile.runtimes.native, architectures: [] },
        { wait: true, waitTimeoutMs: 10_000, pollIntervalMs: 5 },
      );
      return { layerName: name, version: rec.version!, arn: rec.arn };
    },
    ctx: (on = main()) => ({ env: emulatorEnv(on.credentials, on.url), log: silentLogger }),
    target: (on = main()) => ({ provider: [profile.provider], region: [profile.region], endpoint: on.url }),
    fault: (action: string, kind: FaultKind, extra: { times?: number; after?: number } = {}, on = main()) => on.faults.add({ provider: profile.provider, action, kind, ...extra }),
  };
}
