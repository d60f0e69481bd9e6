// What `publish` reports under faults and load is what happened: --timeout bounds a target's wall
// time, and every reported version exists while every created version is reported. In-process
// through publishCommand, the real SDKs and the emulator on loopback.
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { publishCommand } from "../../src/release/publish.js";
import { LOOKUP_GRACE_MS } from "../../src/release/publish-once.js";
import { emulatorEnv, start, type RunningEmulator } from "../../src/emulator/index.js";
import { silentLogger } from "../../src/output/log.js";
import { providers } from "../../src/providers/index.js";
import type { FaultKind } from "../../src/emulator/types.js";
import type { LayerVersionRecord } from "../../src/providers/types.js";
import { attemptTimeoutMs, ATTEMPT_FLOOR_MS, UPLOAD_BYTES_PER_S } from "../../src/providers/retry.js";
import { profiles } from "../conformance/profiles.js";
import { REPO } from "../helpers/cli.js";
import { connectTo } from "../helpers/connect.js";

const LAYER = path.join(REPO, "examples/layers/python-deps");
const ALL = profiles.map((p) => p.provider);

let emu: RunningEmulator;
let env: Record<string, string>;
let seq = 0;
const layerName = () => `truth${++seq}`;

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 50 });
  env = emulatorEnv(emu.credentials, emu.url);
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => {
  emu.faults.clear();
  emu.faults.setRateLimit(null);
});

/** What the emulator holds, read through the adapters with no faults in the way. */
async function created(name: string, targets: Array<{ provider: string; region: string }>): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const t of targets) {
    const provider = providers[t.provider as keyof typeof providers];
    const client = await connectTo(provider, emu, t.region, {}, env);
    out.set(
      `${t.provider} ${t.region}`,
      (await client.listLayerVersions(name)).map((v) => v.version!).sort((a, b) => a - b),
    );
  }
  return out;
}

describe("per-attempt timeouts", () => {
  it("scale with the upload, stay under the cap, and never reach past the deadline", () => {
    const now = 1_000_000;
    expect(attemptTimeoutMs(600_000, 0, undefined, now)).toBe(ATTEMPT_FLOOR_MS);
    expect(attemptTimeoutMs(600_000, 10 * UPLOAD_BYTES_PER_S, undefined, now)).toBe(ATTEMPT_FLOOR_MS + 10_000);
    expect(attemptTimeoutMs(5_000, 10 * UPLOAD_BYTES_PER_S, undefined, now)).toBe(5_000);
    expect(attemptTimeoutMs(600_000, 0, now + 2_000, now)).toBe(2_000);
    expect(attemptTimeoutMs(600_000, 0, now - 5, now)).toBe(1);
  });
});

describe("--timeout bounds a target's wall time", () => {
  it("under answers that stall after their headers, for every provider at once", { timeout: 30_000 }, async () => {
    emu.faults.add({ provider: "*", action: "*", kind: "stall" });
    const name = layerName();
    const t0 = Date.now();
    const doc = await publishCommand({ source: LAYER, name, provider: ALL, runtime: ["python3.9"], timeout: "3" }, { env, log: silentLogger });
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeLessThan(3_000 + LOOKUP_GRACE_MS + 1_500);
    for (const r of doc.results) {
      expect(r.status).toBe("failed");
      // Nothing could be read: the user gets a command to check, pasteable as is.
      expect(r.error?.hint).toContain(`layerctl versions ${name} -p ${r.provider} -r ${r.region} --endpoint ${emu.url}`);
    }
  });
});

describe("load: 3 providers x 10 regions under rate limiting and faults", () => {
  it("reports every version it created, and only those", { timeout: 120_000 }, async () => {
    const name = layerName();
    // Versions that exist before the run hold the same zip: none of them may be reported.
    const regions = profiles.flatMap((p) => providers[p.provider].regions.slice(0, 10).map((region) => ({ provider: p.provider, region })));
    expect(regions).toHaveLength(30);
    const first = await publishCommand(
      { source: LAYER, name, provider: ALL, region: regions.slice(0, 15).map((t) => `${t.provider}:${t.region}`), runtime: ["python3.9"] },
      { env, log: silentLogger },
    );
    expect(first.results.every((r) => r.status === "published")).toBe(true);

    emu.faults.setRateLimit(5);
    const kinds: Array<[FaultKind, number]> = [
      ["throttle", 6],
      ["server-error", 3],
      ["lost-response", 3],
      ["truncate", 3],
      ["html-error", 3],
      ["reset", 2],
    ];
    for (const p of profiles) for (const [kind, times] of kinds) emu.faults.add({ provider: p.provider, action: p.publishLayerAction, kind, times });
    const doc = await publishCommand(
      { source: LAYER, name, provider: ALL, region: regions.map((t) => `${t.provider}:${t.region}`), runtime: ["python3.9"], timeout: "60" },
      { env, log: silentLogger },
    );
    emu.faults.clear();
    emu.faults.setRateLimit(null);

    const before = new Map(first.results.map((r) => [`${r.provider} ${r.region}`, r.version!]));
    const exist = await created(name, regions);
    const reported = new Map<string, LayerVersionRecord>(doc.results.map((r) => [`${r.provider} ${r.region}`, r]));
    expect(reported.size).toBe(30);
    let published = 0;
    for (const [key, versions] of exist) {
      const r = reported.get(key)!;
      const older = before.has(key) ? [before.get(key)!] : [];
      const made = versions.filter((v) => !older.includes(v));
      // Every version created by this run is the one reported for its target; none is missing.
      expect({ key, made }).toEqual({ key, made: r.version !== null && !older.includes(r.version) ? [r.version] : [] });
      if (r.status === "published") {
        published++;
        expect(versions).toContain(r.version);
        expect(older).not.toContain(r.version);
      }
    }
    // The faults are bounded and retried: most targets publish.
    expect(published).toBeGreaterThanOrEqual(20);
  });
});
