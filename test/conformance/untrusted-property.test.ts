// Property-style: prune and attach against one random malformed answer at a time (a random kind
// of "2xx but incomplete", on a random operation the command uses, at a random call of it), for
// every provider. Whatever the answer: no version a function uses is ever deleted, no layer is
// ever dropped from a function, and what is reported is what happened. The seed is fixed (the
// runs are the same every time); a failure names the trial's fault.
import { describe, expect, it } from "vitest";
import { attachCommand } from "../../src/commands/attach.js";
import { pruneCommand } from "../../src/commands/prune.js";
import { emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import type { FaultKind, FaultRule } from "../../src/emulator/types.js";
import { silentLogger } from "../../src/output/log.js";
import { providers } from "../../src/providers/index.js";
import type { ProviderClient } from "../../src/providers/types.js";
import { makeArchive } from "../helpers/archive.js";
import { profiles } from "./profiles.js";
import { startEmulator } from "../helpers/emulator.js";
import { connectTo } from "../helpers/connect.js";

const KINDS: FaultKind[] = ["empty-body", "hollow", "no-list", "truncate-chunked"];
const TRIALS = 8;

/** mulberry32: a small seeded generator, so every run draws the same trials. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(profiles)("one malformed answer at a time: $provider", (profile) => {
  const provider = providers[profile.provider];
  const namespace = provider.features.functionNamespaces ? "prod" : undefined;
  const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

  async function connect(emu: RunningEmulator): Promise<ProviderClient> {
    return connectTo(provider, emu, profile.region, { requestTimeoutMs: 5_000, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
  }

  const run = { provider: [profile.provider], region: [profile.region] };

  it(`prune never deletes a version in use (${TRIALS} trials)`, { timeout: 120_000 }, async () => {
    const r = random(0x16 + profile.provider.length);
    const archive = await makeArchive();
    for (let trial = 0; trial < TRIALS; trial++) {
      const emu = await startEmulator({
        functions: [
          // Published version 1 uses v2, version 2 uses v3 (an alias points at it where the cloud has them), $LATEST uses v5.
          {
            provider: profile.provider,
            name: "user",
            namespace,
            versions: [{ layers: [{ name: "deps", version: 2 }] }, { layers: [{ name: "deps", version: 3 }] }],
            layers: [{ name: "deps", version: 5 }],
            aliases: [{ name: "live", version: "2" }],
          },
          { provider: profile.provider, name: "bystander", namespace },
        ],
      });
      try {
        const c = await connect(emu);
        for (let i = 0; i < 7; i++) {
          await c.publishLayer({ layerName: "deps", archive, runtimes: profile.runtimes.native, architectures: [] }, { wait: true, waitTimeoutMs: 10_000, pollIntervalMs: 5 });
        }
        const rule: FaultRule = {
          provider: profile.provider,
          action: pick(r, ["ListLayerVersions", ...profile.actions.scan]),
          kind: pick(r, KINDS),
          after: Math.floor(r() * 3),
          times: 1,
        };
        emu.faults.add(rule);
        const { results } = await pruneCommand(
          { ...run, endpoint: emu.url, name: "deps", keep: "1", yes: true },
          { env: emulatorEnv(emu.credentials, emu.url), log: silentLogger },
        );
        emu.faults.clear();
        const left = (await c.listLayerVersions("deps")).map((v) => v.version!).sort((a, b) => a - b);
        const label = `trial ${trial}: ${rule.kind} on call ${rule.after! + 1} of ${rule.action}`;
        // Versions in use are all still there.
        expect({ label, kept: [2, 3, 5].filter((v) => left.includes(v)) }).toEqual({ label, kept: [2, 3, 5] });
        // What prune says it deleted is gone, and what it did not delete is there.
        const deleted = results.filter((x) => x.status === "deleted").map((x) => x.version!);
        expect({ label, overlap: deleted.filter((v) => left.includes(v)) }).toEqual({ label, overlap: [] });
        expect({ label, all: [...left, ...deleted].sort((a, b) => a - b) }).toEqual({ label, all: [1, 2, 3, 4, 5, 6, 7] });
      } finally {
        await emu.close();
      }
    }
  });

  it(`attach never drops a layer (${TRIALS} trials)`, { timeout: 120_000 }, async () => {
    const r = random(0x61 + profile.provider.length);
    const archive = await makeArchive();
    for (let trial = 0; trial < TRIALS; trial++) {
      const emu = await startEmulator({
        functionUpdateDelayMs: 0,
        functions: [
          {
            provider: profile.provider,
            name: "svc",
            namespace,
            layers: [
              { name: "basea", version: 1 },
              { name: "baseb", version: 1 },
            ],
          },
        ],
      });
      try {
        const c = await connect(emu);
        for (const name of ["basea", "baseb", "added", "added"]) {
          await c.publishLayer({ layerName: name, archive, runtimes: profile.runtimes.native, architectures: [] }, { wait: true, waitTimeoutMs: 10_000, pollIntervalMs: 5 });
        }
        const latest = r() < 0.5;
        const actions = [
          "GetFunction",
          profile.actions.updateLayers,
          latest ? "ListLayerVersions" : "GetLayerVersion",
          profile.actions.publishVersion,
          profile.actions.listFunctionVersions,
        ];
        const rule: FaultRule = { provider: profile.provider, action: pick(r, actions), kind: pick(r, KINDS), after: Math.floor(r() * 3), times: 1 };
        emu.faults.add(rule);
        const { results } = await attachCommand(
          { ...run, endpoint: emu.url, layer: latest ? "added:latest" : "added:2", function: ["svc"], namespace, publishVersion: true },
          { env: emulatorEnv(emu.credentials, emu.url), log: silentLogger },
        );
        emu.faults.clear();
        const now = (await c.functions.getLayers({ functionName: "svc", namespace }, { waitTimeoutMs: 5_000, pollIntervalMs: 5 })).layers.map((l) => `${l.layerName}:${l.version}`);
        const label = `trial ${trial}: ${rule.kind} on call ${rule.after! + 1} of ${rule.action}`;
        // The layers the function had are all there, in their order.
        expect({ label, kept: now.slice(0, 2) }).toEqual({ label, kept: ["basea:1", "baseb:1"] });
        const rec = results[0]!;
        if (rec.status === "attached") {
          expect({ label, now }).toEqual({ label, now: ["basea:1", "baseb:1", "added:2"] });
          // The function version reported exists.
          const versions = (await c.functions.listVersions({ functionName: "svc", namespace })).map((v) => v.version);
          expect({ label, versions }).toEqual({ label, versions: [rec.functionVersion] });
        } else {
          expect({ label, now: now.length <= 3 }).toEqual({ label, now: true });
        }
      } finally {
        await emu.close();
      }
    }
  });
});
