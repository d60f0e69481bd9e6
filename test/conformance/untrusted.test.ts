// An answer we cannot read never drives a write (issue 16), for every provider, through the real
// SDKs and the emulator's "2xx but incomplete" faults: reads answered without their fields fail
// as unreadable (never "empty"); prune, attach and publish decide only on well-formed data; every
// creating call whose answer is lost is looked into (layer versions, function versions, deletes,
// updates, aliases) and reported as what happened, once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { attachCommand } from "../../src/commands/attach.js";
import { deleteCommand } from "../../src/commands/delete.js";
import { pruneCommand } from "../../src/commands/prune.js";
import { publishCommand } from "../../src/commands/publish.js";
import type { VersionActionRecord } from "../../src/commands/shared/lifecycle-records.js";
import { emulatorEnv, start, type RunningEmulator } from "../../src/emulator/index.js";
import type { FaultKind } from "../../src/emulator/types.js";
import { silentLogger } from "../../src/output/log.js";
import { providers } from "../../src/providers/index.js";
import type { AttachedLayer, FunctionRef, LayerArchive, ProviderClient } from "../../src/providers/types.js";
import { makeArchive, tempDir } from "../helpers/archive.js";
import { profiles } from "./profiles.js";
import { writeFile } from "node:fs/promises";
import path from "node:path";

const INCOMPLETE: FaultKind[] = ["empty-body", "hollow", "no-list", "truncate-chunked"];
/** Answers lost after the call was carried out: the old kinds and the new. */
const LOST: FaultKind[] = ["lost-response", "truncate", "stall", ...INCOMPLETE];
/** The same, without a stall (each stall costs a whole attempt's timeout; publish covers it). */
const CUT: FaultKind[] = LOST.filter((k) => k !== "stall");
const fastRetry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
const wait = { waitTimeoutMs: 10_000, pollIntervalMs: 5 };

/** A read's result without its request ids (each answer has its own). */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== "requestId")
      .map(([k, v]) => [k, withoutIds(v)]),
  );
}

