// Fleet scenarios against every provider, in-process through the commands (the exit code the CLI
// would give included), the real SDKs and the emulator: `all` regions, publish --align-version
// (overshoot, a region down and caught up, the padding and cap checks), --resume, copy (within a
// cloud, across clouds, across AWS partitions, a damaged download), download and status's exit
// codes. Scenarios a provider cannot run skip by capability, each with its reason.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { emulatorEnv, start, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";
import { silentLogger } from "../../src/output/log.js";
import { downloadZip } from "../../src/providers/content.js";
import { startBudget } from "../../src/providers/budget.js";
import { providers } from "../../src/providers/index.js";
import type { LayerArchive, LayerVersionRecord, Provider, ProviderClient } from "../../src/providers/types.js";
import { copyDocumentSchema, downloadDocumentSchema, publishDocumentSchema, statusDocumentSchema } from "../../src/record/output-schema.js";
import { resolveTargets } from "../../src/targets/resolve.js";
import { publishWithConfig } from "../../src/release/publish-config.js";
import { preparePublish, type PublishInput } from "../../src/release/publish.js";
import { runCommand } from "../helpers/invoke.js";
import { makeArchive, tempDir } from "../helpers/archive.js";
import { glibcElf } from "../helpers/binaries.js";
import { capture, when } from "./capability.js";
import { profiles } from "./profiles.js";
import { useEmulator } from "../helpers/emulator.js";

const fastRetry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

