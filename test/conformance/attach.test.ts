// Attaching layers to functions, the same scenarios for every provider (the list in profiles.ts),
// through the real SDKs over real HTTP to the emulator: replace, append, unchanged, limit reached,
// missing function, waiting for the update, publishing a version, pointing an alias; the reads
// promotion rests on (a function that is not there, an alias's version, the published versions
// and their layers), going back to the previous version, detaching, and no churn on a re-run.
import { beforeAll, describe, expect, it } from "vitest";
import { CloudError } from "../../src/errors.js";
import { emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { silentLogger } from "../../src/output/log.js";
import { providers } from "../../src/providers/index.js";
import type { AttachedLayer, LayerArchive, Provider, ProviderClient, RetryPolicy } from "../../src/providers/types.js";
import { attachFunctions, type AttachOptions } from "../../src/release/attach-functions.js";
import type { Target } from "../../src/targets/resolve.js";
import { makeArchive } from "../helpers/archive.js";
import { profiles } from "./profiles.js";
import { startEmulator, useEmulator } from "../helpers/emulator.js";

const fastRetry: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
const publishOpts = { wait: true, waitTimeoutMs: 10_000, pollIntervalMs: 5 };
const wait = () => ({ waitTimeoutMs: 10_000, pollIntervalMs: 1 });
const FUNCTIONS = ["att-append", "att-replace", "att-same", "att-full", "att-ok", "att-wait", "att-slow", "att-version", "att-alias", "att-alias2", "att-history", "att-detach"];

describe.each(profiles)("attach conformance: $provider", (profile) => {
  const provider: Provider = providers[profile.provider];
  let emu: RunningEmulator;
  let archive: LayerArchive;
  let seq = 0;
  const layerName = () => `att${profile.provider}${++seq}`;

  async function connect(on: RunningEmulator = emu): Promise<{ client: ProviderClient; target: Target }> {
    const credentials = await provider.resolveCredentials(emulatorEnv(on.credentials, on.url), {});
    const client = await provider.connect({ region: profile.region, endpoint: on.url, credentials, requestTimeoutMs: 10_000, retry: fastRetry, log: silentLogger });
    return { client, target: { provider, region: profile.region, endpoint: on.url, credentials } };
  }

  /** Publishes a new version of `name` and returns it as a function would reference it. */
  async function publish(client: ProviderClient, name: string): Promise<AttachedLayer> {
    const rec = await client.publishLayer({ layerName: name, archive, runtimes: profile.runtimes.native, architectures: [] }, publishOpts);
    return { layerName: name, version: rec.version!, arn: rec.arn };
  }

  function attach(client: ProviderClient, target: Target, layer: AttachedLayer, opts: Partial<AttachOptions> & { functions: string[] }) {
    return attachFunctions(client, target, layer, { namespace: profile.namespace, ...opts }, wait, silentLogger);
  }

  function calls(on: RunningEmulator, action: string): number {
    return Object.entries(on.faults.counts())
      .filter(([k]) => k === `${profile.provider}:${action}`)
      .reduce((n, [, v]) => n + v, 0);
  }

  const updateAction = { tencent: "UpdateFunctionConfiguration", aws: "UpdateFunctionConfiguration", aliyun: "UpdateFunction" }[profile.provider];

  useEmulator(
    {
      functionUpdateDelayMs: 0,
      functions: [
        ...FUNCTIONS.map((name) => ({ provider: profile.provider, name, namespace: profile.namespace })),
        // A function that already uses another account's public layer.
        ...(profile.foreignLayerArn
          ? [{ provider: profile.provider, name: "att-foreign", layers: [{ name: "public", version: 0, arn: profile.foreignLayerArn(profile.region) }] }]
          : []),
      ],
    },
    (started) => {
      emu = started;
    },
  );
  beforeAll(async () => {
    archive = await makeArchive();
  });

  it("appends a layer the function does not use yet", async () => {
    const { client, target } = await connect();
    const a = await publish(client, layerName());
    const [rec] = await attach(client, target, a, { functions: ["att-append"] });
    expect(rec).toMatchObject({
      provider: profile.provider,
      region: profile.region,
      functionName: "att-append",
      layerName: a.layerName,
      previousVersion: null,
      version: a.version,
      status: "attached",
      layers: [`${a.layerName}:${a.version}`],
      functionVersion: null,
      alias: null,
    });
    expect(rec!.error).toBeUndefined();
    expect(rec!.requestId).toBeTruthy();
    const now = await client.functions.getLayers({ functionName: "att-append", namespace: profile.namespace }, wait());
    expect(now.layers.map((l) => [l.layerName, l.version])).toEqual([[a.layerName, a.version]]);
  });

  it("replaces the version of the same layer in place, keeping the order", async () => {
    const { client, target } = await connect();
    const [x, y, z] = [layerName(), layerName(), layerName()];
    const layers = [await publish(client, x), await publish(client, y), await publish(client, z)];
    for (const l of layers) await attach(client, target, l, { functions: ["att-replace"] });
    const y2 = await publish(client, y);
    const [rec] = await attach(client, target, y2, { functions: ["att-replace"] });
    expect(rec).toMatchObject({ status: "attached", previousVersion: 1, version: 2, layers: [`${x}:1`, `${y}:2`, `${z}:1`] });
    const now = await client.functions.getLayers({ functionName: "att-replace", namespace: profile.namespace }, wait());
    expect(now.layers.map((l) => `${l.layerName}:${l.version}`)).toEqual([`${x}:1`, `${y}:2`, `${z}:1`]);
  });

  it("reports a function that already uses the version as unchanged, without updating it", async () => {
    const { client, target } = await connect();
    const a = await publish(client, layerName());
    await attach(client, target, a, { functions: ["att-same"] });
    const before = calls(emu, updateAction);
    const [rec] = await attach(client, target, a, { functions: ["att-same"] });
    expect(rec).toMatchObject({ status: "unchanged", previousVersion: a.version, version: a.version });
    expect(calls(emu, updateAction)).toBe(before);
  });

  it("fails a function at the layer limit before any write, and still attaches to the others", async () => {
    const { client, target } = await connect();
    const max = provider.limits.maxLayersPerFunction;
    expect(max).toBe(5);
    for (let i = 0; i < max; i++) await attach(client, target, await publish(client, layerName()), { functions: ["att-full"] });
    const extra = await publish(client, layerName());
    const before = calls(emu, updateAction);
    const results = await attach(client, target, extra, { functions: ["att-full", "att-ok"] });
    expect(results[0]).toMatchObject({ functionName: "att-full", status: "failed", error: { code: "LayerLimitReached" } });
    expect(results[0]!.error!.hint).toContain(`${extra.layerName}`.slice(0, 3));
    expect(results[1]).toMatchObject({ functionName: "att-ok", status: "attached", layers: [`${extra.layerName}:${extra.version}`] });
    // only att-ok was written
    expect(calls(emu, updateAction) - before).toBe(1);
    const full = await client.functions.getLayers({ functionName: "att-full", namespace: profile.namespace }, wait());
    expect(full.layers).toHaveLength(max);
  });

  it.runIf(profile.foreignLayerArn)("attaches beside another account's layer, which stays in place, as it was", async () => {
    const { client, target } = await connect();
    const foreign = profile.foreignLayerArn!(profile.region);
    const fn = { functionName: "att-foreign", namespace: profile.namespace };
    const name = layerName();
    const v1 = await publish(client, name);
    const [first] = await attach(client, target, v1, { functions: ["att-foreign"] });
    expect(first!.error).toBeUndefined();
    expect(first).toMatchObject({ status: "attached", previousVersion: null, layers: [expect.stringMatching(/:\d+$/), `${name}:${v1.version}`] });
    const v2 = await publish(client, name);
    const [second] = await attach(client, target, v2, { functions: ["att-foreign"] });
    expect(second).toMatchObject({ status: "attached", previousVersion: v1.version });
    const layers = await client.functions.getLayers(fn, wait());
    expect(layers.layers.map((l) => l.arn)).toEqual([foreign, v2.arn]);
  });

  it("fails a missing function with the provider's code and attaches to the others", async () => {
    const { client, target } = await connect();
    const a = await publish(client, layerName());
    const results = await attach(client, target, a, { functions: ["no-such-function", "att-ok"] });
    expect(results[0]).toMatchObject({ functionName: "no-such-function", status: "failed", error: { code: profile.codes.functionNotFound } });
    expect(results[0]!.error!.requestId).toBeTruthy();
    expect(results[1]).toMatchObject({ functionName: "att-ok", status: "attached" });
  });

  /**
   * An emulator whose clock moves 100 ms on at each read: a function update (and a new function
   * version) stays in progress for a few polls.
   */
  function slowEmulator(functionName: string): Promise<RunningEmulator> {
    const base = Date.now();
    let reads = 0;
    return startEmulator({
      functionUpdateDelayMs: 2_000,
      now: () => new Date(base + 100 * reads++),
      functions: [{ provider: profile.provider, name: functionName, namespace: profile.namespace }],
    });
  }

  it("waits until the cloud reports the update finished", async () => {
    const slow = await slowEmulator("att-wait");
    try {
      const { client, target } = await connect(slow);
      const a = await publish(client, layerName());
      const getsBefore = calls(slow, "GetFunction");
      const [rec] = await attach(client, target, a, { functions: ["att-wait"] });
      expect(rec).toMatchObject({ status: "attached" });
      // one read before the update, then polls while it was in progress, then the one that saw it done
      expect(calls(slow, "GetFunction") - getsBefore).toBeGreaterThan(2);
    } finally {
      await slow.close();
    }
  });

  it("gives up waiting at the end of the budget, saying the update may still finish", async () => {
    const slow = await startEmulator({ functionUpdateDelayMs: 600_000, functions: [{ provider: profile.provider, name: "att-slow", namespace: profile.namespace }] });
    try {
      const { client } = await connect(slow);
      const a = await publish(client, layerName());
      const fn = { functionName: "att-slow", namespace: profile.namespace };
      const before = await client.functions.getLayers(fn, { waitTimeoutMs: 1_000, pollIntervalMs: 10 });
      const err = await client.functions.setLayers(fn, [a], { waitTimeoutMs: 30, pollIntervalMs: 10 }, before).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CloudError);
      expect((err as CloudError).code).toBe("FunctionUpdateTimeout");
      expect((err as CloudError).hint).toContain("may still finish");
      // A half-updated function is not a plain failure: the message says the list was accepted.
      expect((err as CloudError).message).toContain("was accepted and may be applied already");
    } finally {
      await slow.close();
    }
  });

  it("publishes a function version after the update", async () => {
    const { client, target } = await connect();
    const name = layerName();
    const v1 = await publish(client, name);
    const [first] = await attach(client, target, v1, { functions: ["att-version"], publishVersion: true });
    expect(first).toMatchObject({ status: "attached", functionVersion: expect.stringMatching(/^\d+$/) });
    const v2 = await publish(client, name);
    const [second] = await attach(client, target, v2, { functions: ["att-version"], publishVersion: true });
    expect(second).toMatchObject({ status: "attached", previousVersion: v1.version, version: v2.version });
    expect(Number(second!.functionVersion)).toBe(Number(first!.functionVersion) + 1);
  });

  it("points an alias at the new function version, creating it the first time", async () => {
    const { client, target } = await connect();
    const name = layerName();
    const [rec] = await attach(client, target, await publish(client, name), { functions: ["att-alias"], alias: "live" });
    expect(rec).toMatchObject({ status: "attached", alias: "live", functionVersion: expect.stringMatching(/^\d+$/) });
    const [again] = await attach(client, target, await publish(client, name), { functions: ["att-alias"], alias: "live" });
    expect(again).toMatchObject({ status: "attached", alias: "live" });
    expect(Number(again!.functionVersion)).toBe(Number(rec!.functionVersion) + 1);
    const fn = { functionName: "att-alias", namespace: profile.namespace };
    // the alias exists now: pointing it again updates it
    expect(await client.functions.pointAlias(fn, "live", rec!.functionVersion!, wait())).toMatchObject({ created: false });
  });

  // Tencent's PublishVersion is asynchronous (Publishing -> Active) and a new Lambda version starts
  // Pending: the emulators refuse an alias to a version that is not Active yet, as layerctl must
  // never ask for one. FC 3.0 publishes versions synchronously: the same scenario simply passes.
  it("points an alias at a new function version only once the cloud reports it Active", async () => {
    const slow = await slowEmulator("att-alias3");
    try {
      const { client, target } = await connect(slow);
      const a = await publish(client, layerName());
      const [rec] = await attach(client, target, a, { functions: ["att-alias3"], alias: "live" });
      expect(rec!.error).toBeUndefined();
      expect(rec).toMatchObject({ status: "attached", alias: "live", functionVersion: expect.stringMatching(/^\d+$/) });
      // The alias exists, on that version: pointing it there again is an update.
      const fn = { functionName: "att-alias3", namespace: profile.namespace };
      expect(await client.functions.pointAlias(fn, "live", rec!.functionVersion!, wait())).toMatchObject({ created: false });
    } finally {
      await slow.close();
    }
  });

  it("creates an alias that does not exist and refuses a version that does not", async () => {
    const { client } = await connect();
    const fn = { functionName: "att-alias2", namespace: profile.namespace };
    const v = await client.publishFunctionVersion({ functionName: fn.functionName, namespace: fn.namespace });
    const created = await client.functions.pointAlias(fn, "blue", v.version!, wait());
    expect(created.created).toBe(true);
    expect(created.requestId).toBeTruthy();
    const err = await client.functions.pointAlias(fn, "blue", "999", wait()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CloudError);
  });

  it("reads what promotion rests on: a missing function is null, an alias's version, the versions newest first and their layers", async () => {
    const { client, target } = await connect();
    const fn = { functionName: "att-history", namespace: profile.namespace };
    expect(await client.functions.findLayers({ functionName: "att-nobody", namespace: profile.namespace }, wait())).toBeNull();
    expect(await client.functions.aliasVersion(fn, "live")).toBeNull();
    expect(await client.functions.listVersions(fn)).toEqual([]);
    const name = layerName();
    const v1 = await publish(client, name);
    const [first] = await attach(client, target, v1, { functions: ["att-history"], alias: "live" });
    const v2 = await publish(client, name);
    const [second] = await attach(client, target, v2, { functions: ["att-history"], alias: "live" });
    expect(await client.functions.findLayers(fn, wait())).toEqual([v2]);
    expect(await client.functions.aliasVersion(fn, "live")).toBe(second!.functionVersion);
    expect((await client.functions.listVersions(fn)).map((v) => v.version)).toEqual([second!.functionVersion, first!.functionVersion]);
    expect(await client.functions.versionLayers(fn, first!.functionVersion!)).toEqual([v1]);

    // Going back: the newest published version that used another version of the layer.
    const [back] = await attachFunctions(
      client,
      target,
      { kind: "previous", layerName: name },
      { functions: ["att-history"], namespace: profile.namespace, alias: "live" },
      wait,
      silentLogger,
    );
    expect(back).toMatchObject({ previousVersion: v2.version, version: v1.version, status: "attached", alias: "live" });
    // $LATEST changed again, so a new function version carries it (the alias follows).
    expect(Number(back!.functionVersion)).toBe(Number(second!.functionVersion) + 1);
    expect(await client.functions.aliasVersion(fn, "live")).toBe(back!.functionVersion);
    // Asked again: nothing changes, no version is published.
    const [again] = await attachFunctions(client, target, v1, { functions: ["att-history"], namespace: profile.namespace, alias: "live" }, wait, silentLogger);
    expect(again).toMatchObject({ status: "unchanged", functionVersion: back!.functionVersion });
    expect(await client.functions.listVersions(fn)).toHaveLength(3);
  });

  it("detaches a layer, and a second detach changes nothing", async () => {
    const { client, target } = await connect();
    const name = layerName();
    const other = await publish(client, layerName());
    await attach(client, target, other, { functions: ["att-detach"] });
    await attach(client, target, await publish(client, name), { functions: ["att-detach"] });
    const detach = () => attachFunctions(client, target, { kind: "detach", layerName: name }, { functions: ["att-detach"], namespace: profile.namespace }, wait, silentLogger);
    const [rec] = await detach();
    expect(rec).toMatchObject({ status: "detached", previousVersion: 1, version: null, layers: [`${other.layerName}:${other.version}`] });
    const updates = calls(emu, updateAction);
    const [again] = await detach();
    expect(again).toMatchObject({ status: "unchanged", previousVersion: null });
    expect(calls(emu, updateAction)).toBe(updates);
  });
});
