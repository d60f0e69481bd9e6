// Every creating call whose outcome is unknown is looked into (issue 16), for every provider:
// function versions, layer-list updates, aliases and deletes whose answers are lost (cut, or
// "2xx but incomplete") are reported as what happened, once, never repeated blindly; and two
// attaches racing on one function never both report attached while one layer is lost.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { attachCommand } from "../../src/commands/attach.js";
import { deleteCommand } from "../../src/commands/delete.js";
import { pruneCommand } from "../../src/commands/prune.js";
import { emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { silentLogger } from "../../src/output/log.js";
import { providers } from "../../src/providers/index.js";
import type { AttachedLayer, FunctionRef, LayerArchive } from "../../src/providers/types.js";
import { makeArchive } from "../helpers/archive.js";
import { profiles } from "./profiles.js";
import { CUT, fastRetry, onEmulator, wait } from "./untrusted-helpers.js";
import { startEmulator, useEmulator } from "../helpers/emulator.js";

describe.each(profiles)("lookups after unknown outcomes: $provider", (profile) => {
  const provider = providers[profile.provider];
  const namespace = provider.features.functionNamespaces ? "prod" : undefined;
  let made: RunningEmulator;
  let archive: LayerArchive;
  let seq = 0;
  // One layer per kind of scenario, each scenario a new version of it: Tencent keeps at most 20
  // layers per region (deletes, whose versions are counted, get a layer each).
  const fresh = (prefix: string) => (prefix === "del" ? `${prefix}${profile.provider}${++seq}` : `${prefix}${profile.provider}`);

  // Functions of their own per scenario (prune's scan reads every function, paced: few of them).
  useEmulator(
    {
      functionUpdateDelayMs: 0,
      functions: ["fv", "upd", "alias"].flatMap((p) => Array.from({ length: CUT.length + 1 }, (_, i) => ({ provider: profile.provider, name: `${p}${i}`, namespace }))),
    },
    (started) => {
      made = started;
    },
  );
  beforeAll(async () => {
    archive = await makeArchive();
  });
  beforeEach(() => made.faults.clear());

  const { client, publishRaw, ctx, target, fault } = onEmulator(
    profile,
    () => made,
    () => archive,
  );
  const fn = (functionName: string): FunctionRef => ({ functionName, namespace });

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
      const slow = await startEmulator({
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
