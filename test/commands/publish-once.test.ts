// What publishOnce reports after an ambiguous failure, for every provider, through the real SDKs
// against the emulator: only a version created by this publish, settled, or the failure itself.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { publishOnce, type PublishOnceContext } from "../../src/release/publish-once.js";
import { startBudget } from "../../src/providers/budget.js";
import { CloudError } from "../../src/errors.js";
import { emulatorEnv, start, type RunningEmulator } from "../../src/emulator/index.js";
import { silentLogger } from "../../src/output/log.js";
import { providers } from "../../src/providers/index.js";
import type { LayerArchive, ProviderClient, PublishLayerRequest, RetryPolicy } from "../../src/providers/types.js";
import { makeArchive } from "../helpers/archive.js";
import { profiles } from "../conformance/profiles.js";

const publishOpts = { wait: true, waitTimeoutMs: 10_000, pollIntervalMs: 5 };

describe.each(profiles)("publishOnce: $provider", (profile) => {
  const provider = providers[profile.provider];
  let emu: RunningEmulator;
  let archive: LayerArchive;
  let seq = 0;
  const layerName = () => `once${profile.provider}${++seq}`;

  beforeAll(async () => {
    emu = await start({ port: 0, tencentPublishDelayMs: 0 });
    archive = await makeArchive();
  });
  afterAll(async () => {
    await emu?.close();
  });
  beforeEach(() => emu.faults.clear());

  async function connect(policy: RetryPolicy, requestTimeoutMs = 10_000, url = emu.url, creds = emu.credentials): Promise<ProviderClient> {
    const credentials = await provider.resolveCredentials(emulatorEnv(creds, url), {});
    return provider.connect({ region: profile.region, endpoint: url, credentials, requestTimeoutMs, retry: policy, log: silentLogger });
  }

  function request(name: string): PublishLayerRequest {
    return { layerName: name, archive, runtimes: profile.runtimes.native, architectures: [], description: "once", license: "MIT" };
  }

  function context(policy: RetryPolicy, budgetMs = 10_000): PublishOnceContext {
    return {
      log: silentLogger,
      where: profile.provider,
      budget: startBudget(budgetMs),
      policy,
      checkCommand: `layerctl versions X -p ${profile.provider} -r ${profile.region}`,
      sleep: async () => {},
    };
  }

  const policy = (): RetryPolicy => ({ maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 });
  const count = (action: string) => emu.faults.counts()[`${profile.provider}:${action}`] ?? 0;

  it.each(["throttle", "server-error", "reset", "html-error"] as const)(
    "never reports an older version holding the same zip as published when every attempt fails (%s)",
    async (kind) => {
      const p = policy();
      const client = await connect(p);
      const name = layerName();
      const old = await publishOnce(client, request(name), publishOpts, context(p));
      expect(old.version).toBe(1);
      emu.faults.add({ provider: profile.provider, action: profile.publishLayerAction, kind });
      const lists = count("ListLayerVersions");
      const err = await publishOnce(client, request(name), publishOpts, context(p)).then(
        (r) => r,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CloudError);
      // Throttling certainly had no effect: nothing to look for beyond the one read before publishing.
      if (kind === "throttle") expect(count("ListLayerVersions") - lists).toBe(1);
      emu.faults.clear();
      expect((await client.listLayerVersions(name)).map((v) => v.version)).toEqual([1]);
    },
  );

  it.each(["lost-response", "truncate", "stall"] as const)("reports the version this publish created after a %s answer, once", async (kind) => {
    const p = policy();
    const client = await connect(p, 1_000);
    const name = layerName();
    await publishOnce(client, request(name), publishOpts, context(p));
    const before = count(profile.publishLayerAction);
    emu.faults.add({ provider: profile.provider, action: profile.publishLayerAction, kind, times: 1 });
    const rec = await publishOnce(client, request(name), publishOpts, context(p));
    expect(rec).toMatchObject({ version: 2, status: "published", state: "Active", codeSha256: archive.sha256 });
    expect(count(profile.publishLayerAction) - before).toBe(1);
    expect((await client.listLayerVersions(name)).map((v) => v.version)).toEqual([2, 1]);
  });

  it("reports the publish failure first, then that the check failed, with a pasteable command", async () => {
    const p = policy();
    const client = await connect(p);
    const name = layerName();
    // The lookup's reads fail only after the read that notes the baseline.
    const failingLookup: ProviderClient = Object.create(client);
    failingLookup.publishLayer = (req, opts) => {
      emu.faults.add({ provider: profile.provider, action: "ListLayerVersions", kind: "server-error" });
      return client.publishLayer(req, opts);
    };
    emu.faults.add({ provider: profile.provider, action: profile.publishLayerAction, kind: "lost-response", times: 1 });
    const ctx = context(p);
    const err = (await publishOnce(failingLookup, request(name), publishOpts, ctx).catch((e: unknown) => e)) as CloudError;
    expect(err).toBeInstanceOf(CloudError);
    expect(err.code).not.toBe(profile.codes.serverError); // the publish's failure, not the lookup's
    expect(err.hint).toContain("checking for it failed too");
    expect(err.hint).toContain(profile.codes.serverError);
    expect(err.hint).toContain(`\`${ctx.checkCommand}\``);
  });

  it.runIf(provider.features.asyncPublish)("waits for a recovered version to become Active before reporting it", async () => {
    const slow = await start({ port: 0, tencentPublishDelayMs: 400 });
    try {
      const p = policy();
      const client = await connect(p, 5_000, slow.url, slow.credentials);
      slow.faults.add({ provider: profile.provider, action: profile.publishLayerAction, kind: "lost-response", times: 1 });
      const rec = await publishOnce(client, request(layerName()), { ...publishOpts, pollIntervalMs: 50 }, { ...context(p), sleep: undefined });
      expect(rec).toMatchObject({ version: 1, status: "published", state: "Active" });
    } finally {
      await slow.close();
    }
  });

  it.runIf(provider.features.asyncPublish)("keeps polling a publishing version through throttling, within the budget", async () => {
    const slow = await start({ port: 0, tencentPublishDelayMs: 300 });
    try {
      const p = policy();
      const client = await connect(p, 5_000, slow.url, slow.credentials);
      slow.faults.add({ provider: profile.provider, action: "GetLayerVersion", kind: "throttle", times: 8 });
      const rec = await client.publishLayer(request(layerName()), { ...publishOpts, pollIntervalMs: 20 });
      expect(rec).toMatchObject({ version: 1, status: "published", state: "Active" });
    } finally {
      await slow.close();
    }
  });
});