describe.each(profiles)("fleet conformance: $provider", (profile) => {
  const provider: Provider = providers[profile.provider];
  const [r1, r2, r3] = profile.fleet.regions;
  const other = profiles[(profiles.indexOf(profile) + 1) % profiles.length]!;
  let emu: RunningEmulator;
  let dir: string;
  let seq = 0;
  const layerName = () => `fleet${profile.provider}${++seq}`;

  async function startEmulator(extra: EmulatorOptions = {}): Promise<RunningEmulator> {
    return start({ port: 0, tencentPublishDelayMs: 0, ...extra });
  }

  async function client(region: string, on = emu): Promise<ProviderClient> {
    const credentials = await provider.resolveCredentials(emulatorEnv(on.credentials, on.url), {});
    return provider.connect({ region, endpoint: on.url, credentials, requestTimeoutMs: 10_000, retry: fastRetry, log: silentLogger });
  }

  /** Publishes `count` versions of `zip` straight through the adapter (no command). */
  async function seed(name: string, region: string, zip: LayerArchive, count = 1, on = emu): Promise<LayerVersionRecord[]> {
    const c = await client(region, on);
    const out: LayerVersionRecord[] = [];
    for (let i = 0; i < count; i++) {
      out.push(
        await c.publishLayer(
          { layerName: name, archive: zip, runtimes: provider.resolveRuntimes([profile.fleet.sharedRuntime]), architectures: [] },
          { wait: true, waitTimeoutMs: 10_000, pollIntervalMs: 5 },
        ),
      );
    }
    return out;
  }

  /** A layer directory of its own content (each scenario's "new build"). */
  async function layerDir(content: string): Promise<string> {
    const d = path.join(dir, `src-${++seq}`);
    await mkdir(path.join(d, "lib"), { recursive: true });
    await writeFile(path.join(d, "lib", "m.txt"), content);
    return d;
  }

  const env = (on = emu) => emulatorEnv(on.credentials, on.url);
  const calls = (action: string, on = emu) => on.faults.counts()[`${profile.provider}:${action}`] ?? 0;
  const regionsArg = (...rs: string[]) => rs.map((r) => `${profile.provider}:${r}`);
  const publishInput = (source: string, name: string, regions: string[], extra: Record<string, unknown> = {}) => ({
    source,
    name,
    provider: [profile.provider],
    region: regionsArg(...regions),
    runtime: [profile.fleet.sharedRuntime],
    ...extra,
  });

  useEmulator({}, (started) => {
    emu = started;
  });
  beforeAll(async () => {
    dir = await tempDir("layerctl-fleet-");
  });

  describe("every region (provider:all)", () => {
    it("asks the cloud which regions the account may use, once, and targets exactly those", async () => {
      const own = await startEmulator({ tuning: { [profile.provider]: { regions: [r1, r2, r3] } } });
      try {
        const log = capture();
        const resolved = await resolveTargets({ provider: [profile.provider], region: [`${profile.provider}:all`] }, { env: env(own), log });
        await resolved.close();
        expect(resolved.targets.map((t) => t.region).sort()).toEqual([r1, r2, r3].sort());
        expect(calls(profile.fleet.listRegionsAction, own)).toBe(1);
        expect(log.lines.filter((l) => l.startsWith("warning"))).toEqual([]);
      } finally {
        await own.close();
      }
    });

    it("falls back to layerctl's list, with a warning, when the caller may not list regions", async () => {
      const own = await startEmulator({ tuning: { [profile.provider]: { denyRegionListing: true } } });
      try {
        const log = capture();
        const resolved = await resolveTargets({ provider: [profile.provider], region: ["all"] }, { env: env(own), log });
        await resolved.close();
        const home = provider.defaultRegion;
        const known = provider.regions.filter((r) => provider.credentialScope?.(r) === provider.credentialScope?.(home));
        expect(resolved.targets.map((t) => t.region)).toEqual(known);
        expect(log.lines.join("\n")).toMatch(new RegExp(`warning: ${profile.provider}:all: not permitted to list the account's regions \\(\\S+`));
      } finally {
        await own.close();
      }
    });

    it("a cloud error while listing fails the run (exit 1) rather than guessing", async () => {
      emu.faults.add({ provider: profile.provider, action: profile.fleet.listRegionsAction, kind: "server-error" });
      try {
        const r = await runCommand("status", { name: layerName(), provider: [profile.provider], region: [`${profile.provider}:all`] }, { env: env() });
        expect(r.code).toBe(1);
        expect(r.stdout).toBe("");
      } finally {
        emu.faults.clear();
      }
    });

    it('"regions": ["<provider>:all"] in the config publishes to every enabled region', async () => {
      const own = await startEmulator({ tuning: { [profile.provider]: { regions: [r2, r3] } } });
      try {
        const cfgDir = path.join(dir, `cfg-${++seq}`);
        await mkdir(cfgDir, { recursive: true });
        await writeFile(path.join(cfgDir, "m.txt"), "config layer\n");
        const name = layerName();
        await writeFile(
          path.join(cfgDir, "layerctl.config.json"),
          JSON.stringify({ layers: [{ name, dir: ".", runtimes: [profile.fleet.sharedRuntime], providers: [profile.provider], regions: [`${profile.provider}:all`] }] }),
        );
        const doc = await publishWithConfig({ cwd: cfgDir }, { env: env(own), log: silentLogger }, preparePublish);
        expect(doc.results.map((r) => [r.region, r.status, r.version]).sort()).toEqual(
          [
            [r2, "published", 1],
            [r3, "published", 1],
          ].sort(),
        );
      } finally {
        await own.close();
      }
    });
  });

  describe("<provider>:all beside a config's targets", () => {
    /** A config folder whose one layer declares these regions (`<provider>:all` among them, maybe). */
    async function configFolder(regions: string[]): Promise<{ cwd: string; name: string }> {
      const cwd = path.join(dir, `cfg-${++seq}`);
      await mkdir(cwd, { recursive: true });
      await writeFile(path.join(cwd, "m.txt"), `scoped ${seq}\n`);
      const name = layerName();
      await writeFile(
        path.join(cwd, "layerctl.config.json"),
        JSON.stringify({ layers: [{ name, dir: ".", runtimes: [profile.fleet.sharedRuntime], providers: [profile.provider], regions }] }),
      );
      return { cwd, name };
    }

    it("--region <provider>:all selects every region the file declares, with no listing call", async () => {
      const { cwd } = await configFolder([r1, r2]);
      const listings = calls(profile.fleet.listRegionsAction);
      const doc = await publishWithConfig({ cwd, region: [`${profile.provider}:all`] }, { env: env(), log: silentLogger }, preparePublish);
      expect(doc.results.map((r) => [r.region, r.status])).toEqual([
        [r1, "published"],
        [r2, "published"],
      ]);
      expect(calls(profile.fleet.listRegionsAction)).toBe(listings);
    });

    it("a file declaring <provider>:all: --region narrows to one region; versions and status read every listed region", async () => {
      const own = await startEmulator({ tuning: { [profile.provider]: { regions: [r2, r3] } } });
      try {
        const { cwd, name } = await configFolder([`${profile.provider}:all`]);
        const one = await publishWithConfig({ cwd, region: [`${profile.provider}:${r3}`] }, { env: env(own), log: silentLogger }, preparePublish);
        expect(one.results.map((r) => [r.region, r.status, r.version])).toEqual([[r3, "published", 1]]);
        expect(calls(profile.fleet.listRegionsAction, own)).toBe(0);
        // status and the lifecycle commands take the file's targets: `all` listed, the layer in each region.
        const status = await runCommand("status", { cwd }, { env: env(own) });
        expect(status.code).toBe(3);
        expect(
          statusDocumentSchema
            .parse(status.data)
            .layers[0]!.targets.map((t) => [t.region, t.state])
            .sort(),
        ).toEqual(
          [
            [r2, "missing"],
            [r3, "in-sync"],
          ].sort(),
        );
        const all = await publishWithConfig({ cwd, skipUnchanged: true }, { env: env(own), log: silentLogger }, preparePublish);
        expect(all.results.map((r) => [r.region, r.status, r.version]).sort()).toEqual(
          [
            [r2, "published", 1],
            [r3, "unchanged", 1],
          ].sort(),
        );
        const versions = await runCommand("versions", { cwd }, { env: env(own) });
        expect(versions.code).toBe(0);
        expect((versions.data as { results: LayerVersionRecord[] }).results.map((r) => [r.layerName, r.region, r.version]).sort()).toEqual(
          [
            [name, r2, 1],
            [name, r3, 1],
          ].sort(),
        );
      } finally {
        await own.close();
      }
    });
  });

  describe("publish --align-version", () => {
    it("pads each target with the new zip up to the highest version + 1 and records the padding", async () => {
      const name = layerName();
      const old = await makeArchive({ "lib/old.txt": "old\n" });
      await seed(name, r1, old, 2);
      const src = await layerDir("aligned build\n");
      const r = await runCommand("publish", publishInput(src, name, [r1, r2], { alignVersion: true, record: path.join(dir, `${name}.json`) }), { env: env() });
      expect(r.code).toBe(0);
      const doc = publishDocumentSchema.parse(r.data);
      expect(doc.alignedVersion).toBe(3);
      const byRegion = Object.fromEntries(doc.results.map((x) => [x.region, x]));
      expect(byRegion[r1]).toMatchObject({ version: 3, status: "published" });
      expect(byRegion[r1]!.padding).toBeUndefined();
      expect(byRegion[r2]).toMatchObject({ version: 3, status: "published", padding: [1, 2] });
      // Every version the run made holds the new zip, padding included: never an old one.
      const c2 = await client(r2);
      const sha = doc.archive!.sha256;
      for (const v of [1, 2, 3]) {
        const content = await c2.layerContent(name, v);
        if (content.digest.sha256) expect(content.digest.sha256).toBe(sha);
        else expect(content.digest.size).toBe(doc.archive!.zipBytes);
      }
      const record = JSON.parse(await readFile(path.join(dir, `${name}.json`), "utf8"));
      expect(record.layers[name][profile.provider][r2]).toMatchObject({ version: 3, padding: [1, 2] });
      // The same command again: every target holds the zip at 3 already, nothing is published.
      const before = calls(profile.publishLayerAction);
      const again = await runCommand("publish", publishInput(src, name, [r1, r2], { alignVersion: true }), { env: env() });
      expect(again.code).toBe(0);
      expect((again.data as { results: LayerVersionRecord[] }).results.map((x) => [x.version, x.status])).toEqual([
        [3, "unchanged"],
        [3, "unchanged"],
      ]);
      expect(calls(profile.publishLayerAction) - before).toBe(0);
    });

    it("with --record, a re-run that changes nothing leaves the file byte for byte (padding and time kept); a new build keeps the old as previous", async () => {
      const name = layerName();
      await seed(name, r1, await makeArchive({ "lib/rec.txt": "older\n" }), 1);
      const src = await layerDir("recorded build\n");
      const file = path.join(dir, `${name}.json`);
      const first = await runCommand("publish", publishInput(src, name, [r1, r2], { alignVersion: true, record: file }), { env: env() });
      expect(first.code).toBe(0);
      const written = await readFile(file);
      expect(JSON.parse(written.toString()).layers[name][profile.provider][r2]).toMatchObject({ version: 2, padding: [1] });
      // Every target is "done" now: the cloud's newest version read back, not published.
      const again = await runCommand("publish", publishInput(src, name, [r1, r2], { alignVersion: true, record: file }), { env: env() });
      expect((again.data as { results: LayerVersionRecord[] }).results.map((x) => x.status)).toEqual(["unchanged", "unchanged"]);
      expect((await readFile(file)).equals(written)).toBe(true);
      // A new build: version 3 everywhere, version 2 remembered as what it replaced.
      await writeFile(path.join(src, "lib", "m.txt"), "recorded build, again\n");
      const next = await runCommand("publish", publishInput(src, name, [r1, r2], { alignVersion: true, record: file }), { env: env() });
      expect(next.code).toBe(0);
      const entry = JSON.parse(await readFile(file, "utf8")).layers[name][profile.provider][r2];
      expect(entry).toMatchObject({ version: 3, previous: { version: 2 } });
      expect(entry.padding).toBeUndefined();
    });

    it("a region that was down fails alone, and the same command catches it up later", async () => {
      const name = layerName();
      await seed(name, r2, await makeArchive({ "lib/x.txt": "x\n" }), 2);
      const src = await layerDir("catch-up build\n");
      const input = publishInput(src, name, [r1, r2], { alignVersion: true, concurrency: "1" });
      // r1 is read first (one target at a time): its reads fail for all its attempts.
      emu.faults.add({ provider: profile.provider, action: "ListLayerVersions", kind: "server-error", times: 4 });
      const first = await runCommand("publish", input, { env: env() });
      emu.faults.clear();
      expect(first.code).toBe(1);
      const results = (first.data as { results: LayerVersionRecord[] }).results;
      expect(results.map((x) => [x.region, x.status, x.version])).toEqual([
        [r1, "failed", null],
        [r2, "published", 3],
      ]);
      expect(first.stderr).toContain(`run the same command again later to catch it up`);
      const second = await runCommand("publish", input, { env: env() });
      expect(second.code).toBe(0);
      expect((second.data as { results: LayerVersionRecord[] }).results.map((x) => [x.region, x.status, x.version, x.padding ?? []])).toEqual([
        [r1, "published", 3, [1, 2]],
        [r2, "unchanged", 3, []],
      ]);
    });

    it("a target already past the aligned version is reported, never forced", async () => {
      // N comes from the record file (--resume): r1 holds the zip at 2 there; r2 is at 3 already.
      const name = layerName();
      const src = await layerDir("overshoot build\n");
      const first = await runCommand("publish", publishInput(src, name, [r1], { record: path.join(dir, `${name}.json`) }), { env: env() });
      expect(first.code).toBe(0);
      await seed(name, r1, await makeArchive({ "lib/y.txt": "y\n" }), 1);
      const file = path.join(dir, `${name}.json`);
      const rec = JSON.parse(await readFile(file, "utf8"));
      rec.layers[name][profile.provider][r1].version = 2;
      await writeFile(file, JSON.stringify(rec));
      await seed(name, r2, await makeArchive({ "lib/z.txt": "z\n" }), 3);
      const before = calls(profile.publishLayerAction);
      const r = await runCommand("publish", publishInput(src, name, [r1, r2], { alignVersion: true, resume: file }), { env: env() });
      expect(r.code).toBe(1);
      const results = (r.data as { results: LayerVersionRecord[] }).results;
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ region: r2, status: "failed", error: { code: "AlignOvershoot" } });
      expect(calls(profile.publishLayerAction) - before).toBe(0);
    });

    it("a target overtaken between the plan and its publish stops past N and names its version, never reported aligned", async () => {
      const name = layerName();
      const old = await makeArchive({ "lib/old.txt": "old\n" });
      await seed(name, r1, old, 2);
      const src = await layerDir("overtaken build\n");
      // Planned: N = 3 (r1 publishes once, r2 twice as padding and once more).
      const prepared = await preparePublish(publishInput(src, name, [r1, r2], { alignVersion: true }) as PublishInput, { env: env(), log: silentLogger });
      try {
        // Another publisher takes version 3 in r1 before this run's publish gets there.
        await seed(name, r1, old, 1);
        const doc = await prepared.run();
        const byRegion = Object.fromEntries(doc.results.map((x) => [x.region, x]));
        expect(doc.alignedVersion).toBe(3);
        expect(byRegion[r1]).toMatchObject({ status: "failed", error: { code: "AlignOvershoot" } });
        // Version 4 is this run's, past N: named in the error, never reported as published or aligned.
        expect(byRegion[r1]!.error!.message).toContain("published version 4, past the aligned version 3");
        expect(byRegion[r2]).toMatchObject({ status: "published", version: 3, padding: [1, 2] });
      } finally {
        await prepared.dispose();
      }
      expect((await (await client(r1)).listLayerVersions(name)).map((v) => v.version).sort()).toEqual([1, 2, 3, 4]);
    });

    it("refuses before any publish when a target needs more padding than --max-padding", async () => {
      const name = layerName();
      await seed(name, r2, await makeArchive({ "lib/p.txt": "p\n" }), 3);
      const before = calls(profile.publishLayerAction);
      const r = await runCommand("publish", publishInput(await layerDir("padding\n"), name, [r1, r2], { alignVersion: true, maxPadding: "2" }), { env: env() });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("--max-padding 2");
      expect(r.stderr).toContain("allow them with --max-padding 3");
      expect(calls(profile.publishLayerAction) - before).toBe(0);
    });

    when(provider.limits.maxVersionsPerLayer !== null, "the provider does not cap versions per layer")(
      "refuses before any publish when aligning would pass the cloud's cap on versions",
      async () => {
        const cap = provider.limits.maxVersionsPerLayer!;
        const own = await startEmulator();
        try {
          const name = layerName();
          await seed(name, r1, await makeArchive({ "lib/c.txt": "c\n" }), cap, own);
          const before = calls(profile.publishLayerAction, own);
          const r = await runCommand("publish", publishInput(await layerDir("cap\n"), name, [r1], { alignVersion: true }), { env: env(own) });
          expect(r.code).toBe(2);
          expect(r.stderr).toContain(`${cap} versions + 1 > ${cap}`);
          expect(calls(profile.publishLayerAction, own) - before).toBe(0);
        } finally {
          await own.close();
        }
      },
    );
  });

  describe("publish --resume", () => {
    it("publishes only to the targets the record file does not show holding this zip", async () => {
      const name = layerName();
      const src = await layerDir("resume build\n");
      const file = path.join(dir, `${name}.json`);
      const first = await runCommand("publish", publishInput(src, name, [r1, r2, r3], { record: file }), { env: env() });
      expect(first.code).toBe(0);
      // Forget r2 in the record, as a run in which it failed would have left it.
      const rec = JSON.parse(await readFile(file, "utf8"));
      delete rec.layers[name][profile.provider][r2];
      await writeFile(file, JSON.stringify(rec));
      const before = calls(profile.publishLayerAction);
      const r = await runCommand("publish", publishInput(src, name, [r1, r2, r3], { resume: file }), { env: env() });
      expect(r.code).toBe(0);
      expect((r.data as { results: LayerVersionRecord[] }).results.map((x) => [x.region, x.status, x.version])).toEqual([[r2, "published", 2]]);
      expect(calls(profile.publishLayerAction) - before).toBe(1);
      expect(r.stderr).toContain(`resume: 2 of 3 targets hold this zip in ${file}`);
      const after = JSON.parse(await readFile(file, "utf8"));
      expect(Object.keys(after.layers[name][profile.provider]).sort()).toEqual([r1, r2, r3].sort());
    });
  });

  describe("copy", () => {
    it("copies a version to another region of the same cloud: same zip, runtimes, description and licence", async () => {
      const name = layerName();
      const zip = await makeArchive({ "lib/copy.txt": "copy me\n" });
      const c1 = await client(r1);
      await c1.publishLayer(
        { layerName: name, archive: zip, runtimes: provider.resolveRuntimes([profile.fleet.sharedRuntime]), architectures: [], description: "the deps", license: "MIT" },
        { wait: true, waitTimeoutMs: 10_000, pollIntervalMs: 5 },
      );
      const r = await runCommand(
        "copy",
        { layerVersion: `${name}:1`, from: `${profile.provider}:${r1}`, to: [`${profile.provider}:${r2},${profile.provider}:${r3}`] },
        { env: env() },
      );
      expect(r.code).toBe(0);
      const doc = copyDocumentSchema.parse(r.data);
      expect(doc.source).toMatchObject({ region: r1, version: 1, codeSha256: zip.sha256 });
      expect(doc.results.map((x) => [x.region, x.status, x.version])).toEqual([
        [r2, "published", 1],
        [r3, "published", 1],
      ]);
      const copied = await (await client(r2)).getLayerVersion(name, 1);
      expect(copied).toMatchObject({ description: "the deps", license: "MIT", compatibleRuntimes: provider.resolveRuntimes([profile.fleet.sharedRuntime]) });
      expect(copied.codeSha256).toBe(zip.sha256);
    });

    it(`copies across clouds, the runtimes in the other cloud's spelling (${profile.provider} -> ${other.provider})`, async () => {
      const name = layerName();
      const zip = await makeArchive({ "lib/across.txt": "across\n" });
      await seed(name, r1, zip, 1);
      const r = await runCommand("copy", { layerVersion: `${name}:1`, from: `${profile.provider}:${r1}`, to: [`${other.provider}:${other.region}`] }, { env: env() });
      expect(r.code).toBe(0);
      const doc = copyDocumentSchema.parse(r.data);
      expect(doc.results[0]).toMatchObject({ provider: other.provider, region: other.region, status: "published", codeSha256: zip.sha256 });
      expect(doc.results[0]!.compatibleRuntimes).toEqual(providers[other.provider].resolveRuntimes([other.fleet.sharedRuntime]));
    });

    it("a download that does not match the source's checksum publishes nothing (exit 1)", async () => {
      const name = layerName();
      await seed(name, r1, await makeArchive({ "lib/bad.txt": "bad\n" }), 1);
      emu.faults.add({ provider: profile.provider, action: "DownloadLayerContent", kind: "bad-checksum" });
      const before = calls(profile.publishLayerAction);
      try {
        const r = await runCommand("copy", { layerVersion: `${name}:1`, from: `${profile.provider}:${r1}`, to: [`${profile.provider}:${r2}`] }, { env: env() });
        expect(r.code).toBe(1);
        expect(r.stderr).toContain("ChecksumMismatch");
        expect(calls(profile.publishLayerAction) - before).toBe(0);
      } finally {
        emu.faults.clear();
      }
    });

    it("reads each target's newest version while the zip downloads, once: publish does not read it again", async () => {
      const name = layerName();
      const zip = await makeArchive({ "lib/early.txt": "early\n" });
      await seed(name, r1, zip, 1);
      const to = [`${profile.provider}:${r2},${profile.provider}:${r3}`];
      // A download that fails ends the copy: the targets were read meanwhile, nothing was published.
      emu.faults.add({ provider: profile.provider, action: "DownloadLayerContent", kind: "bad-checksum" });
      let lists = calls("ListLayerVersions");
      const published = calls(profile.publishLayerAction);
      try {
        const r = await runCommand("copy", { layerVersion: `${name}:1`, from: `${profile.provider}:${r1}`, to }, { env: env() });
        expect(r.code).toBe(1);
      } finally {
        emu.faults.clear();
      }
      expect(calls("ListLayerVersions") - lists).toBe(2);
      expect(calls(profile.publishLayerAction) - published).toBe(0);
      // A copy reads the targets as often as a publish of the same zip to the same targets does.
      const zipFile = path.join(dir, `${name}.zip`);
      await writeFile(zipFile, zip.bytes);
      lists = calls("ListLayerVersions");
      expect((await runCommand("publish", publishInput(zipFile, `${name}-p`, [r2, r3]), { env: env() })).code).toBe(0);
      const publishReads = calls("ListLayerVersions") - lists;
      lists = calls("ListLayerVersions");
      const r = await runCommand("copy", { layerVersion: `${name}:1`, from: `${profile.provider}:${r1}`, to }, { env: env() });
      expect(r.code).toBe(0);
      expect(calls("ListLayerVersions") - lists).toBe(publishReads);
    });

    it("a publish whose answer was lost is found with the baseline read during the download", async () => {
      const name = layerName();
      const zip = await makeArchive({ "lib/lost.txt": "lost\n" });
      await seed(name, r1, zip, 1);
      await seed(name, r2, zip, 1);
      emu.faults.add({ provider: profile.provider, action: profile.publishLayerAction, kind: "lost-response", times: 1 });
      const published = calls(profile.publishLayerAction);
      try {
        const r = await runCommand("copy", { layerVersion: `${name}:1`, from: `${profile.provider}:${r1}`, to: [`${profile.provider}:${r2}`] }, { env: env() });
        expect(r.code).toBe(0);
        // Version 1 at r2 holds the same zip but is older than the baseline: only version 2 is this copy's.
        expect(copyDocumentSchema.parse(r.data).results[0]).toMatchObject({ region: r2, status: "published", version: 2, codeSha256: zip.sha256 });
      } finally {
        emu.faults.clear();
      }
      expect(calls(profile.publishLayerAction) - published).toBe(1);
    });

    it("checks the binaries for the targets as publish does: exit 2 and nothing published; --no-check copies", async () => {
      const name = layerName();
      const arch = provider.contents.architectures[0]!;
      const wrong = arch === "x86_64" ? "arm64" : "x86_64";
      const base = provider.contents.installPaths.python;
      const file = `${base ? `${base}/` : ""}native/core.so`;
      // Published at the source without the check (as `publish --no-check` would): it will not load.
      await seed(name, r1, await makeArchive({ [file]: glibcElf(wrong, "2.17") }), 1);
      const input = { layerVersion: `${name}:1`, from: `${profile.provider}:${r1}`, to: [`${profile.provider}:${r2}`] };
      const before = calls(profile.publishLayerAction);
      const refused = await runCommand("copy", input, { env: env() });
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toMatch(new RegExp(`^layerctl: error: ${profile.provider} .*: ${file.replace(/[.]/g, "\\.")}: needs an ${wrong} CPU; target: ${arch}`, "m"));
      expect(refused.stderr).toMatch(/^layerctl: 1 file in the layer will not load on .*nothing was uploaded; .*--no-check/m);
      expect(calls(profile.publishLayerAction) - before).toBe(0);
      const forced = await runCommand("copy", { ...input, check: false }, { env: env() });
      expect(forced.code).toBe(0);
      expect(copyDocumentSchema.parse(forced.data).results[0]).toMatchObject({ region: r2, status: "published", version: 1 });
    });

    when(provider.credentialScope !== undefined && provider.credentialScope(r1) === undefined, "the provider has no partitions with credentials of their own")(
      "copies into another partition with that partition's own credentials (--profile <partition>:NAME)",
      async () => {
        const china = { accessKeyId: "AKIACHINAPARTITION00", secretAccessKey: "china-partition-secret", accountId: "210987654321" };
        const cnRegion = provider.regions.find((r) => provider.credentialScope!(r) !== undefined)!;
        const scope = provider.credentialScope!(cnRegion)!;
        const own = await startEmulator({ credentials: { aws: { partitions: { [scope]: china } } } as EmulatorOptions["credentials"] });
        try {
          const name = layerName();
          const zip = await makeArchive({ "lib/p.txt": "partition\n" });
          await seed(name, r1, zip, 1, own);
          const files = path.join(dir, `profiles-${++seq}`);
          await mkdir(files, { recursive: true });
          await writeFile(path.join(files, "credentials"), `[china]\naws_access_key_id = ${china.accessKeyId}\naws_secret_access_key = ${china.secretAccessKey}\n`);
          const profileEnv = { ...env(own), AWS_SHARED_CREDENTIALS_FILE: path.join(files, "credentials"), AWS_CONFIG_FILE: path.join(files, "config") };
          const to = [`${profile.provider}:${r2},${profile.provider}:${cnRegion}`];
          // Without its own credentials the partition refuses the usual keys, and the run says why first.
          const refused = await runCommand("copy", { layerVersion: `${name}:1`, from: `${profile.provider}:${r1}`, to }, { env: profileEnv });
          expect(refused.code).toBe(1);
          expect(refused.stderr).toContain(`is in partition ${scope}`);
          const r = await runCommand("copy", { layerVersion: `${name}:1`, from: `${profile.provider}:${r1}`, to, profile: `${scope}:china` }, { env: profileEnv });
          expect(r.code).toBe(0);
          const cn = copyDocumentSchema.parse(r.data).results.find((x) => x.region === cnRegion)!;
          expect(cn.arn).toMatch(new RegExp(`^arn:${scope}:lambda:${cnRegion}:${china.accountId}:layer:${name}:`));
        } finally {
          await own.close();
        }
      },
    );
  });

  describe("download", () => {
    it("streams the version to a file verified against the cloud's checksum", async () => {
      const name = layerName();
      const zip = await makeArchive({ "lib/dl.txt": "download me\n" });
      await seed(name, r1, zip, 1);
      const out = path.join(dir, `${name}.zip`);
      const r = await runCommand("download", { layerVersion: `${name}:1`, provider: [profile.provider], region: [r1], out }, { env: env() });
      expect(r.code).toBe(0);
      expect(downloadDocumentSchema.parse(r.data)).toMatchObject({ file: out, bytes: zip.size, sha256: zip.sha256 });
      expect(await readFile(out)).toEqual(zip.bytes);
    });

    it("exits 1 on a checksum mismatch and leaves no file, partial or whole", async () => {
      const name = layerName();
      await seed(name, r1, await makeArchive({ "lib/dl2.txt": "damaged\n" }), 1);
      const box = path.join(dir, `box-${++seq}`);
      await mkdir(box);
      emu.faults.add({ provider: profile.provider, action: "DownloadLayerContent", kind: "bad-checksum" });
      try {
        const r = await runCommand("download", { layerVersion: `${name}:1`, provider: [profile.provider], region: [r1], out: path.join(box, "x.zip") }, { env: env() });
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/ChecksumMismatch/);
        expect(await readdir(box)).toEqual([]);
      } finally {
        emu.faults.clear();
      }
    });

    it("retries a download cut short, and asks for a fresh link when one has expired", async () => {
      let now = Date.now();
      // Links that last a minute, so that stepping past one stays within the APIs' clock windows.
      const own = await startEmulator({ now: () => new Date(now), tuning: { [profile.provider]: { contentUrlTtlMs: 60_000 } } });
      try {
        const name = layerName();
        const zip = await makeArchive({ "lib/dl3.txt": "retry me\n" });
        await seed(name, r1, zip, 1, own);
        const c = await client(r1, own);
        const stale = await c.layerContent(name, 1);
        now += 2 * 60 * 1000; // past the link's minute
        own.faults.add({ provider: profile.provider, action: "DownloadLayerContent", kind: "truncate", times: 1 });
        const out = path.join(dir, `${name}-fresh.zip`);
        const opts = { provider: profile.provider, budget: startBudget(20_000), retry: fastRetry, log: silentLogger };
        await expect(downloadZip(stale, out, opts)).rejects.toMatchObject({ code: "AccessDenied", httpStatus: 403 });
        const got = await downloadZip(stale, out, { ...opts, refresh: () => c.layerContent(name, 1) });
        expect(got.sha256).toBe(zip.sha256);
        expect(await readFile(out)).toEqual(zip.bytes);
      } finally {
        await own.close();
      }
    });
  });

  describe("status", () => {
    it("exits 0 in sync, 3 when a target is behind or missing, 1 when one cannot be read", async () => {
      const name = layerName();
      const src = await layerDir("status build\n");
      const statusOf = (extra: Record<string, unknown> = {}) =>
        runCommand("status", { source: src, name, provider: [profile.provider], region: regionsArg(r1, r2, r3), ...extra }, { env: env() });
      expect((await runCommand("publish", publishInput(src, name, [r1, r2]), { env: env() })).code).toBe(0);
      const partial = await statusOf();
      expect(partial.code).toBe(3);
      const doc = statusDocumentSchema.parse(partial.data);
      expect(doc.layers[0]!.targets.map((t) => [t.region, t.state, t.version])).toEqual([
        [r1, "in-sync", 1],
        [r2, "in-sync", 1],
        [r3, "missing", null],
      ]);
      await seed(name, r3, await makeArchive({ "lib/old.txt": "another zip\n" }), 1);
      const behind = statusDocumentSchema.parse((await statusOf()).data);
      expect(behind.layers[0]!.targets[2]).toMatchObject({ region: r3, state: "behind", version: 1 });
      expect(behind.layers[0]!.aligned).toBe(true);
      expect((await runCommand("publish", publishInput(src, name, [r3]), { env: env() })).code).toBe(0);
      const synced = await statusOf();
      expect(synced.code).toBe(0);
      const last = statusDocumentSchema.parse(synced.data).layers[0]!;
      expect(last.aligned).toBe(false); // r3 is at 2, the others at 1
      expect(last.targets.every((t) => t.state === "in-sync")).toBe(true);
      if (provider.limits.maxVersionsPerLayer !== null) expect(last.targets[2]).toMatchObject({ versionCount: 2, versionLimit: provider.limits.maxVersionsPerLayer });
      emu.faults.add({ provider: profile.provider, action: "ListLayerVersions", kind: "server-error" });
      try {
        const failed = await statusOf({ timeout: "3" });
        expect(failed.code).toBe(1);
        expect(statusDocumentSchema.parse(failed.data).layers[0]!.targets.every((t) => t.state === "error")).toBe(true);
      } finally {
        emu.faults.clear();
      }
    });

    it("a local build that no target holds is `differs`", async () => {
      const name = layerName();
      await seed(name, r1, await makeArchive({ "lib/pub.txt": "published\n" }), 1);
      const r = await runCommand("status", { source: await layerDir("never published\n"), name, provider: [profile.provider], region: regionsArg(r1) }, { env: env() });
      expect(r.code).toBe(3);
      expect(statusDocumentSchema.parse(r.data).layers[0]!.targets[0]).toMatchObject({ state: "differs", version: 1 });
    });
  });
});
