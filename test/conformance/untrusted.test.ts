// An answer we cannot read never drives a write (issue 16), for every provider, through the real
// SDKs and the emulator's "2xx but incomplete" faults: reads answered without their fields fail
// as unreadable (never "empty"); prune, attach and publish decide only on well-formed data; a
// publish whose answer is lost is reported as what happened, once. (The other creating calls:
// ./untrusted-lookups.test.ts.)
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { attachCommand } from "../../src/commands/attach.js";
import { pruneCommand } from "../../src/commands/prune.js";
import { publishCommand } from "../../src/release/publish.js";
import { downloadCommand } from "../../src/commands/download.js";
import { statusCommand } from "../../src/release/status.js";
import type { VersionActionRecord } from "../../src/release/lifecycle-records.js";
import type { RunningEmulator } from "../../src/emulator/index.js";
import type { FaultKind } from "../../src/emulator/types.js";
import { providers } from "../../src/providers/index.js";
import type { FunctionRef, LayerArchive, ProviderClient } from "../../src/providers/types.js";
import { makeArchive, tempDir } from "../helpers/archive.js";
import { profiles } from "./profiles.js";
import { stat, writeFile } from "node:fs/promises";
import path from "node:path";

import { INCOMPLETE, LOST, onEmulator, wait, withoutIds } from "./untrusted-helpers.js";
import { useEmulator } from "../helpers/emulator.js";

