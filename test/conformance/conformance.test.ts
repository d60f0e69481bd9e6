// The same scenarios against every provider adapter, through the real SDKs over real HTTP to the
// emulator. Provider differences are data (profiles) and capabilities (features), never names.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CloudError, type LayerctlError, UsageError } from "../../src/errors.js";
import { emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { providers } from "../../src/providers/index.js";
import type { ConnectOptions, LayerArchive, Provider, ProviderClient, PublishLayerRequest, RetryPolicy } from "../../src/providers/types.js";
import { silentLogger } from "../../src/output/log.js";
import { Traffic } from "../../src/providers/traffic.js";
import { makeArchive } from "../helpers/archive.js";
import { profiles } from "./profiles.js";
import { startEmulator, useEmulator } from "../helpers/emulator.js";
import { connectTo } from "../helpers/connect.js";

const fastRetry: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
const publishOpts = { wait: true, waitTimeoutMs: 10_000, pollIntervalMs: 5 };

describe.each(profiles)("conformance: $provider", (profile) => {
  const provider: Provider = providers[profile.provider];
  let emu: RunningEmulator;
  let archive: LayerArchive & { bytes: Buffer };
  let other: LayerArchive & { bytes: Buffer };
  let layerSeq = 0;
  const layerName = () => `conf${profile.provider}${++layerSeq}`;

  async function connect(overrides: Partial<ConnectOptions> = {}, env: Record<string, string> = {}): Promise<ProviderClient> {
    return connectTo(provider, emu, profile.region, { retry: fastRetry, ...overrides }, env);
  }

  function request(name: string, zip = archive, extra: Partial<PublishLayerRequest> = {}): PublishLayerRequest {
    return { layerName: name, archive: zip, runtimes: profile.runtimes.native, architectures: [], description: "conformance", license: "MIT", ...extra };
  }

  function calls(action?: string): number {
    return Object.entries(emu.faults.counts())
      .filter(([k]) => k.startsWith(`${profile.provider}:`) && (action === undefined || k === `${profile.provider}:${action}`))
      .reduce((n, [, v]) => n + v, 0);
  }

  async function cloudError(p: Promise<unknown>): Promise<CloudError> {
    const err = await p.then(
      () => {
        throw new Error("expected a CloudError, got success");
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CloudError);
    return err as CloudError;
  }

  useEmulator({ functions: [{ provider: profile.provider, name: profile.functionName, namespace: profile.namespace }] }, (started) => {
    emu = started;
  });
  beforeAll(async () => {
    archive = await makeArchive();
    other = await makeArchive({ "python/other.py": "x = 1\n" });
  });
  beforeEach(() => {
    emu.faults.clear();
    emu.faults.setRateLimit(null);
  });

  describe("runtimes and validation (no call made)", () => {
    it("maps canonical runtime spellings to the provider's ids", () => {
      expect(provider.resolveRuntimes(profile.runtimes.canonical)).toEqual(profile.runtimes.native);
      // native ids are accepted for their own provider
      expect(provider.resolveRuntimes(profile.runtimes.native)).toEqual(profile.runtimes.native);
    });

    it("rejects an unknown runtime with the list of what exists", () => {
      const err = catchSync(() => provider.resolveRuntimes([profile.unknownRuntime]));
      expect(err).toBeInstanceOf(UsageError);
      expect(err.message).toContain(profile.unknownRuntime);
      expect(err.hint).toContain(profile.runtimes.native[0]);
    });

    const spec = { layerName: "ok-name", runtimes: ["x"], architectures: [] as string[], size: 1000 };
    it.each([
      ["a bad layer name", { layerName: "" }, "InvalidLayerName"],
      ["a bad layer name (provider rule)", "invalidName", "InvalidLayerName"],
      ["too many runtimes", { runtimes: Array.from({ length: 60 }, (_, i) => `r${i}`) }, "TooManyRuntimes"],
      ["a zip over the inline limit", { size: provider.limits.maxZipBytes + 1 }, "ZipTooLarge"],
      ["a description over the limit", { description: "d".repeat(provider.limits.maxDescriptionLength + 1) }, "DescriptionTooLong"],
      ["no runtime", { runtimes: [] }, "MissingRuntime"],
    ])("rejects %s before any call", (_label, change, code) => {
      const before = calls();
      const patch = change === "invalidName" ? { layerName: profile.invalidLayerName } : change;
      const err = catchSync(() => provider.validateLayer({ ...spec, ...(patch as object) }));
      expect(err).toBeInstanceOf(UsageError);
      expect(err.code).toBe(code);
      expect(calls()).toBe(before);
    });

    it("warns instead of failing on --arch for a provider without architectures, and checks it where they exist", () => {
      if (provider.limits.architectures === null) {
        expect(provider.validateLayer({ ...spec, architectures: ["arm64"] })).toEqual([expect.stringContaining("arm64")]);
      } else {
        expect(provider.validateLayer({ ...spec, architectures: ["arm64"] })).toEqual([]);
        expect(catchSync(() => provider.validateLayer({ ...spec, architectures: ["sparc"] })).code).toBe("InvalidArchitecture");
      }
    });

    it("names the credential variables when credentials are missing", async () => {
      const err = await provider.resolveCredentials(isolatedEnv(), {}).then(
        () => null,
        (e: unknown) => e as LayerctlError,
      );
      expect(err).toBeInstanceOf(UsageError);
      expect(err!.message + (err!.hint ?? "")).toContain(provider.credentialVariables[0]!);
    });
  });

  describe("publish, read back, list", () => {
    it("publishes a layer version and returns the normalized record", async () => {
      const client = await connect();
      const name = layerName();
      const rec = await client.publishLayer(request(name), publishOpts);
      expect(rec).toMatchObject({
        provider: profile.provider,
        region: profile.region,
        layerName: name,
        version: 1,
        status: "published",
        state: "Active",
        codeSha256: archive.sha256,
        codeSize: archive.size,
        compatibleRuntimes: profile.runtimes.native,
        description: "conformance",
        license: "MIT",
      });
      expect(rec.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
      expect(Math.abs(Date.parse(rec.createdAt!) - Date.now())).toBeLessThan(5 * 60_000);
      expect(rec.requestId).toBeTruthy();
      if (profile.arnPattern) expect(rec.arn).toMatch(profile.arnPattern(name, 1, profile.region));
      else expect(rec.arn).toBeNull();
      expect(rec.error).toBeUndefined();
    });

    it("counts versions up and reads each back with get and list (newest first)", async () => {
      const client = await connect();
      const name = layerName();
      const v1 = await client.publishLayer(request(name), publishOpts);
      const v2 = await client.publishLayer(request(name, other), publishOpts);
      expect([v1.version, v2.version]).toEqual([1, 2]);

      const got = await client.getLayerVersion(name, 2);
      expect(got).toMatchObject({ layerName: name, version: 2, codeSize: other.size, compatibleRuntimes: profile.runtimes.native, state: "Active" });
      expect(got.codeSha256).toBe(other.sha256);
      expect(got.location).toMatch(/^https?:\/\//);
      const downloaded = Buffer.from(await (await fetch(got.location!)).arrayBuffer());
      expect(downloaded.equals(other.bytes)).toBe(true);

      const list = await client.listLayerVersions(name);
      expect(list.map((r) => r.version)).toEqual([2, 1]);
    });

    it("finds an unchanged newest version, and not a changed one", async () => {
      const client = await connect();
      const name = layerName();
      expect(await client.findUnchanged(request(name))).toBeNull();
      await client.publishLayer(request(name), publishOpts);
      const same = await client.findUnchanged(request(name));
      expect(same).toMatchObject({ version: 1, status: "unchanged", codeSha256: archive.sha256 });
      expect(await client.findUnchanged(request(name, other))).toBeNull();
    });

    it("reports an unknown layer version with the provider's code and request id", async () => {
      const client = await connect();
      const err = await cloudError(client.getLayerVersion(layerName(), 7));
      expect(err.code).toBe(profile.codes.layerVersionNotFound);
      expect(err.requestId).toBeTruthy();
      expect(err.exitCode).toBe(1);
    });
  });

  describe("function versions", () => {
    it("publishes a version of an existing function", async () => {
      const client = await connect();
      const rec = await client.publishFunctionVersion({ functionName: profile.functionName, description: "release 1", namespace: profile.namespace });
      expect(rec).toMatchObject({ provider: profile.provider, region: profile.region, functionName: profile.functionName, version: "1" });
      expect(rec.requestId).toBeTruthy();
      const again = await client.publishFunctionVersion({ functionName: profile.functionName, namespace: profile.namespace });
      expect(again.version).toBe(profile.unchangedFunctionKeepsVersion ? "1" : "2");
    });

    it("reports an unknown function with the provider's code", async () => {
      const client = await connect();
      const err = await cloudError(client.publishFunctionVersion({ functionName: "no-such-function", namespace: profile.namespace }));
      expect(err.code).toBe(profile.codes.functionNotFound);
      expect(err.requestId).toBeTruthy();
    });
  });

  describe("authentication", () => {
    it("surfaces a wrong secret as the provider's signature error, without the secret", async () => {
      const env = wrongSecretEnv(provider);
      const client = await connect({}, env);
      const err = await cloudError(client.getLayerVersion("whatever", 1));
      expect(err.code).toBe(profile.codes.badSignature);
      expect(JSON.stringify({ m: err.message, h: err.hint })).not.toContain("wrong-secret-value");
    });

    it("surfaces an unknown key id as the provider's auth error", async () => {
      const client = await connect({}, unknownKeyEnv(provider));
      const err = await cloudError(client.getLayerVersion("whatever", 1));
      expect(err.code).toBe(profile.codes.unknownKey);
    });
  });

  describe("faults", () => {
    it("fails when the cloud reports a checksum that differs from ours", async () => {
      const client = await connect();
      emu.faults.add({ provider: profile.provider, action: "*", kind: "bad-checksum" });
      const err = await cloudError(client.publishLayer(request(layerName()), publishOpts));
      expect(err.code).toBe("ChecksumMismatch");
    });

    it("times out a call that never answers, with an explicit timeout", async () => {
      const client = await connect({ requestTimeoutMs: 300, retry: { ...fastRetry, maxAttempts: 1 } });
      emu.faults.add({ provider: profile.provider, action: "*", kind: "hang" });
      const t0 = Date.now();
      const err = await cloudError(client.getLayerVersion("hangs", 1));
      expect(err.code).toBe("RequestTimeout");
      expect(err.retryable).toBe(true);
      expect(Date.now() - t0).toBeLessThan(5_000);
    });

    // Each failed call and the retry that succeeds (a get may also follow a download link, which is not an API call).
    it.each([
      // title, fault, how many times, calls expected
      ["retries throttling with backoff and then succeeds", "throttle", 2, 3],
      ["retries a connection reset", "reset", 1, 2],
    ] as const)("%s", async (_title, kind, times, expectedCalls) => {
      const client = await connect();
      const name = layerName();
      await client.publishLayer(request(name), publishOpts);
      const before = calls();
      emu.faults.add({ provider: profile.provider, action: "*", kind, times });
      const rec = await client.getLayerVersion(name, 1);
      expect(rec.version).toBe(1);
      expect(calls() - before).toBe(expectedCalls);
    });

    it("gives up on a persistent server error after the bounded attempts, keeping the provider's code", async () => {
      const client = await connect();
      const before = calls();
      emu.faults.add({ provider: profile.provider, action: "*", kind: "server-error" });
      const err = await cloudError(client.getLayerVersion("broken", 1));
      expect(err.code).toBe(profile.codes.serverError);
      expect(err.retryable).toBe(true);
      expect(calls() - before).toBe(fastRetry.maxAttempts);
    });

    it("reports persistent throttling with the provider's throttling code", async () => {
      const client = await connect();
      emu.faults.add({ provider: profile.provider, action: "*", kind: "throttle" });
      const err = await cloudError(client.getLayerVersion("throttled", 1));
      expect(err.code).toBe(profile.codes.throttled);
    });

    it("never repeats a publish whose answer was lost (the version may exist), and says it may be retried", async () => {
      const client = await connect();
      const name = layerName();
      const before = calls();
      emu.faults.add({ provider: profile.provider, action: "*", kind: "lost-response", times: 1 });
      const err = await cloudError(client.publishLayer(request(name), publishOpts));
      expect(err.retryable).toBe(true);
      expect(err.unprocessed).toBe(false);
      expect(calls() - before).toBe(1);
      expect((await client.listLayerVersions(name)).map((r) => r.version)).toEqual([1]);
    });

    it("repeats a publish that was throttled (it certainly had no effect)", async () => {
      const client = await connect();
      const name = layerName();
      emu.faults.add({ provider: profile.provider, action: "*", kind: "throttle", times: 2 });
      const rec = await client.publishLayer(request(name), publishOpts);
      expect(rec.version).toBe(1);
      expect((await client.listLayerVersions(name)).map((r) => r.version)).toEqual([1]);
    });

    it("turns a rate limit into throttling that the retries absorb", async () => {
      // Jittered retries against a real one-second window: enough attempts that chance cannot
      // exhaust them (the window frees after 1 s; 30 attempts of up to 1 s span far more).
      const client = await connect({ retry: { maxAttempts: 30, baseDelayMs: 200, maxDelayMs: 1_000 } });
      const name = layerName();
      await client.publishLayer(request(name), publishOpts);
      emu.faults.setRateLimit(2);
      const results = await Promise.all([1, 2, 3, 4].map(() => client.getLayerVersion(name, 1)));
      expect(results.map((r) => r.version)).toEqual([1, 1, 1, 1]);
    });

    // Counted, not timed: a call the emulator turns away is retried, so it shows as an extra call.
    it.skipIf(provider.limits.requestRate === null)("paces a burst below the documented rate: no call is turned away", async () => {
      const rate = provider.limits.requestRate!;
      const retry = { maxAttempts: 30, baseDelayMs: 200, maxDelayMs: 1_000 };
      const name = layerName();
      await (await connect()).publishLayer(request(name), publishOpts);
      emu.faults.setRateLimit(rate.perSecond);
      const burst = rate.perSecond + 5;
      const paced = await connect({ retry, traffic: new Traffic().forTarget(profile.provider, profile.region, rate) });
      let before = calls("GetLayerVersion");
      await Promise.all(Array.from({ length: burst }, () => paced.getLayerVersion(name, 1)));
      expect(calls("GetLayerVersion") - before).toBe(burst);
      // A burst unpaced is turned away in part, so the count above can fail. (Another action: the
      // emulator counts its window per action, and this one is still fresh.)
      const unpaced = await connect({ retry });
      before = calls("ListLayerVersions");
      await Promise.all(Array.from({ length: burst }, () => unpaced.listLayerVersions(name)));
      expect(calls("ListLayerVersions") - before).toBeGreaterThan(burst);
    });
  });

  describe("faults below the API (stalled, truncated and gateway answers)", () => {
    it("ends an attempt whose answer stalls after the headers at its timeout, body included", async () => {
      const client = await connect({ requestTimeoutMs: 300, retry: { ...fastRetry, maxAttempts: 1 } });
      emu.faults.add({ provider: profile.provider, action: "*", kind: "stall" });
      const t0 = Date.now();
      const err = await cloudError(client.listLayerVersions(layerName()));
      expect(err.code).toBe("RequestTimeout");
      expect(err.retryable).toBe(true);
      expect(err.unprocessed).toBe(false);
      expect(Date.now() - t0).toBeLessThan(3_000);
    });

    it("retries a read whose answer stalled, within the same call", async () => {
      const client = await connect({ requestTimeoutMs: 300 });
      const name = layerName();
      await client.publishLayer(request(name), publishOpts);
      const before = calls("ListLayerVersions");
      emu.faults.add({ provider: profile.provider, action: "ListLayerVersions", kind: "stall", times: 1 });
      expect((await client.listLayerVersions(name)).map((r) => r.version)).toEqual([1]);
      expect(calls("ListLayerVersions") - before).toBe(2);
    });

    it.each(["stall", "truncate"] as const)("never repeats a publish whose answer was %s (ambiguous: the version exists)", async (kind) => {
      const client = await connect({ requestTimeoutMs: 1_000 });
      const name = layerName();
      const before = calls();
      emu.faults.add({ provider: profile.provider, action: "*", kind, times: 1 });
      const err = await cloudError(client.publishLayer(request(name), publishOpts));
      expect(err.retryable).toBe(true);
      expect(err.unprocessed).toBe(false);
      expect(calls() - before).toBe(1);
      expect((await client.listLayerVersions(name)).map((r) => r.version)).toEqual([1]);
    });

    it("retries a read whose answer was truncated", async () => {
      const client = await connect({ requestTimeoutMs: 1_000 });
      const name = layerName();
      await client.publishLayer(request(name), publishOpts);
      const before = calls("ListLayerVersions");
      emu.faults.add({ provider: profile.provider, action: "ListLayerVersions", kind: "truncate", times: 1 });
      expect((await client.listLayerVersions(name)).map((r) => r.version)).toEqual([1]);
      expect(calls("ListLayerVersions") - before).toBe(2);
    });

    it("retries a gateway's HTML 502 like any 5xx (the status decides, not the body)", async () => {
      const client = await connect();
      const name = layerName();
      await client.publishLayer(request(name), publishOpts);
      const before = calls("ListLayerVersions");
      emu.faults.add({ provider: profile.provider, action: "ListLayerVersions", kind: "html-error", times: 2 });
      expect((await client.listLayerVersions(name)).map((r) => r.version)).toEqual([1]);
      expect(calls("ListLayerVersions") - before).toBe(3);
    });

    it("does not repeat a publish answered by a gateway's HTML 502 (it may have been carried out)", async () => {
      const client = await connect();
      const name = layerName();
      const before = calls();
      emu.faults.add({ provider: profile.provider, action: "*", kind: "html-error" });
      const err = await cloudError(client.publishLayer(request(name), publishOpts));
      expect(err.retryable).toBe(true);
      expect(err.unprocessed).toBe(false);
      expect(calls() - before).toBe(1);
    });
  });

  describe("asynchronous publishing", () => {
    it.runIf(provider.features.asyncPublish)("returns at once with the lifecycle state when not waiting", async () => {
      const slow = await startEmulator({ tencentPublishDelayMs: 60_000 });
      try {
        const credentials = await provider.resolveCredentials(emulatorEnv(slow.credentials, slow.url), {});
        const client = await provider.connect({ region: profile.region, endpoint: slow.url, credentials, requestTimeoutMs: 5_000, retry: fastRetry, log: silentLogger });
        const rec = await client.publishLayer(request(layerName()), { ...publishOpts, wait: false });
        expect(rec).toMatchObject({ version: 1, status: "published", state: "Publishing" });
        const timedOut = await cloudError(client.publishLayer(request(layerName()), { ...publishOpts, waitTimeoutMs: 50 }));
        expect(timedOut.code).toBe("PublishTimeout");
        expect(timedOut.message).toContain("1");
      } finally {
        await slow.close();
      }
    });

    it.runIf(provider.features.asyncPublish)("fails when the version ends in a failed state, and reads it back as failed", async () => {
      const client = await connect();
      const name = layerName();
      emu.faults.add({ provider: profile.provider, action: "*", kind: "publish-failed" });
      const err = await cloudError(client.publishLayer(request(name), publishOpts));
      expect(err.code).toBe("PublishFailed");
      expect(err.version).toBe(1);
      emu.faults.clear();
      expect(await client.getLayerVersion(name, 1)).toMatchObject({ version: 1, status: "failed" });
    });
  });
});

function catchSync(fn: () => unknown): LayerctlError {
  try {
    fn();
  } catch (e) {
    return e as LayerctlError;
  }
  throw new Error("expected an error");
}

/** An environment with no credentials anywhere, and no way for an SDK to look beyond loopback. */
function isolatedEnv(): Record<string, string> {
  return { AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: "/nonexistent/layerctl-config", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/layerctl-credentials" };
}

// credentialVariables is documented as [key id, secret, token...]: the scenarios need no provider names.
function wrongSecretEnv(provider: Provider): Record<string, string> {
  return { [provider.credentialVariables[1]!]: "wrong-secret-value" };
}

function unknownKeyEnv(provider: Provider): Record<string, string> {
  return { [provider.credentialVariables[0]!]: "AKIDunknownKeyId0000000000000000" };
}
