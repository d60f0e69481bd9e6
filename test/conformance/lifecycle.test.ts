// The layer lifecycle (layers, delete, prune, share, publish --public) against every provider,
// through the command functions, the real SDKs and the emulator. Scenarios a provider cannot run
// skip by capability (features, limits), each with its reason; never by provider name.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { emulatorEnv, start, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";
import { providers } from "../../src/providers/index.js";
import type { LayerArchive, Provider, ProviderClient } from "../../src/providers/types.js";
import { silentLogger, type Logger } from "../../src/output/log.js";
import { deleteCommand } from "../../src/commands/delete.js";
import { layersCommand } from "../../src/commands/layers.js";
import { pruneCommand } from "../../src/commands/prune.js";
import { shareCommand } from "../../src/commands/share.js";
import { publishCommand } from "../../src/release/publish.js";
import type { ConsentContext } from "../../src/commands/shared/consent.js";
import type { VersionActionRecord } from "../../src/release/lifecycle-records.js";
import { makeArchive, tempDir } from "../helpers/archive.js";
import { capture, when } from "./capability.js";
import { profiles } from "./profiles.js";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { useEmulator } from "../helpers/emulator.js";

const fastRetry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

/** Versions in a record list, by status. */
function byStatus(results: VersionActionRecord[], status: VersionActionRecord["status"]): number[] {
  return results
    .filter((r) => r.status === status)
    .map((r) => r.version!)
    .sort((a, b) => a - b);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe.each(profiles)("lifecycle conformance: $provider", (profile) => {
  const provider: Provider = providers[profile.provider];
  let emu: RunningEmulator;
  let archive: LayerArchive;
  let seq = 0;
  const layerName = () => `life${profile.provider}${++seq}`;
  const sharing = provider.features.sharing;

  async function startEmulator(extra: EmulatorOptions = {}): Promise<RunningEmulator> {
    return start({ port: 0, tencentPublishDelayMs: 0, ...extra });
  }

  async function client(on = emu): Promise<ProviderClient> {
    const credentials = await provider.resolveCredentials(emulatorEnv(on.credentials, on.url), {});
    return provider.connect({ region: profile.region, endpoint: on.url, credentials, requestTimeoutMs: 10_000, retry: fastRetry, log: silentLogger });
  }

  /** Publishes `count` versions of `name` (not waiting: the emulator makes them Active at once). */
  async function publishVersions(name: string, count: number, on = emu): Promise<void> {
    const c = await client(on);
    for (let i = 0; i < count; i++) {
      await c.publishLayer({ layerName: name, archive, runtimes: profile.runtimes.native, architectures: [] }, { wait: false, waitTimeoutMs: 10_000, pollIntervalMs: 5 });
    }
  }

  function ctx(on = emu, log: Logger = silentLogger, answer?: boolean): ConsentContext & { asked: string[] } {
    const asked: string[] = [];
    return {
      env: emulatorEnv(on.credentials, on.url),
      log,
      asked,
      ...(answer === undefined
        ? {}
        : {
            confirm: async (q: string) => {
              asked.push(q);
              return answer;
            },
          }),
    };
  }

  const target = (on = emu) => ({ provider: [profile.provider], region: [profile.region], endpoint: on.url });

  function calls(action: string, on = emu): number {
    return on.faults.counts()[`${profile.provider}:${action}`] ?? 0;
  }

  useEmulator({}, (started) => {
    emu = started;
  });
  beforeAll(async () => {
    archive = await makeArchive();
  });
  beforeEach(() => emu.faults.clear());

  describe("layers", () => {
    it("lists every layer across pages, each with its newest version", async () => {
      // More layers than a page: past SCF's default quota of 20 layers per region, as a raised quota allows.
      const own = await startEmulator({ tuning: { tencent: { layersPerRegion: 100 } } });
      try {
        const names = range(1, profile.pages.layers + 1).map((i) => `many${String(i).padStart(3, "0")}`);
        for (const n of names) await publishVersions(n, 1, own);
        await publishVersions(names[0]!, 2, own);
        const { results } = await layersCommand(target(own), ctx(own));
        expect(results.map((r) => r.layerName)).toEqual(names);
        expect(results[0]).toMatchObject({ provider: profile.provider, region: profile.region, version: 3 });
        expect(results.every((r) => !r.error && r.warning === null)).toBe(true);
        // More than one page was read.
        expect(calls("ListLayers", own)).toBeGreaterThanOrEqual(2);
      } finally {
        await own.close();
      }
    });

    when(provider.limits.maxVersionsPerLayer !== null, "the provider does not cap versions per layer")(
      "warns when a layer passes 90% of the provider's version cap, in the record and on stderr",
      async () => {
        const max = provider.limits.maxVersionsPerLayer!;
        const own = await startEmulator();
        try {
          const name = layerName();
          await publishVersions(name, Math.floor(max * 0.9), own);
          const quiet = await layersCommand(target(own), ctx(own));
          expect(quiet.results[0]).toMatchObject({ versionCount: Math.floor(max * 0.9), versionLimit: max, warning: null });
          await publishVersions(name, 1, own);
          const log = capture();
          const loud = await layersCommand(target(own), ctx(own, log));
          expect(loud.results[0]!.versionCount).toBe(Math.floor(max * 0.9) + 1);
          expect(loud.results[0]!.warning).toContain(`of at most ${max} versions`);
          expect(log.lines).toEqual([`warning: ${loud.results[0]!.warning}`]);
        } finally {
          await own.close();
        }
      },
    );
  });

  describe("layers per region", () => {
    when(provider.limits.maxLayersPerRegion !== null, "the provider does not cap layers per region")(
      "warns near the cap of layers per region, and a new layer past it fails with the cloud's code and a hint",
      async () => {
        const max = provider.limits.maxLayersPerRegion!;
        const own = await startEmulator();
        try {
          const names = range(1, max).map((i) => `cap${String(i).padStart(3, "0")}`);
          for (const n of names.slice(0, Math.floor(max * 0.9))) await publishVersions(n, 1, own);
          const quiet = capture();
          await layersCommand(target(own), ctx(own, quiet));
          expect(quiet.lines).toEqual([]);
          for (const n of names.slice(Math.floor(max * 0.9))) await publishVersions(n, 1, own);
          const loud = capture();
          await layersCommand(target(own), ctx(own, loud));
          expect(loud.lines).toEqual([expect.stringContaining(`${max} layers of at most ${max} per region`)]);
          // A new version of a layer that exists is no new layer; a new name past the cap is refused.
          await publishVersions(names[0]!, 1, own);
          const dir = await tempDir();
          await writeFile(path.join(dir, "mod.py"), "x = 1\n");
          const doc = await publishCommand({ source: dir, name: "onetoomany", runtime: [profile.runtimes.canonical[0]!], ...target(own) }, ctx(own));
          expect(doc.results[0]).toMatchObject({ status: "failed", error: { code: "LimitExceeded.Layer", hint: expect.stringContaining(`at most ${max} layers per region`) } });
        } finally {
          await own.close();
        }
      },
    );
  });

  describe("delete", () => {
    it("deletes versions, reports a missing one per version, and never reuses a number", async () => {
      const name = layerName();
      await publishVersions(name, 3);
      const { results } = await deleteCommand({ ...target(), name, versions: ["2", "7"], yes: true }, ctx());
      expect(results.map((r) => [r.version, r.status])).toEqual([
        [2, "deleted"],
        [7, "not-found"],
      ]);
      expect(results.every((r) => r.error === undefined)).toBe(true);
      const c = await client();
      expect((await c.listLayerVersions(name)).map((v) => v.version)).toEqual([3, 1]);
      await publishVersions(name, 1);
      expect((await c.listLayerVersions(name)).map((v) => v.version)).toEqual([4, 3, 1]);
    });

    when(provider.limits.requestRate !== null, "the provider documents no request rate")(
      "paces many deletes in one region below the documented rate: no call is turned away",
      async () => {
        const rate = provider.limits.requestRate!;
        const name = layerName();
        const count = rate.perSecond + 5;
        await publishVersions(name, count);
        emu.faults.setRateLimit(rate.perSecond);
        try {
          const before = calls("DeleteLayerVersion");
          const { results } = await deleteCommand({ ...target(), name, versions: range(1, count).map(String), yes: true }, ctx());
          expect(byStatus(results, "deleted")).toEqual(range(1, count));
          // Unpaced, these deletes follow each other as fast as the emulator answers; where that
          // is faster than the limit (Tencent here: this failed before deletes were paced), the
          // ones over it are throttled: a version left undeleted, or more calls than versions.
          expect(calls("DeleteLayerVersion") - before).toBe(count);
        } finally {
          emu.faults.setRateLimit(null);
        }
      },
    );

    it("reports a cloud error on a version as a failed record, keeping the provider's code", async () => {
      const name = layerName();
      await publishVersions(name, 1);
      emu.faults.add({ provider: profile.provider, action: "DeleteLayerVersion", kind: "server-error" });
      const { results } = await deleteCommand({ ...target(), name, versions: ["1"], yes: true }, ctx());
      expect(results[0]).toMatchObject({ version: 1, status: "failed", error: { code: profile.codes.serverError } });
    });

    when(provider.features.asyncDelete, "deletes are synchronous")("waits while the version is Deleting, until it is gone", async () => {
      const slow = await startEmulator({ tencentPublishDelayMs: 300 });
      try {
        const name = layerName();
        const c = await client(slow);
        await c.publishLayer({ layerName: name, archive, runtimes: profile.runtimes.native, architectures: [] }, { wait: true, waitTimeoutMs: 10_000, pollIntervalMs: 20 });
        const polls = calls("GetLayerVersion", slow);
        const out = await c.deleteLayerVersion(name, 1, { wait: true, waitTimeoutMs: 10_000, pollIntervalMs: 50 });
        expect(out).toMatchObject({ outcome: "deleted", state: "Deleted" });
        // It was seen Deleting at least once before it was gone.
        expect(calls("GetLayerVersion", slow) - polls).toBeGreaterThanOrEqual(2);
        expect(await c.listLayerVersions(name)).toEqual([]);
      } finally {
        await slow.close();
      }
    });

    when(provider.features.asyncDelete, "deletes are synchronous: there is no failed end state")(
      "fails a delete that ends DeleteFailed, naming the version that still exists",
      async () => {
        const name = layerName();
        await publishVersions(name, 1);
        emu.faults.add({ provider: profile.provider, action: "DeleteLayerVersion", kind: "publish-failed" });
        const { results } = await deleteCommand({ ...target(), name, versions: ["1"], yes: true }, ctx());
        expect(results[0]).toMatchObject({ version: 1, status: "failed", error: { code: "DeleteFailed" } });
        expect(results[0]!.error!.hint).toContain(`layerctl delete ${name} 1`);
      },
    );
  });

  describe("prune", () => {
    it("reads every page of versions and keeps the newest N", async () => {
      const name = layerName();
      const count = (profile.pages.versions ?? 20) + 3;
      await publishVersions(name, count);
      const { results } = await pruneCommand({ ...target(), name, keep: "2", yes: true }, ctx());
      expect(byStatus(results, "kept")).toEqual([count - 1, count]);
      expect(byStatus(results, "deleted")).toEqual(range(1, count - 2));
      expect(results.filter((r) => r.error)).toEqual([]);
      expect((await (await client()).listLayerVersions(name)).map((v) => v.version)).toEqual([count, count - 1]);
    });

    it("--dry-run plans the same deletes and makes no delete call", async () => {
      const name = layerName();
      await publishVersions(name, 4);
      const before = calls("DeleteLayerVersion");
      const { results } = await pruneCommand({ ...target(), name, keep: "1", dryRun: true }, ctx());
      expect(byStatus(results, "planned")).toEqual([1, 2, 3]);
      expect(byStatus(results, "kept")).toEqual([4]);
      expect(calls("DeleteLayerVersion") - before).toBe(0);
      expect(await (await client()).listLayerVersions(name)).toHaveLength(4);
    });

    it("keeps versions younger than --older-than", async () => {
      const name = layerName();
      await publishVersions(name, 3);
      const { results } = await pruneCommand({ ...target(), name, keep: "1", olderThan: "30d", dryRun: true }, ctx());
      expect(byStatus(results, "kept")).toEqual([1, 2, 3]);
      expect(results.find((r) => r.version === 1)!.reason).toBe("younger than 30d");
    });

    describe("never deletes a version a function references", () => {
      let used: RunningEmulator;
      const LAYER = "usedlayer";
      // A function whose published version 1 uses v1, version 2 uses v2, $LATEST uses v4; an alias
      // (where the cloud has them in the scan) points at version 1. In a namespace of its own
      // where the cloud has namespaces: the scan must read every namespace.
      const namespace = provider.features.functionNamespaces ? "prod" : undefined;
      useEmulator(
        {
          functions: [
            {
              provider: profile.provider,
              name: "users",
              namespace,
              versions: [{ layers: [{ name: LAYER, version: 1 }] }, { layers: [{ name: LAYER, version: 2 }] }],
              layers: [{ name: LAYER, version: 4 }],
              aliases: [{ name: "live", version: "1" }],
            },
            { provider: profile.provider, name: "bystander", layers: [{ name: "otherlayer", version: 3 }] },
          ],
        },
        (started) => {
          used = started;
        },
      );
      beforeAll(async () => {
        await publishVersions(LAYER, 6, used);
      });

      it("reports versions used by $LATEST and by published versions as in-use, naming the functions", async () => {
        const { results } = await pruneCommand({ ...target(used), name: LAYER, keep: "1", dryRun: true }, ctx(used));
        expect(byStatus(results, "kept")).toEqual([6]);
        expect(byStatus(results, "in-use")).toEqual([1, 2, 4]);
        expect(byStatus(results, "planned")).toEqual([3, 5]);
        const fn = `${namespace ? `${namespace}/` : ""}users`;
        const usedBy = (v: number) => results.find((r) => r.version === v)!.usedBy;
        expect(usedBy(2)).toEqual([`${fn}:2`]);
        expect(usedBy(4).length).toBe(1);
        expect(usedBy(4)[0]).toMatch(new RegExp(`^${fn}:`));
        expect(usedBy(1)).toContain(`${fn}:1`);
      });

      when(provider.features.functionAliases, "the scan reads the published versions aliases point at, without naming aliases")(
        "names an alias among the users of the version it points at",
        async () => {
          const { results } = await pruneCommand({ ...target(used), name: LAYER, keep: "1", dryRun: true }, ctx(used));
          expect(results.find((r) => r.version === 1)!.usedBy).toContain("users:alias live");
        },
      );

      it("--include-in-use deletes them too, after one question", async () => {
        const name = LAYER;
        const guarded = await pruneCommand({ ...target(used), name, keep: "5", yes: true }, ctx(used));
        expect(byStatus(guarded.results, "in-use")).toEqual([1]);
        expect(byStatus(guarded.results, "deleted")).toEqual([]);
        const asked = ctx(used, silentLogger, true);
        const { results } = await pruneCommand({ ...target(used), name, keep: "5", includeInUse: true }, asked);
        expect(asked.asked).toHaveLength(1);
        expect(asked.asked[0]).toContain(`layer ${name}`);
        expect(byStatus(results, "deleted")).toEqual([1]);
      });
    });

    it("asks once for every target, and a no deletes nothing", async () => {
      const name = layerName();
      await publishVersions(name, 3);
      const no = ctx(emu, silentLogger, false);
      const before = calls("DeleteLayerVersion");
      const err = await pruneCommand({ ...target(), name, keep: "1" }, no).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).code).toBe("NotConfirmed");
      expect(no.asked).toEqual([expect.stringContaining("delete 2 versions")]);
      expect(calls("DeleteLayerVersion") - before).toBe(0);
    });

    it("refuses to delete without --yes when there is no terminal to ask on, before any call", async () => {
      const before = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
      const err = await pruneCommand({ ...target(), name: "whatever", keep: "1" }, ctx()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).code).toBe("ConfirmationRequired");
      expect(Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0)).toBe(before);
    });

    it("deletes nothing on a target whose in-use scan fails", async () => {
      const name = layerName();
      await publishVersions(name, 3);
      emu.faults.add({ provider: profile.provider, action: "ListFunctions", kind: "server-error" });
      const { results } = await pruneCommand({ ...target(), name, keep: "1", yes: true }, ctx());
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ status: "failed", version: null, error: { code: profile.codes.serverError } });
      expect(await (await client()).listLayerVersions(name)).toHaveLength(3);
    });
  });

  describe("share", () => {
    when(sharing.scope !== "none", "the provider has no sharing API")("shares a version publicly, idempotently on a re-run, and revokes it", async () => {
      const name = layerName();
      await publishVersions(name, 2);
      const share = () => shareCommand({ ...target(), name, version: "2", public: true }, ctx());
      const first = await share();
      expect(first.results).toEqual([expect.objectContaining({ status: "shared", grantee: "public", version: 2 })]);
      expect(first.results[0]!.changed).not.toBe(false);
      expect(await profile.grants!(emu, profile.region, name, 2)).toEqual(["public"]);

      const again = await share();
      expect(again.results[0]).toMatchObject({ status: "shared" });
      expect(again.results[0]!.error).toBeUndefined();
      expect(again.results[0]!.changed).not.toBe(true);
      expect(again.results[0]!.statementId).toBe(first.results[0]!.statementId);
      expect(await profile.grants!(emu, profile.region, name, 2)).toEqual(["public"]);

      for (let i = 0; i < 2; i++) {
        const revoked = await shareCommand({ ...target(), name, version: "2", public: true, revoke: true }, ctx());
        expect(revoked.results[0]).toMatchObject({ status: "revoked" });
        expect(revoked.results[0]!.error).toBeUndefined();
      }
      expect(await profile.grants!(emu, profile.region, name, 2)).toEqual([]);
    });

    when(sharing.scope === "layer", "grants cover one version, not the whole layer")("says a grant covers the whole layer", async () => {
      const name = layerName();
      await publishVersions(name, 2);
      const log = capture();
      const { results } = await shareCommand({ ...target(), name, version: "2", public: true }, ctx(emu, log));
      expect(results[0]!.scope).toBe("layer");
      expect(log.lines.join("\n")).toContain("whole layer");
      expect(await profile.grants!(emu, profile.region, name, 1)).toEqual(["public"]);
    });

    when(sharing.scope !== "none" && sharing.account !== null, "the provider cannot share with one account")(
      "shares with one account and one organization, by statement",
      async () => {
        const name = layerName();
        await publishVersions(name, 1);
        const { results } = await shareCommand({ ...target(), name, version: "1", account: ["123456789012"], organization: ["o-abcdefghij"] }, ctx());
        expect(results.map((r) => r.status)).toEqual(["shared", "shared"]);
        expect((await profile.grants!(emu, profile.region, name, 1)).sort()).toEqual(["account 123456789012", "organization o-abcdefghij"]);
      },
    );

    when(sharing.scope !== "none" && sharing.account === null, "the provider can share with one account, or not at all")(
      "refuses an account grant the provider cannot make, before any call",
      async () => {
        const err = await shareCommand({ ...target(), name: "x", version: "1", account: ["123456789012"] }, ctx()).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(UsageError);
        expect((err as UsageError).exitCode).toBe(2);
      },
    );

    when(sharing.scope === "none", "the provider can share")("refuses to share with a usage error saying why, before any call", async () => {
      const before = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
      const err = await shareCommand({ ...target(), name: "x", version: "1", public: true }, ctx()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode).toBe(2);
      expect((err as UsageError).message).toContain(sharing.scope === "none" ? sharing.unsupported : "");
      expect(Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0)).toBe(before);
    });
  });

  describe("publish --public", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await tempDir();
      await writeFile(path.join(dir, "mod.py"), "x = 1\n");
    });
    const publish = (name: string, extra: object = {}) => publishCommand({ source: dir, name, runtime: profile.runtimes.canonical, ...target(), public: true, ...extra }, ctx());

    when(sharing.scope !== "none", "the provider has no sharing API")("shares each version it publishes", async () => {
      const name = layerName();
      const doc = await publish(name);
      expect(doc.results[0]).toMatchObject({ status: "published", version: 1 });
      expect(await profile.grants!(emu, profile.region, name, 1)).toEqual(["public"]);
    });

    when(sharing.scope !== "none", "the provider has no sharing API")("fails the target when sharing fails, naming the version that was published", async () => {
      const name = layerName();
      emu.faults.add({ provider: profile.provider, action: profile.shareAction!, kind: "server-error" });
      const doc = await publish(name);
      expect(doc.results[0]).toMatchObject({ status: "failed", version: 1, error: { code: profile.codes.serverError } });
      expect(doc.results[0]!.error!.message).toContain("version 1 was published");
      expect(doc.results[0]!.error!.hint).toContain(`layerctl share ${name} 1`);
    });

    when(sharing.scope === "none", "the provider can share")("refuses --public before packing or any call", async () => {
      const err = await publish(layerName()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).code).toBe("SharingUnsupported");
    });
  });
});