describe.each(profiles)("untrusted answers: $provider", (profile) => {
  const provider = providers[profile.provider];
  const namespace = provider.features.functionNamespaces ? "prod" : undefined;
  const LAYER = "kept";
  const OTHER = ["othera", "otherb"];
  let emu: RunningEmulator;
  let archive: LayerArchive;
  let dir: string;
  let seq = 0;
  const fresh = (prefix: string) => `${prefix}${profile.provider}${++seq}`;

  useEmulator(
    {
      functionUpdateDelayMs: 0,
      functions: [
        // $LATEST uses kept:4, published version 1 uses kept:2 (in a namespace of its own where the cloud has them).
        { provider: profile.provider, name: "keeper", namespace, versions: [{ layers: [{ name: LAYER, version: 2 }] }], layers: [{ name: LAYER, version: 4 }] },
        // Two other layers, in this order: attach must never drop them (one function per scenario).
        ...["multi", "listed", "one0", "one1", "one2", "one3"].map((name) => ({
          provider: profile.provider,
          name,
          namespace,
          layers: OTHER.map((o) => ({ name: o, version: 1 })),
        })),
      ],
    },
    (started) => {
      emu = started;
    },
  );
  beforeAll(async () => {
    archive = await makeArchive();
    dir = await tempDir();
    await writeFile(path.join(dir, "mod.py"), "x = 1\n");
    const c = await client();
    for (let i = 0; i < 5; i++) await publishRaw(c, LAYER);
    for (const o of OTHER) await publishRaw(c, o);
  });
  beforeEach(() => emu.faults.clear());

  const { client, publishRaw, ctx, target, fault } = onEmulator(
    profile,
    () => emu,
    () => archive,
  );
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
    // An emulator of its own: each scenario publishes a layer of its own, and Tencent keeps at most 20 per region.
    let pub: RunningEmulator;
    useEmulator({}, (started) => {
      pub = started;
    });
    beforeEach(() => pub.faults.clear());
    const versionsOnPub = async (name: string) => (await (await client(pub)).listLayerVersions(name)).map((v) => v.version!).sort((a, b) => a - b);

    it.each(INCOMPLETE)("never reports an older version when the list before publishing is answered %s and the publish answer is lost", async (kind) => {
      const name = fresh("base");
      const first = await publishCommand({ source: dir, name, runtime: profile.runtimes.canonical, ...target(pub) }, ctx(pub));
      expect(first.results[0]).toMatchObject({ status: "published", version: 1 });
      fault("ListLayerVersions", kind, {}, pub);
      fault(profile.publishLayerAction, "lost-response", { times: 1 }, pub);
      const doc = await publishCommand({ source: dir, name, runtime: profile.runtimes.canonical, ...target(pub) }, ctx(pub));
      expect(doc.results[0]).toMatchObject({ status: "failed", version: null });
      expect(doc.results[0]!.error!.hint).toContain("a version may exist");
      expect(doc.results[0]!.error!.hint).toContain(`layerctl versions ${name} -p ${profile.provider}`);
      pub.faults.clear();
      // The version the lost answer made exists; it was reported as possible, not as published.
      expect(await versionsOnPub(name)).toEqual([1, 2]);
    });

    it.each(LOST)("reports the version a publish made once when its answer is lost (%s), without downloading any zip", async (kind) => {
      const name = fresh("lost");
      await publishCommand({ source: dir, name, runtime: profile.runtimes.canonical, ...target(pub) }, ctx(pub));
      const downloads = pub.faults.counts()["blob:GET"] ?? 0;
      fault(profile.publishLayerAction, kind, { times: 1 }, pub);
      const doc = await publishCommand({ source: dir, name, runtime: profile.runtimes.canonical, ...target(pub), timeout: "3" }, ctx(pub));
      expect(doc.results[0]).toMatchObject({ status: "published", version: 2 });
      expect((pub.faults.counts()["blob:GET"] ?? 0) - downloads).toBe(0);
      pub.faults.clear();
      expect(await versionsOnPub(name)).toEqual([1, 2]);
    });
    it.each(INCOMPLETE)("status and --align-version never take a list answered %s for a missing layer", async (kind) => {
      const name = fresh("fleet");
      await publishCommand({ source: dir, name, runtime: profile.runtimes.canonical, ...target(pub) }, ctx(pub));
      fault("ListLayerVersions", kind, {}, pub);
      const status = await statusCommand({ source: dir, name, ...target(pub), timeout: "3" }, ctx(pub));
      expect(status.layers[0]!.targets.map((t) => t.state)).toEqual(["error"]);
      const aligned = await publishCommand({ source: dir, name, runtime: profile.runtimes.canonical, ...target(pub), alignVersion: true, timeout: "3" }, ctx(pub));
      expect(aligned.results[0]).toMatchObject({ status: "failed", version: null });
      expect(aligned.results[0]!.error!.code).toBe("InvalidResponse");
      pub.faults.clear();
      expect(await versionsOnPub(name)).toEqual([1]);
    });

    // (no-list: GetLayerVersion answers no list whose absence would matter; hollow leaves its fields out.)
    it.each(INCOMPLETE.filter((k) => k !== "no-list"))("download writes nothing when the version's read is answered %s", async (kind) => {
      const name = fresh("dl");
      await publishCommand({ source: dir, name, runtime: profile.runtimes.canonical, ...target(pub) }, ctx(pub));
      fault("GetLayerVersion", kind, {}, pub);
      const out = path.join(dir, `${name}.zip`);
      await expect(downloadCommand({ layerVersion: `${name}:1`, ...target(pub), out, timeout: "3" }, ctx(pub))).rejects.toMatchObject({ code: "InvalidResponse" });
      await expect(stat(out)).rejects.toMatchObject({ code: "ENOENT" });
    });
  });

  describe("attach writes a layer list only from a well-formed read", () => {
    it.each(INCOMPLETE)("fails a function whose read is answered %s on every attempt, and writes nothing", async (kind) => {
      const c = await client();
      const layer = await publishRaw(c, fresh("att"));
      if (!caughtWhenPermanent(kind, "GetFunction")) {
        // See the profile: a list lost from every GetFunction answer is taken from the function's
        // entry in ListFunctions, so nothing is dropped.
        fault("GetFunction", kind);
        const { results } = await attachCommand({ ...target(), layer: `${layer.layerName}:${layer.version}`, function: ["listed"], namespace }, ctx());
        expect(results[0]).toMatchObject({ status: "attached", layers: [...OTHER.map((o) => `${o}:1`), `${layer.layerName}:${layer.version}`] });
        emu.faults.clear();
        expect((await c.functions.getLayers(fn("listed"), wait)).layers.map((l) => l.layerName)).toEqual([...OTHER, layer.layerName]);
        return;
      }
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
});
