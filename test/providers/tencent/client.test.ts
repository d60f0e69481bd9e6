// Tencent-specific adapter behaviour against the emulator (the shared scenarios live in
// test/conformance): asynchronous publishing, polling, China time, sizes, namespaces, regions.
import { beforeEach, describe, expect, it } from "vitest";
import { CloudError, UsageError } from "../../../src/errors.js";
import { start, type RunningEmulator } from "../../../src/emulator/index.js";
import { silentLogger, type Logger } from "../../../src/output/log.js";
import { tencentProvider as provider } from "../../../src/providers/tencent/index.js";
import { httpProfile } from "../../../src/providers/tencent/sdk.js";
import type { ConnectOptions, LayerArchive, ProviderClient, PublishLayerRequest } from "../../../src/providers/types.js";
import { sdkClient, sha256Hex, tinyZip } from "../../emulator/tencent/helpers.js";
import { startEmulator, useEmulator } from "../../helpers/emulator.js";
import { connectTo } from "../../helpers/connect.js";

const archiveOf = (bytes: Buffer): LayerArchive => ({ bytes, sha256: sha256Hex(bytes), size: bytes.length });
const A = archiveOf(tinyZip("adapter-a"));
const B = archiveOf(tinyZip("adapter-b"));
const wait = { wait: true, waitTimeoutMs: 5_000, pollIntervalMs: 5 };

let emu: RunningEmulator;
let seq = 0;
const fresh = () => `adapter${++seq}`;
const req = (layerName: string, archive = A, extra: Partial<PublishLayerRequest> = {}): PublishLayerRequest => ({
  layerName,
  archive,
  runtimes: ["Python3.9"],
  architectures: [],
  ...extra,
});

async function connect(target: RunningEmulator = emu, overrides: Partial<ConnectOptions> = {}): Promise<ProviderClient> {
  return connectTo(provider, target, "ap-guangzhou", { requestTimeoutMs: 5_000, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, ...overrides });
}

const calls = (e: RunningEmulator, action: string) => e.faults.counts()[`tencent:${action}`] ?? 0;

useEmulator(
  {
    functions: [
      { provider: "tencent", name: "api", namespace: "team" },
      { provider: "tencent", name: "jobs", namespace: "team" },
    ],
  },
  (started) => {
    emu = started;
  },
);
beforeEach(() => emu.faults.clear());

describe("the upload budget", () => {
  it("an inline publish holds three copies of its base64 JSON against the budget; a read holds none", async () => {
    // The SDK builds the body text, the text it signs and the bytes it writes: the run's upload
    // budget counts them, so 20 MB zips to many Tencent regions are not all in memory at once.
    const gates: Array<[string, number]> = [];
    const traffic = {
      gate: async (action: string, bytes: number) => {
        gates.push([action, bytes]);
        return () => {};
      },
    };
    const client = await connect(emu, { traffic });
    const name = fresh();
    await client.publishLayer(req(name), wait);
    const base64 = Math.ceil((A.size * 4) / 3);
    expect(gates.filter(([action]) => action === "PublishLayerVersion")).toEqual([["PublishLayerVersion", 3 * base64]]);
    expect(gates.filter(([action]) => action !== "PublishLayerVersion").every(([, bytes]) => bytes === 0)).toBe(true);
  });
});