describe.each(profiles)("untrusted answers: $provider", (profile) => {
  const provider = providers[profile.provider];
  const namespace = provider.features.functionNamespaces ? "prod" : undefined;
  const LAYER = "kept";
  const OTHER = ["othera", "otherb"];
  let emu: RunningEmulator;
  /** Where the creating calls' scenarios run (see beforeAll). */
  let made: RunningEmulator;
  let archive: LayerArchive;
  let dir: string;
  let seq = 0;
  const fresh = (prefix: string) => `${prefix}${profile.provider}${++seq}`;

  beforeAll(async () => {
    emu = await start({
      port: 0,
      tencentPublishDelayMs: 0,
      functionUpdateDelayMs: 0,
      functions: [
        // $LATEST uses kept:4, published version 1 uses kept:2 (in a namespace of its own where the cloud has them).
        { provider: profile.provider, name: "keeper", namespace, versions: [{ layers: [{ name: LAYER, version: 2 }] }], layers: [{ name: LAYER, version: 4 }] },
        // Two other layers, in this order: attach must never drop them (one function per scenario).
        ...["multi", "one0", "one1", "one2", "one3"].map((name) => ({ provider: profile.provider, name, namespace, layers: OTHER.map((o) => ({ name: o, version: 1 })) })),
      ],
    });
    // The creating calls' scenarios get their own functions in an emulator of their own: prune's
    // scan reads every function, and pacing makes each one count.
    made = await start({
      port: 0,
      tencentPublishDelayMs: 0,
      functionUpdateDelayMs: 0,
      functions: ["fv", "upd", "alias"].flatMap((p) => Array.from({ length: CUT.length + 1 }, (_, i) => ({ provider: profile.provider, name: `${p}${i}`, namespace }))),
    });
    archive = await makeArchive();
    dir = await tempDir();
    await writeFile(path.join(dir, "mod.py"), "x = 1\n");
    const c = await client();
    for (let i = 0; i < 5; i++) await publishRaw(c, LAYER);
    for (const o of OTHER) await publishRaw(c, o);
  });
  afterAll(async () => {
    await emu?.close();
    await made?.close();
  });
  beforeEach(() => {
    emu.faults.clear();
    made.faults.clear();
  });

  async function client(on = emu): Promise<ProviderClient> {
    const credentials = await provider.resolveCredentials(emulatorEnv(on.credentials, on.url), {});
    return provider.connect({ region: profile.region, endpoint: on.url, credentials, requestTimeoutMs: 5_000, retry: fastRetry, log: silentLogger });
  }

  async function publishRaw(c: ProviderClient, name: string): Promise<AttachedLayer> {
    const rec = await c.publishLayer({ layerName: name, archive, runtimes: profile.runtimes.native, architectures: [] }, { wait: true, waitTimeoutMs: 10_000, pollIntervalMs: 5 });
    return { layerName: name, version: rec.version!, arn: rec.arn };
  }

  const ctx = (on = emu) => ({ env: emulatorEnv(on.credentials, on.url), log: silentLogger });
  const target = (on = emu) => ({ provider: [profile.provider], region: [profile.region], endpoint: on.url });
  const fault = (action: string, kind: FaultKind, extra: { times?: number; after?: number } = {}, on = emu) =>
    on.faults.add({ provider: profile.provider, action, kind, ...extra });
  const calls = (action: string) => emu.faults.counts()[`${profile.provider}:${action}`] ?? 0;
  const fn = (functionName: string): FunctionRef => ({ functionName, namespace });
  const versionsOf = async (name: string) => (await (await client()).listLayerVersions(name)).map((v) => v.version!).sort((a, b) => a - b);

  /** The reads decisions rest on, each with the action whose answer is broken. */
  function reads(c: ProviderClient): Array<[string, () => Promise<unknown>]> {
    return [
      ["ListLayerVersions", () => c.listLayerVersions(LAYER)],
      ["ListLayers", () => c.listLayers()],
      ["GetFunction", () => c.functions.getLayers(fn("multi"), wait)],
      [profile.actions.listFunctionVersions, () => c.functions.listVersions(fn("keeper"))],
      ...profile.actions.scan.map((action): [string, () => Promise<unknown>] => [action, () => c.layerReferences(LAYER)]),
    ];
  }

  /** A list lost on every read of a function is caught only where the cloud always sends the list (see the profile). */
  const caughtWhenPermanent = (kind: FaultKind, action: string) => !(profile.functionLayersMayBeOmitted && kind === "no-list" && action === "GetFunction");

  describe("reads", () => {
    it.each(INCOMPLETE)("a read answered 2xx but incomplete (%s) on every attempt is unreadable, never empty", async (kind) => {
      const c = await client();
      for (const [action, read] of reads(c)) {
        if (!caughtWhenPermanent(kind, action)) continue;
        emu.faults.clear();
        fault(action, kind);
        const outcome = await read().then(
          (value) => ({ value }),
          (err: { code?: string }) => ({ code: err.code }),
        );
        expect({ action, outcome }).toEqual({ action, outcome: { code: "InvalidResponse" } });
      }
    });

    it.each(INCOMPLETE)("one answer 2xx but incomplete (%s) is read again, and the read is whole", async (kind) => {
      const c = await client();
      for (const [action, read] of reads(c)) {
        emu.faults.clear();
        const truth = withoutIds(await read());
        fault(action, kind, { times: 1 });
        expect({ action, got: withoutIds(await read()) }).toEqual({ action, got: truth });
      }
    });

    it("paging stops only on a well-formed last page: a broken later page fails the listing", async () => {
      const c = await client();
      const name = fresh("paged");
      const pageSize = profile.pages.versions;
      if (pageSize === null) return; // The cloud lists versions in one answer: nothing to page.
      for (let i = 0; i < pageSize + 2; i++) await publishRaw(c, name);
      fault("ListLayerVersions", "hollow", { after: 1 });
      await expect(c.listLayerVersions(name)).rejects.toMatchObject({ code: "InvalidResponse" });
      // attach L:latest reads the same list: it fails instead of picking a version of page one.
      const { results } = await attachCommand({ ...target(), layer: `${name}:latest`, function: ["multi"], namespace }, ctx());
      expect(results[0]).toMatchObject({ status: "failed", error: { code: "InvalidResponse" } });
    });
  });

  describe("prune decides only on complete data", () => {
    const actions = ["ListLayerVersions", ...profile.actions.scan];
    /** Every action with every kind would be slow (prune retries with its own backoff): the kinds rotate over the actions, each kind used. */
    const rotation = (offset: number) =>
      Array.from({ length: Math.max(actions.length, INCOMPLETE.length) }, (_, i) => [actions[i % actions.length]!, INCOMPLETE[(i + offset) % INCOMPLETE.length]!] as const);

    it.each([0, 2])("deletes nothing in a target whose listing or scan is answered 2xx but incomplete, and says why (rotation %i)", async (offset) => {
      for (const [action, kind] of rotation(offset)) {
        if (!caughtWhenPermanent(kind, action)) continue;
        emu.faults.clear();
        const before = await versionsOf(LAYER);
        const deletes = calls("DeleteLayerVersion");
        fault(action, kind);
        const { results } = await pruneCommand({ ...target(), name: LAYER, keep: "1", yes: true }, ctx());
        expect({ action, kind, results: results.map((r) => r.status) }).toEqual({ action, kind, results: ["failed"] });
        expect(results[0]!.error!.hint).toContain("nothing was deleted");
        expect(calls("DeleteLayerVersion") - deletes).toBe(0);
        emu.faults.clear();
        expect(await versionsOf(LAYER)).toEqual(before);
      }
    });

    it.each([1, 3])("with one incomplete scan answer still keeps every version in use (rotation %i)", async (offset) => {
      for (const [action, kind] of rotation(offset)) {
        emu.faults.clear();
        fault(action, kind, { times: 1 });
        const { results } = await pruneCommand({ ...target(), name: LAYER, keep: "1", dryRun: true }, ctx());
        const inUse = results.filter((r: VersionActionRecord) => r.status === "in-use").map((r) => r.version);
        expect({ action, kind, inUse }).toEqual({ action, kind, inUse: [4, 2] });
      }
    });
  });

  describe("publish compares against a baseline only when the list was well formed", () => {
    it.each(INCOMPLETE)("never reports an older version when the list before publishing is answered %s and the publish answer is lost", async (kind) => {
      const name = fresh("base");
      const first = await publishCommand({ source: dir, name, runtime: profile.runtimes.canonical, ...target() }, ctx());
      expect(first.results[0]).toMatchObject({ status: "published", version: 1 });
      fault("ListLayerVersions", kind);
      fault(profile.publishLayerAction, "lost-response", { times: 1 });
      const doc = await publishCommand({ source: dir, name, runtime: profile.runtimes.canonical, ...target() }, ctx());
      expect(doc.results[0]).toMatchObject({ status: "failed", version: null });
      expect(doc.results[0]!.error!.hint).toContain("a version may exist");
      expect(doc.results[0]!.error!.hint).toContain(`layerctl versions ${name} -p ${profile.provider}`);
      emu.faults.clear();
      // The version the lost answer made exists; it was reported as possible, not as published.
      expect(await versionsOf(name)).toEqual([1, 2]);
    });

    it.each(LOST)("reports the version a publish made once when its answer is lost (%s), without downloading any zip", async (kind) => {
      const name = fresh("lost");
      await publishCommand({ source: dir, name, runtime: profile.runtimes.canonical, ...target() }, ctx());
      const downloads = emu.faults.counts()["blob:GET"] ?? 0;
      fault(profile.publishLayerAction, kind, { times: 1 });
      const doc = await publishCommand({ source: dir, name, runtime: profile.runtimes.canonical, ...target(), timeout: "3" }, ctx());
      expect(doc.results[0]).toMatchObject({ status: "published", version: 2 });
      expect((emu.faults.counts()["blob:GET"] ?? 0) - downloads).toBe(0);
      emu.faults.clear();
      expect(await versionsOf(name)).toEqual([1, 2]);
    });
  });

  describe("attach writes a layer list only from a well-formed read", () => {
    it.each(INCOMPLETE)("fails a function whose read is answered %s on every attempt, and writes nothing", async (kind) => {
      if (!caughtWhenPermanent(kind, "GetFunction")) return; // See the profile: such a list reads as none (and is confirmed twice).
      const c = await client();
      const layer = await publishRaw(c, fresh("att"));
      const updates = calls(profile.actions.updateLayers);
      fault("GetFunction", kind);
      const { results } = await attachCommand({ ...target(), layer: `${layer.layerName}:${layer.version}`, function: ["multi"], namespace }, ctx());
      expect(results[0]).toMatchObject({ status: "failed", error: { code: "InvalidResponse" } });
      expect(calls(profile.actions.updateLayers) - updates).toBe(0);
      emu.faults.clear();
      expect((await c.functions.getLayers(fn("multi"), wait)).layers.map((l) => l.layerName)).toEqual(OTHER);
    });

    it.each(INCOMPLETE)("with one incomplete read (%s) drops no layer", async (kind) => {
      const c = await client();
      const layer = await publishRaw(c, fresh("one"));
      const name = `one${INCOMPLETE.indexOf(kind)}`;
      const before = (await c.functions.getLayers(fn(name), wait)).layers.map((l) => `${l.layerName}:${l.version}`);
      fault("GetFunction", kind, { times: 1 });
      const { results } = await attachCommand({ ...target(), layer: `${layer.layerName}:${layer.version}`, function: [name], namespace }, ctx());
      expect(results[0]).toMatchObject({ status: "attached", layers: [...before, `${layer.layerName}:${layer.version}`] });
      emu.faults.clear();
      expect((await c.functions.getLayers(fn(name), wait)).layers.map((l) => `${l.layerName}:${l.version}`)).toEqual([...before, `${layer.layerName}:${layer.version}`]);
    });
  });

  describe("every creating call whose outcome is unknown is looked into", () => {
    it.each(CUT)("a function version whose answer is lost (%s) is reported once, and no second one is made", async (kind) => {
      const c = await client(made);
      const layer = await publishRaw(c, fresh("fv"));
      const name = `fv${CUT.indexOf(kind)}`;
      const before = (await c.functions.listVersions(fn(name))).length;
      fault(profile.actions.publishVersion, kind, { times: 1 }, made);
      const { results } = await attachCommand(
        { ...target(made), layer: `${layer.layerName}:${layer.version}`, function: [name], namespace, publishVersion: true, timeout: "3" },
        ctx(made),
      );
      expect(results[0]).toMatchObject({ status: "attached", functionVersion: String(before + 1) });
      made.faults.clear();
      expect((await c.functions.listVersions(fn(name))).length).toBe(before + 1);
    });

    it("a function version that cannot be looked for is reported as one that may exist, with a command to check and no re-run that makes another", async () => {
      const c = await client(made);
      const layer = await publishRaw(c, fresh("fvu"));
      // The versions are read once before publishing; every later read of them fails.
      fault(profile.actions.listFunctionVersions, "hollow", { after: 1 }, made);
      fault(profile.actions.publishVersion, "lost-response", { times: 1 }, made);
      const { results } = await attachCommand(
        { ...target(made), layer: `${layer.layerName}:${layer.version}`, function: [`fv${CUT.length}`], namespace, publishVersion: true },
        ctx(made),
      );
      expect(results[0]).toMatchObject({ status: "failed", functionVersion: null });
      const hint = results[0]!.error!.hint!;
      expect(hint).toContain("a function version may exist");
      expect(hint).toContain(c.functions.versionsCommand(fn(`fv${CUT.length}`)));
      expect(hint).not.toContain("--publish-version");
    });

    it.each(CUT)("a layer-list update whose answer is lost (%s) is read back, not repeated blindly or misreported", async (kind) => {
      const c = await client(made);
      const layer = await publishRaw(c, fresh("up"));
      const name = `upd${CUT.indexOf(kind)}`;
      fault(profile.actions.updateLayers, kind, { times: 1 }, made);
      const { results } = await attachCommand({ ...target(made), layer: `${layer.layerName}:${layer.version}`, function: [name], namespace, timeout: "3" }, ctx(made));
      expect(results[0]).toMatchObject({ status: "attached", layers: [`${layer.layerName}:${layer.version}`] });
      expect(results[0]!.error).toBeUndefined();
    });

    it.each(CUT)("an alias whose creation answer is lost (%s) is found pointing at the version", async (kind) => {
      const c = await client(made);
      const layer = await publishRaw(c, fresh("al"));
      const name = `alias${CUT.indexOf(kind)}`;
      fault(profile.actions.createAlias, kind, { times: 1 }, made);
      const { results } = await attachCommand(
        { ...target(made), layer: `${layer.layerName}:${layer.version}`, function: [name], namespace, alias: "live", timeout: "3" },
        ctx(made),
      );
      expect(results[0]).toMatchObject({ status: "attached", alias: "live" });
      expect(results[0]!.error).toBeUndefined();
    });

    it.each(CUT)("a delete whose answer is lost (%s) is reported deleted, not not-found or failed", async (kind) => {
      const name = fresh("del");
      const c = await client(made);
      for (let i = 0; i < 3; i++) await publishRaw(c, name);
      fault("DeleteLayerVersion", kind, { times: 1 }, made);
      const { results } = await deleteCommand({ ...target(made), name, versions: ["2"], yes: true, timeout: "3" }, ctx(made));
      expect(results[0]).toMatchObject({ version: 2, status: "deleted" });
      made.faults.clear();
      expect((await c.listLayerVersions(name)).map((v) => v.version)).toEqual([3, 1]);
      // And under prune, whose versions were just listed.
      fault("DeleteLayerVersion", kind, { times: 1 }, made);
      const pruned = await pruneCommand({ ...target(made), name, keep: "1", yes: true, timeout: "3" }, ctx(made));
      expect(pruned.results.map((r) => [r.version, r.status])).toEqual([
        [3, "kept"],
        [1, "deleted"],
      ]);
    });
  });

  describe("attach concurrency", () => {
    it("two attaches racing on one function never both report attached while one layer is lost", async () => {
      const slow = await start({
        port: 0,
        tencentPublishDelayMs: 0,
        // Updates take a while, as on the clouds: a second one meanwhile is refused or finds the list changed.
        functionUpdateDelayMs: 150,
        functions: [0, 1, 2].map((i) => ({ provider: profile.provider, name: `race${i}`, namespace })),
      });
      try {
        const credentials = await provider.resolveCredentials(emulatorEnv(slow.credentials, slow.url), {});
        const s = await provider.connect({ region: profile.region, endpoint: slow.url, credentials, requestTimeoutMs: 5_000, retry: fastRetry, log: silentLogger });
        for (let round = 0; round < 3; round++) {
          const a = await publishRaw(s, `racea${round}`);
          const b = await publishRaw(s, `raceb${round}`);
          // Both read before either writes: the reads are slowed, the writes are not.
          slow.faults.add({ provider: profile.provider, action: "GetFunction", kind: "latency", latencyMs: 100, times: 2 });
          const run = (l: AttachedLayer) =>
            attachCommand(
              { layer: `${l.layerName}:${l.version}`, function: [`race${round}`], namespace, provider: [profile.provider], region: [profile.region], endpoint: slow.url },
              {
                env: emulatorEnv(slow.credentials, slow.url),
                log: silentLogger,
              },
            );
          const [ra, rb] = await Promise.all([run(a), run(b)]);
          slow.faults.clear();
          const final = (await s.functions.getLayers(fn(`race${round}`), wait)).layers.map((l) => l.layerName);
          for (const [l, r] of [
            [a, ra],
            [b, rb],
          ] as const) {
            const rec = r.results[0]!;
            // What is reported attached is in the list; a layer not in it is reported failed.
            if (rec.status === "attached") expect({ round, final }).toEqual({ round, final: expect.arrayContaining([l.layerName]) });
            else expect(rec.error?.code).toMatch(/ConcurrentUpdate|InvalidResponse/);
          }
          expect([ra, rb].filter((r) => r.results[0]!.status === "attached").length).toBeGreaterThanOrEqual(1);
        }
      } finally {
        await slow.close();
      }
    });
  });
});
