// Staging big layers in each provider's object store (S3, COS, OSS), end to end through the
// publish command: the real storage SDKs and layer SDKs over real HTTP to the emulator. Provider
// differences are data (profiles) and capabilities (Provider.storage), never names.
import { mkdir, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { publishCommand, type PublishInput } from "../../src/release/publish.js";
import { UsageError } from "../../src/errors.js";
import { emulatorEnv, start, type RunningEmulator } from "../../src/emulator/index.js";
import { buildZip } from "../../src/emulator/zip.js";
import { silentLogger } from "../../src/output/log.js";
import { providers } from "../../src/providers/index.js";
import type { LayerVersionRecord, Provider, ProviderClient, StorageClient } from "../../src/providers/types.js";
import { makeArchive, tempDir } from "../helpers/archive.js";
import { recordingLogger } from "../helpers/log.js";
import { oidcToken } from "../helpers/oidc.js";
import { profiles } from "./profiles.js";
import { connectTo } from "../helpers/connect.js";

describe.each(profiles)("staging: $provider", (profile) => {
  const provider: Provider = providers[profile.provider];
  const bucket = profile.storage.bucket.replaceAll("{region}", profile.region);
  let emu: RunningEmulator;
  let env: Record<string, string>;
  let small: string;
  let smallSha: string;
  let big: string;
  let seq = 0;
  const layerName = () => `stage${profile.provider}${++seq}`;

  beforeAll(async () => {
    emu = await start({
      port: 0,
      tencentPublishDelayMs: 0,
      buckets: [
        { provider: profile.provider, name: bucket, region: profile.region },
        { provider: profile.provider, name: profile.storage.otherBucket, region: profile.storage.otherRegion },
      ],
    });
    env = { ...emulatorEnv(emu.credentials, emu.url), AWS_EC2_METADATA_DISABLED: "true" };
    const dir = await tempDir();
    const archive = await makeArchive();
    small = path.join(dir, "small.zip");
    smallSha = archive.sha256;
    await writeFile(small, archive.bytes!);
    // Just over this provider's inline limit: a stored (uncompressed) zip of one file.
    big = path.join(dir, "big.zip");
    await writeFile(big, buildZip([{ name: "python/blob.bin", data: Buffer.alloc(provider.limits.maxZipBytes + 1024, 0x5a) }]));
  });
  afterAll(async () => {
    await emu?.close();
  });
  beforeEach(() => {
    emu.faults.clear();
  });

  function publish(source: string, extra: Partial<PublishInput> = {}): Promise<{ results: LayerVersionRecord[] }> {
    return publishCommand(
      { source, provider: [profile.provider], region: [profile.region], name: extra.name ?? layerName(), runtime: [profile.runtimes.canonical[0]!], timeout: "60", ...extra },
      { env, log: silentLogger },
    );
  }

  function calls(action: string): number {
    return emu.faults.counts()[`${profile.provider}:${action}`] ?? 0;
  }

  /** Publish straight from a staged object through the adapter: does the layer API still find it? */
  async function publishFrom(staged: { bucket: string; key: string }): Promise<unknown> {
    const client = await connectTo(provider, emu, profile.region, {}, env);
    const archive = { sha256: smallSha, size: 0, path: small };
    return client
      .publishLayer(
        { layerName: layerName(), archive, staged: { ...staged, region: profile.region }, runtimes: profile.runtimes.native.slice(0, 1), architectures: [] },
        { wait: true, waitTimeoutMs: 10_000, pollIntervalMs: 5 },
      )
      .then(
        () => "published",
        (err: { code?: string }) => err.code,
      );
  }

  it("stages a layer over the inline limit by itself, retries a reset and a 5xx part and a lost completion, publishes from storage, then removes the object", async () => {
    emu.faults.add({ provider: profile.provider, action: "UploadPart", kind: "reset", times: 1 });
    emu.faults.add({ provider: profile.provider, action: "UploadPart", kind: "server-error", times: 1 });
    emu.faults.add({ provider: profile.provider, action: "CompleteMultipartUpload", kind: "lost-response", times: 1 });
    const before = calls("UploadPart");
    const completes = calls("CompleteMultipartUpload");
    const name = layerName();
    const doc = await publish(big, { name, bucket: [`${profile.provider}=${profile.storage.bucket}`] });
    const rec = doc.results[0]!;
    expect(rec.error).toBeUndefined();
    expect(rec).toMatchObject({
      status: "published",
      upload: "storage",
      staged: { bucket, key: expect.stringMatching(new RegExp(`^layerctl/${name}/[0-9a-f]{64}-[0-9a-f]{8}\\.zip$`)) },
    });
    expect(rec.codeSha256).toBe(/([0-9a-f]{64})-[0-9a-f]{8}\.zip$/.exec(rec.staged!.key)![1]);
    const parts = Math.ceil((provider.limits.maxZipBytes + 1024 + 200) / (8 * 1024 * 1024));
    expect(calls("UploadPart") - before).toBe(parts + 2);
    // The lost completion was repeated, found the upload completed, and the object was checked instead.
    expect(calls("CompleteMultipartUpload") - completes).toBe(2);
    expect(calls("DeleteObject")).toBeGreaterThan(0);
    expect(await publishFrom(rec.staged!)).toBe(profile.storage.codes.stagedMissing);
  });

  it("stages a small layer with --upload storage and keeps it with --keep-staged", async () => {
    const doc = await publish(small, { upload: "storage", bucket: [`${profile.provider}:${profile.region}=${profile.storage.bucket}`], keepStaged: true });
    const rec = doc.results[0]!;
    expect(rec.error).toBeUndefined();
    expect(rec).toMatchObject({ status: "published", upload: "storage", codeSha256: smallSha, staged: { bucket } });
    expect(await publishFrom(rec.staged!)).toBe("published");
  });

  it("uploads inline while the zip fits, and says so", async () => {
    const doc = await publish(small, { bucket: [profile.storage.bucket] });
    expect(doc.results[0]).toMatchObject({ status: "published", upload: "inline" });
    expect(doc.results[0]!.staged).toBeUndefined();
  });

  it("--dry-run says which way the target would go, and calls nothing", async () => {
    const before = JSON.stringify(emu.faults.counts());
    const auto = await publish(big, { dryRun: true, bucket: [`${profile.provider}=${profile.storage.bucket}`] });
    expect(auto.results[0]).toMatchObject({ status: "planned", upload: "storage", staged: { bucket } });
    const inline = await publish(small, { dryRun: true });
    expect(inline.results[0]).toMatchObject({ status: "planned", upload: "inline" });
    expect(JSON.stringify(emu.faults.counts())).toBe(before);
  });

  it("keys from an OIDC exchange that expire mid-staging are renewed, and the upload goes on", async () => {
    const c = profile.credentials;
    const dir = await tempDir();
    const tokenFile = path.join(dir, "oidc-token");
    await writeFile(tokenFile, oidcToken());
    // No keys: the run's keys come from the exchange, and a store call finds them expired.
    const [id, secret] = provider.credentialVariables;
    const oidcEnv = Object.fromEntries(Object.entries({ ...env, HOME: dir, ...c.oidcVariables(tokenFile, c.roleArn) }).filter(([k]) => k !== id && k !== secret));
    emu.faults.add({ provider: profile.provider, action: "PutObject", kind: "expire-credentials", times: 1 });
    const [exchanges, puts] = [calls(c.sts.oidc), calls("PutObject")];
    const doc = await publishCommand(
      {
        source: small,
        provider: [profile.provider],
        region: [profile.region],
        name: layerName(),
        runtime: [profile.runtimes.canonical[0]!],
        timeout: "60",
        upload: "storage",
        bucket: [profile.storage.bucket],
      },
      { env: oidcEnv, log: silentLogger },
    );
    expect(doc.results[0]).toMatchObject({ status: "published", upload: "storage" });
    expect(calls("PutObject") - puts).toBe(2);
    expect(calls(c.sts.oidc) - exchanges).toBe(2);
  });

  it("retries a connection reset of a single PUT", async () => {
    emu.faults.add({ provider: profile.provider, action: "PutObject", kind: "reset", times: 1 });
    const before = calls("PutObject");
    const doc = await publish(small, { upload: "storage", bucket: [profile.storage.bucket] });
    expect(doc.results[0]).toMatchObject({ status: "published", upload: "storage" });
    expect(calls("PutObject") - before).toBe(2);
  });

  it("retries throttling of the store with backoff, and reports persistent throttling with the store's code", async () => {
    emu.faults.add({ provider: profile.provider, action: "PutObject", kind: "throttle", times: 2 });
    const before = calls("PutObject");
    const doc = await publish(small, { upload: "storage", bucket: [profile.storage.bucket] });
    expect(doc.results[0]).toMatchObject({ status: "published", upload: "storage" });
    expect(calls("PutObject") - before).toBe(3);
    emu.faults.add({ provider: profile.provider, action: "PutObject", kind: "throttle" });
    const throttled = await publish(small, { upload: "storage", bucket: [profile.storage.bucket] });
    expect(throttled.results[0]).toMatchObject({ status: "failed", error: { code: "SlowDown" } });
  });

  it("refuses an upload whose stored checksum differs from ours, before any layer call", async () => {
    emu.faults.add({ provider: profile.provider, action: "PutObject", kind: "bad-checksum", times: 1 });
    const layerCalls = () =>
      Object.entries(emu.faults.counts())
        .filter(([k]) => k.startsWith(`${profile.provider}:`) && /Layer/.test(k))
        .reduce((n, [, v]) => n + v, 0);
    const before = layerCalls();
    const doc = await publish(small, { upload: "storage", bucket: [profile.storage.bucket] });
    expect(doc.results[0]).toMatchObject({ status: "failed", upload: "storage", error: { code: "ChecksumMismatch" } });
    expect(layerCalls()).toBe(before);
  });

  it("reports a missing bucket with the store's code and a hint", async () => {
    const missing = profile.storage.otherBucket.replace(/^conf-[a-z]+/, "conf-nosuch");
    const doc = await publish(small, { upload: "storage", bucket: [missing] });
    expect(doc.results[0]).toMatchObject({ status: "failed", upload: "storage", error: { code: profile.storage.codes.noSuchBucket } });
    expect(doc.results[0]!.error!.hint).toContain(profile.region);
  });

  it("reports a bucket in another region with the store's code, naming the region", async () => {
    const doc = await publish(small, { upload: "storage", bucket: [profile.storage.otherBucket] });
    expect(doc.results[0]).toMatchObject({ status: "failed", error: { code: profile.storage.codes.wrongRegion } });
    expect(doc.results[0]!.error!.hint).toContain(profile.region);
  });

  it("without a bucket: the cloud's temporary bucket where there is one, else a usage error naming --bucket", async () => {
    if (provider.storage.temporaryBucket) {
      const doc = await publish(small, { upload: "storage" });
      expect(doc.results[0]).toMatchObject({ status: "published", upload: "storage" });
    } else {
      const before = JSON.stringify(emu.faults.counts());
      const err = await publish(big).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).code).toBe("MissingBucket");
      expect(`${(err as UsageError).message} ${(err as UsageError).hint}`).toContain("--bucket");
      expect((err as UsageError).hint).toContain(provider.storage.bucketVariable);
      expect(JSON.stringify(emu.faults.counts())).toBe(before);
    }
  });

  // Publishing from storage is asynchronous where publishing is (Tencent: the cloud reads the
  // object until the version is Active): a run that does not wait must leave the object in place,
  // and say so; the emulator reads it when publishing ends.
  describe.runIf(provider.features.asyncPublish)("asynchronous publishing from storage", () => {
    /** An emulator whose versions stay Publishing until the test moves its clock on. */
    async function slowEmulator<T>(
      fn: (s: { env: Record<string, string>; tick: () => void; connect: () => Promise<{ layers: ProviderClient; store: StorageClient }>; emu: RunningEmulator }) => Promise<T>,
    ): Promise<T> {
      let clock = Date.now();
      const slow = await start({
        port: 0,
        tencentPublishDelayMs: 60_000,
        now: () => new Date(clock),
        buckets: [{ provider: profile.provider, name: bucket, region: profile.region }],
      });
      try {
        const slowEnv = { ...emulatorEnv(slow.credentials, slow.url), AWS_EC2_METADATA_DISABLED: "true" };
        const connect = async () => {
          const credentials = await provider.resolveCredentials(slowEnv, {});
          const opts = {
            region: profile.region,
            endpoint: slow.url,
            credentials,
            requestTimeoutMs: 10_000,
            retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
            log: silentLogger,
          };
          return { layers: await provider.connect(opts), store: await provider.storage.connect(opts, { bucket: profile.storage.bucket, endpoint: slow.url }) };
        };
        return await fn({ env: slowEnv, tick: () => (clock += 60_000), connect, emu: slow });
      } finally {
        await slow.close();
      }
    }

    const publishNoWait = (env: Record<string, string>, name: string) =>
      publishCommand(
        {
          source: small,
          provider: [profile.provider],
          region: [profile.region],
          name,
          runtime: [profile.runtimes.canonical[0]!],
          wait: false,
          upload: "storage",
          bucket: [profile.storage.bucket],
        },
        { env, log: silentLogger },
      );

    it("with --no-wait keeps the staged object, says so in the record, and the version becomes Active from it", async () => {
      await slowEmulator(async ({ env, tick, connect, emu: slow }) => {
        const name = layerName();
        const rec = (await publishNoWait(env, name)).results[0]!;
        expect(rec).toMatchObject({
          status: "published",
          state: "Publishing",
          upload: "storage",
          staged: { bucket, kept: true, removeCommand: expect.stringContaining(rec.staged!.key) },
        });
        expect(slow.faults.counts()[`${profile.provider}:DeleteObject`] ?? 0).toBe(0);
        tick();
        const { layers } = await connect();
        expect(await layers.getLayerVersion(name, rec.version!)).toMatchObject({ state: "Active", codeSha256: smallSha });
      });
    });

    // publish --align-version (#22) publishes padding versions without waiting, all from the same
    // staged object: it may go only once every one of them is Active, not just the aligned one.
    describe("--align-version from storage", () => {
      const other = profile.storage.otherRegion;
      const staging = { upload: "storage", bucket: [`${profile.provider}:${profile.region}=${bucket}`, `${profile.provider}:${other}=${profile.storage.otherBucket}`] };

      /** `other` at version 2 (another zip), `profile.region` empty: aligning at 3 pads the empty one with 1 and 2. */
      async function alignRun(shiftAfterPublishes: number | null) {
        let on: RunningEmulator | undefined;
        let base = 0;
        // From the aligned version's publish on, the emulator's clock runs SHIFT_MS behind: that
        // version is Active after the publish delay, the padding versions before it much later.
        const SHIFT_MS = 30_000;
        const publishes = () => on?.faults.counts()[`${profile.provider}:${profile.publishLayerAction}`] ?? 0;
        const shifted = () => shiftAfterPublishes !== null && publishes() >= base + shiftAfterPublishes;
        on = await start({
          port: 0,
          tencentPublishDelayMs: 300,
          now: () => new Date(Date.now() - (shifted() ? SHIFT_MS : 0)),
          buckets: [
            { provider: profile.provider, name: bucket, region: profile.region },
            { provider: profile.provider, name: profile.storage.otherBucket, region: other },
          ],
        });
        try {
          const onEnv = { ...emulatorEnv(on.credentials, on.url), AWS_EC2_METADATA_DISABLED: "true" };
          const name = layerName();
          const older = path.join(await tempDir(), "older.zip");
          await writeFile(older, (await makeArchive({ "python/older.py": "x = 0\n" })).bytes!);
          for (const version of [1, 2]) {
            const seeded = await publishCommand(
              { source: older, provider: [profile.provider], region: [`${profile.provider}:${other}`], name, runtime: [profile.runtimes.canonical[0]!] },
              { env: onEnv, log: silentLogger },
            );
            expect(seeded.results[0]).toMatchObject({ status: "published", version });
          }
          base = publishes();
          const deletes = on.faults.counts()[`${profile.provider}:DeleteObject`] ?? 0;
          const log = recordingLogger();
          const doc = await publishCommand(
            {
              source: small,
              provider: [profile.provider],
              // The padded target first, one target at a time: its publishes are base+1, +2, +3.
              region: [`${profile.provider}:${profile.region}`, `${profile.provider}:${other}`],
              name,
              runtime: [profile.runtimes.canonical[0]!],
              alignVersion: true,
              concurrency: "1",
              timeout: "60",
              ...staging,
            },
            { env: onEnv, log },
          );
          const layers = await connectTo(provider, on, profile.region, {}, onEnv);
          const states = await Promise.all([1, 2, 3].map(async (v) => (await layers.getLayerVersion(name, v)).state));
          return { doc, log, states, deleted: (on.faults.counts()[`${profile.provider}:DeleteObject`] ?? 0) - deletes };
        } finally {
          await on.close();
        }
      }

      it("padding versions still publishing keep the staged object, said in the record with the command that removes it", async () => {
        const { doc, log, states, deleted } = await alignRun(3);
        const [padded, single] = doc.results;
        expect(padded).toMatchObject({ region: profile.region, status: "published", version: 3, padding: [1, 2], state: "Active" });
        expect(padded!.staged).toMatchObject({ bucket, kept: true, removeCommand: expect.stringContaining(padded!.staged!.key) });
        expect(log.lines.join("\n")).toContain(`version 1 is Publishing, and the cloud reads ${bucket}/${padded!.staged!.key} until it is Active`);
        // The other target published once (no padding): its object went as usual.
        expect(single).toMatchObject({ region: other, status: "published", version: 3 });
        expect(single!.staged!.kept).toBeUndefined();
        expect(deleted).toBe(1);
        // Nothing was taken from under the padding: still publishing, not PublishFailed.
        expect(states).toEqual(["Publishing", "Publishing", "Active"]);
      });

      it("once every padding version is Active, the staged object is removed", async () => {
        const { doc, states, deleted } = await alignRun(null);
        expect(doc.results.map((r) => [r.region, r.version, r.padding ?? [], r.staged?.kept ?? false])).toEqual([
          [profile.region, 3, [1, 2], false],
          [other, 3, [], false],
        ]);
        expect(deleted).toBe(2);
        expect(states).toEqual(["Active", "Active", "Active"]);
      });
    });

    it("a staged object deleted while the version is still publishing makes it PublishFailed", async () => {
      await slowEmulator(async ({ env, tick, connect }) => {
        const name = layerName();
        const rec = (await publishNoWait(env, name)).results[0]!;
        const { layers, store } = await connect();
        await store.remove({ bucket, key: rec.staged!.key, region: profile.region });
        tick();
        expect(await layers.getLayerVersion(name, rec.version!)).toMatchObject({ state: "PublishFailed", status: "failed" });
      });
    });
  });

  // The reference clients (@alicloud/fc2 publishLayerVersionForBigCode, Serverless Devs fc3) send
  // one PutObject with the lent keys and nothing else; the emulator's lent keys allow nothing else.
  describe.runIf(provider.storage.temporaryBucket)("the cloud's temporary bucket", () => {
    const storeCalls = () => ({ put: calls("PutObject"), head: calls("HeadObject"), parts: calls("UploadPart"), init: calls("InitiateMultipartUpload") });

    it("takes a zip over the inline limit in one streamed PutObject, checked by its CRC-64, then publishes from it", async () => {
      const before = storeCalls();
      const log = recordingLogger();
      const doc = await publishCommand(
        { source: big, provider: [profile.provider], region: [profile.region], name: layerName(), runtime: [profile.runtimes.canonical[0]!], timeout: "60" },
        { env, log },
      );
      expect(doc.results[0]!.error).toBeUndefined();
      expect(doc.results[0]).toMatchObject({ status: "published", upload: "storage" });
      const after = storeCalls();
      expect({ put: after.put - before.put, head: after.head - before.head, parts: after.parts - before.parts, init: after.init - before.init }).toEqual({
        put: 1,
        head: 0,
        parts: 0,
        init: 0,
      });
      expect(log.lines.some((l) => l.startsWith("debug: ") && l.includes("CRC-64 in the PutObject answer"))).toBe(true);
    });

    it("retries a reset PutObject, and refuses an upload whose CRC-64 differs, before any layer call", async () => {
      emu.faults.add({ provider: profile.provider, action: "PutObject", kind: "reset", times: 1 });
      const puts = calls("PutObject");
      const ok = await publish(small, { upload: "storage" });
      expect(ok.results[0]).toMatchObject({ status: "published", upload: "storage" });
      expect(calls("PutObject") - puts).toBe(2);
      emu.faults.add({ provider: profile.provider, action: "PutObject", kind: "bad-checksum", times: 1 });
      const creates = calls(profile.publishLayerAction);
      const bad = await publish(small, { upload: "storage" });
      expect(bad.results[0]).toMatchObject({ status: "failed", error: { code: "ChecksumMismatch" } });
      expect(calls(profile.publishLayerAction)).toBe(creates);
    });
  });

  it("surfaces a wrong secret as the store's signature error, without the secret", async () => {
    const saved = env;
    env = { ...env, [provider.credentialVariables[1]!]: "wrong-secret-value" };
    try {
      const doc = await publish(small, { upload: "storage", bucket: [profile.storage.bucket] });
      expect(doc.results[0]).toMatchObject({ status: "failed", error: { code: "SignatureDoesNotMatch" } });
      expect(JSON.stringify(doc)).not.toContain("wrong-secret-value");
    } finally {
      env = saved;
    }
  });

  it("takes the bucket from the environment variable", async () => {
    const saved = env;
    env = { ...env, [provider.storage.bucketVariable]: profile.storage.bucket };
    try {
      const doc = await publish(small, { upload: "storage" });
      expect(doc.results[0]).toMatchObject({ status: "published", staged: { bucket } });
    } finally {
      env = saved;
    }
  });

  it.runIf(provider.limits.maxUnzippedBytes !== null)("checks the unzipped limit of a staged layer before any call", async () => {
    // One byte over the limit, of zeros (a sparse file: no disk used; the zip of it is small).
    const dir = path.join(await tempDir(), "huge");
    await mkdir(path.join(dir, "python"), { recursive: true });
    await writeFile(path.join(dir, "python", "zeros.bin"), "");
    await truncate(path.join(dir, "python", "zeros.bin"), provider.limits.maxUnzippedBytes! + 1);
    const before = JSON.stringify(emu.faults.counts());
    const err = await publish(dir, { upload: "storage", bucket: [profile.storage.bucket] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).code).toBe("UnzippedTooLarge");
    expect(JSON.stringify(emu.faults.counts())).toBe(before);
  });
});