describe("publishLayer", () => {
  it("without waiting: one call, state Publishing, our checksum and size", async () => {
    const client = await connect();
    const before = calls(emu, "GetLayerVersion");
    const rec = await client.publishLayer(req(fresh(), A, { description: "d", license: "MIT" }), { ...wait, wait: false });
    expect(rec).toMatchObject({ version: 1, state: "Publishing", status: "published", codeSha256: A.sha256, codeSize: A.size, description: "d", license: "MIT", arn: null });
    expect(rec.requestId).toBeTruthy();
    expect(calls(emu, "GetLayerVersion")).toBe(before);
  });

  it("waiting: polls GetLayerVersion until Active and converts China time to UTC", async () => {
    // Every read of the emulator's clock moves it 20 ms on: Active comes after a fixed number of
    // calls (a few polls), however fast or slow the machine is.
    const base = Date.now();
    let reads = 0;
    const slow = await startEmulator({ tencentPublishDelayMs: 150, now: () => new Date(base + 20 * reads++) });
    try {
      const client = await connect(slow);
      const name = fresh();
      const rec = await client.publishLayer(req(name), { ...wait, pollIntervalMs: 10 });
      expect(rec).toMatchObject({ version: 1, state: "Active", codeSha256: A.sha256 });
      expect(calls(slow, "GetLayerVersion")).toBeGreaterThan(1);
      const raw = await sdkClient(slow).GetLayerVersion({ LayerName: name, LayerVersion: 1 });
      expect(rec.createdAt).toBe(new Date(`${raw.AddTime!.replace(" ", "T")}+08:00`).toISOString());
    } finally {
      await slow.close();
    }
  });

  it("fails with PublishFailed, naming the version and keeping the publish request id", async () => {
    const client = await connect();
    emu.faults.add({ provider: "tencent", action: "PublishLayerVersion", kind: "publish-failed", times: 1 });
    const name = fresh();
    const err = (await client.publishLayer(req(name), wait).catch((e: unknown) => e)) as CloudError;
    expect(err).toBeInstanceOf(CloudError);
    expect(err.code).toBe("PublishFailed");
    expect(err.message).toContain(`${name} version 1`);
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.retryable).toBe(false);
    expect(err.version).toBe(1);
  });

  it("names the version when the stored checksum is not ours", async () => {
    const client = await connect();
    emu.faults.add({ provider: "tencent", action: "PublishLayerVersion", kind: "bad-checksum", times: 1 });
    const err = (await client.publishLayer(req(fresh()), wait).catch((e: unknown) => e)) as CloudError;
    expect(err).toMatchObject({ code: "ChecksumMismatch", version: 1, provider: "tencent" });
  });

  it("retries polls that fail within the wait budget, then names the version and the last poll's failure", async () => {
    const client = await connect(emu, { requestTimeoutMs: 300, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    emu.faults.add({ provider: "tencent", action: "GetLayerVersion", kind: "hang" });
    const name = fresh();
    const before = calls(emu, "GetLayerVersion");
    const err = (await client.publishLayer(req(name), { ...wait, waitTimeoutMs: 2_500 }).catch((e: unknown) => e)) as CloudError;
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({ code: "PublishTimeout", version: 1, provider: "tencent" });
    expect(err.message).toContain(`${name} version 1`);
    expect(err.message).toContain("RequestTimeout");
    // maxAttempts 1 does not bound polls: they are reads, retried until the budget is spent.
    expect(calls(emu, "GetLayerVersion") - before).toBeGreaterThan(1);
  });

  it("does not repeat a publish whose outcome is unknown (timeout, 5xx): no duplicate versions", async () => {
    const client = await connect(emu, { requestTimeoutMs: 1_000 }); // room for the request to reach the emulator on a busy machine
    const name = fresh();
    const before = calls(emu, "PublishLayerVersion");
    emu.faults.add({ provider: "tencent", action: "PublishLayerVersion", kind: "latency", latencyMs: 4_000, times: 1 });
    const timedOut = (await client.publishLayer(req(name), wait).catch((e: unknown) => e)) as CloudError;
    expect(timedOut).toMatchObject({ code: "RequestTimeout", retryable: true, unprocessed: false });
    expect(calls(emu, "PublishLayerVersion")).toBe(before + 1);

    emu.faults.add({ provider: "tencent", action: "PublishLayerVersion", kind: "server-error", times: 1 });
    const failed = (await client.publishLayer(req(name), wait).catch((e: unknown) => e)) as CloudError;
    expect(failed).toMatchObject({ code: "InternalError", retryable: true, unprocessed: false });
    expect(calls(emu, "PublishLayerVersion")).toBe(before + 2);

    const fnBefore = calls(emu, "PublishVersion");
    emu.faults.add({ provider: "tencent", action: "PublishVersion", kind: "latency", latencyMs: 4_000, times: 1 });
    const fnErr = (await client.publishFunctionVersion({ functionName: "jobs", namespace: "team" }).catch((e: unknown) => e)) as CloudError;
    expect(fnErr).toMatchObject({ code: "RequestTimeout" });
    expect(calls(emu, "PublishVersion")).toBe(fnBefore + 1);
  });

  it("retries even a publish after a refused connection: it certainly had no effect", async () => {
    const dead = await start({ port: 0 });
    const url = dead.url;
    await dead.close();
    const lines: string[] = [];
    const client = await connect(emu, { endpoint: url, log: { ...silentLogger, debug: (m) => lines.push(m) } });
    const err = (await client.publishLayer(req(fresh()), wait).catch((e: unknown) => e)) as CloudError;
    expect(err).toMatchObject({ code: "NetworkError", retryable: true, unprocessed: true });
    expect(lines.filter((l) => /^tencent PublishLayerVersion: attempt \d of \d+ failed \(NetworkError\)/.test(l))).toHaveLength(2);
  });

  it("repeats a throttled publish (it certainly had no effect) and publishes once", async () => {
    const client = await connect();
    const name = fresh();
    const before = calls(emu, "PublishLayerVersion");
    emu.faults.add({ provider: "tencent", action: "PublishLayerVersion", kind: "throttle", times: 2 });
    expect(await client.publishLayer(req(name), wait)).toMatchObject({ version: 1, state: "Active" });
    expect(calls(emu, "PublishLayerVersion")).toBe(before + 3);
    expect((await client.listLayerVersions(name)).map((v) => v.version)).toEqual([1]);

    const fnBefore = calls(emu, "PublishVersion");
    emu.faults.add({ provider: "tencent", action: "PublishVersion", kind: "throttle", times: 2 });
    expect((await client.publishFunctionVersion({ functionName: "jobs", namespace: "team" })).version).toBeTruthy();
    expect(calls(emu, "PublishVersion")).toBe(fnBefore + 3);
  });

  it("gives up waiting with PublishTimeout, saying which version to check later", async () => {
    const slow = await startEmulator({ tencentPublishDelayMs: 60_000 });
    try {
      const client = await connect(slow);
      await client.publishLayer(req("first"), { ...wait, wait: false });
      const err = (await client.publishLayer(req("first"), { ...wait, waitTimeoutMs: 40, pollIntervalMs: 10 }).catch((e: unknown) => e)) as CloudError;
      expect(err.code).toBe("PublishTimeout");
      expect(err.message).toContain("version 2");
      expect(err.hint).toContain("version 2");
    } finally {
      await slow.close();
    }
  });

  it("logs each retry at debug level", async () => {
    const lines: string[] = [];
    const log: Logger = { ...silentLogger, debug: (m) => lines.push(m) };
    const client = await connect(emu, { log });
    emu.faults.add({ provider: "tencent", action: "PublishLayerVersion", kind: "throttle", times: 2 });
    await client.publishLayer(req(fresh()), wait);
    expect(lines).toEqual([
      expect.stringMatching(/^tencent PublishLayerVersion: attempt 1 of 3 failed \(RequestLimitExceeded, request id [\w-]+\); retrying in \d+ ms$/),
      expect.stringMatching(/^tencent PublishLayerVersion: attempt 2 of 3 failed \(RequestLimitExceeded/),
    ]);
  });
});

describe("reading back", () => {
  it("gets a version with its size (from the download link) and ISO UTC time", async () => {
    const client = await connect();
    const name = fresh();
    await client.publishLayer(req(name, B, { runtimes: ["Nodejs18.15"] }), wait);
    const rec = await client.getLayerVersion(name, 1);
    expect(rec).toMatchObject({ provider: "tencent", layerName: name, version: 1, codeSize: B.size, codeSha256: B.sha256, compatibleRuntimes: ["Nodejs18.15"], state: "Active" });
    expect(rec.createdAt).toMatch(/Z$/);
  });

  it("lists an unknown layer as empty", async () => {
    expect(await (await connect()).listLayerVersions("never-published")).toEqual([]);
  });

  it("keeps regions apart", async () => {
    const name = fresh();
    await (await connect()).publishLayer(req(name), wait);
    const shanghai = await connect(emu, { region: "ap-shanghai" });
    expect(await shanghai.listLayerVersions(name)).toEqual([]);
    expect(((await shanghai.getLayerVersion(name, 1).catch((e: unknown) => e)) as CloudError).code).toBe("ResourceNotFound.LayerVersion");
  });
});

describe("findUnchanged", () => {
  it("needs the same runtimes as well as the same content", async () => {
    const client = await connect();
    const name = fresh();
    await client.publishLayer(req(name, A, { runtimes: ["Python3.9", "Python3.10"] }), wait);
    expect(await client.findUnchanged(req(name, A, { runtimes: ["Python3.10", "Python3.9"] }))).toMatchObject({ version: 1, status: "unchanged" });
    expect(await client.findUnchanged(req(name, A, { runtimes: ["Python3.9"] }))).toBeNull();
  });

  it("waits for an identical version that is still Publishing, as publish waits for its own", async () => {
    const slow = await startEmulator({ tencentPublishDelayMs: 300 });
    try {
      const client = await connect(slow);
      const name = fresh();
      // A run with --no-wait left it Publishing.
      expect(await client.publishLayer(req(name), { ...wait, wait: false })).toMatchObject({ version: 1, state: "Publishing" });
      expect(await client.findUnchanged(req(name), { ...wait, wait: false })).toMatchObject({ version: 1, status: "unchanged", state: "Publishing" });
      const polls = calls(slow, "GetLayerVersion");
      expect(await client.findUnchanged(req(name), { ...wait, pollIntervalMs: 50 })).toMatchObject({ version: 1, status: "unchanged", state: "Active", codeSha256: A.sha256 });
      // Seen Publishing at least once more before Active.
      expect(calls(slow, "GetLayerVersion") - polls).toBeGreaterThanOrEqual(2);
    } finally {
      await slow.close();
    }
  });

  it("skips a newest version that failed to publish", async () => {
    const client = await connect();
    const name = fresh();
    await client.publishLayer(req(name), wait);
    emu.faults.add({ provider: "tencent", action: "PublishLayerVersion", kind: "publish-failed", times: 1 });
    await client.publishLayer(req(name), wait).catch(() => undefined);
    expect((await client.listLayerVersions(name)).map((v) => [v.version, v.state])).toEqual([
      [2, "PublishFailed"],
      [1, "Active"],
    ]);
    expect(await client.findUnchanged(req(name))).toMatchObject({ version: 1, status: "unchanged" });
  });
});

describe("publishFunctionVersion", () => {
  it("passes the namespace and returns the version as a string, without an ARN", async () => {
    const client = await connect();
    const rec = await client.publishFunctionVersion({ functionName: "api", namespace: "team", description: "r1" });
    expect(rec).toEqual({ provider: "tencent", region: "ap-guangzhou", functionName: "api", version: "1", arn: null, description: "r1", requestId: expect.any(String) });
    const err = (await client.publishFunctionVersion({ functionName: "api" }).catch((e: unknown) => e)) as CloudError;
    expect(err.code).toBe("ResourceNotFound.Function");
  });
});

describe("connection settings", () => {
  it("gives the SDK its timeout in seconds and the endpoint without scheme", () => {
    const hp = httpProfile({ endpoint: "http://127.0.0.1:4566", requestTimeoutMs: 2_500 });
    expect(hp).toMatchObject({ endpoint: "127.0.0.1:4566", protocol: "http://", reqTimeout: 2.5 });
    expect(hp.agent).toBeDefined();
    expect(httpProfile({ endpoint: undefined, requestTimeoutMs: 30_000 })).toEqual({ reqTimeout: 30 });
    expect(httpProfile({ endpoint: "https://scf.ap-shanghai.tencentcloudapi.com", requestTimeoutMs: 1_000 })).toEqual({
      endpoint: "scf.ap-shanghai.tencentcloudapi.com",
      protocol: "https://",
      reqTimeout: 1,
    });
  });

  it("rejects an endpoint with a path or another scheme before any call", async () => {
    for (const endpoint of ["http://127.0.0.1:1/api", "ftp://127.0.0.1", "not a url"]) {
      const err = await connect(emu, { endpoint }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UsageError);
    }
  });
});
