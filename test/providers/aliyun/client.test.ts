// The FC 3.0 adapter through the official SDK against the emulator: what is specific to Aliyun
// beyond the shared conformance scenarios.
import { beforeEach, describe, expect, it } from "vitest";
import { CloudError } from "../../../src/errors.js";
import { emulatorEnv, start, type RunningEmulator } from "../../../src/emulator/index.js";
import { crc64Decimal } from "../../../src/archive/crc64.js";
import { aliyunProvider } from "../../../src/providers/aliyun/index.js";
import type { ConnectOptions, LayerArchive, ProviderClient, PublishLayerRequest } from "../../../src/providers/types.js";
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { storedZip } from "../../emulator/aliyun/helpers.js";
import { recordingLogger } from "../../helpers/log.js";
import { assumeRole } from "../../../src/providers/aliyun/sts.js";
import { aliyunStsTarget } from "../../../src/providers/aliyun/sts-target.js";
import { useEmulator } from "../../helpers/emulator.js";
import { connectTo } from "../../helpers/connect.js";

let emu: RunningEmulator;
let seq = 0;
const name = () => `adapter-${++seq}`;
const publishOpts = { wait: true, waitTimeoutMs: 1000, pollIntervalMs: 5 };

function archiveOf(bytes: Buffer): LayerArchive & { bytes: Buffer } {
  return { bytes, sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length };
}
const archive = archiveOf(storedZip({ "python/one.py": "ONE = 1\n" }));
const other = archiveOf(storedZip({ "python/two.py": "TWO = 2\n" }));

async function connect(over: Partial<ConnectOptions> = {}, env: Record<string, string> = {}): Promise<ProviderClient> {
  return connectTo(aliyunProvider, emu, "cn-beijing", { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, log: recordingLogger(), ...over }, env);
}

function req(layerName: string, zip = archive, extra: Partial<PublishLayerRequest> = {}): PublishLayerRequest {
  return { layerName, archive: zip, runtimes: ["python3.10", "python3.9"], architectures: [], ...extra };
}

useEmulator(
  {
    functions: [
      { provider: "aliyun", name: "svc" },
      { provider: "aliyun", name: "jobs" },
    ],
  },
  (started) => {
    emu = started;
  },
);
beforeEach(() => {
  emu.faults.clear();
  emu.faults.setRateLimit(null);
});

describe("publishLayer", () => {
  it("returns the record in the requested region", async () => {
    const client = await connect();
    const layerName = name();
    const rec = await client.publishLayer(req(layerName, archive, { description: "d", license: "MIT" }), publishOpts);
    expect(rec).toMatchObject({
      provider: "aliyun",
      region: "cn-beijing",
      layerName,
      version: 1,
      arn: `acs:fc:cn-beijing:${emu.credentials.aliyun.accountId}:layers/${layerName}/versions/1`,
      status: "published",
      state: "Active",
      codeSha256: archive.sha256,
      codeSize: archive.size,
      compatibleRuntimes: ["python3.10", "python3.9"],
      compatibleArchitectures: [],
      description: "d",
      license: "MIT",
    });
    expect(rec.location).toContain("/_layerctl/blobs/");
    expect(rec.requestId).toMatch(/[0-9a-f-]{36}/);
  });

  it("sends base64 code with our CRC-64, chunked, and names the region in a signed header", async () => {
    const seen: Array<{ headers: http.IncomingHttpHeaders; body: any; url: string }> = [];
    const recorder = http.createServer((rq, rs) => {
      const chunks: Buffer[] = [];
      rq.on("data", (c: Buffer) => chunks.push(c));
      rq.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        seen.push({ headers: rq.headers, body, url: rq.url ?? "" });
        rs.writeHead(200, { "content-type": "application/json", "x-acs-request-id": "rec-1" });
        rs.end(
          JSON.stringify({
            layerName: "rec",
            version: 1,
            layerVersionArn: "acs:fc:eu-central-1:1234567890:layers/rec/versions/1",
            codeChecksum: body.code.checksum,
            codeSize: 1,
            compatibleRuntime: body.compatibleRuntime,
            createTime: "2024-01-02T03:04:05Z",
          }),
        );
      });
    });
    await new Promise<void>((r) => recorder.listen(0, "127.0.0.1", r));
    try {
      const port = (recorder.address() as AddressInfo).port;
      const rec = await (await connect({ endpoint: `http://127.0.0.1:${port}`, region: "eu-central-1" })).publishLayer(req("rec"), publishOpts);
      expect(rec).toMatchObject({ version: 1, createdAt: "2024-01-02T03:04:05.000Z", requestId: "rec-1" });
      const [call] = seen;
      expect(call!.url).toBe("/2023-03-30/layers/rec/versions");
      expect(call!.body.code).toEqual({ zipFile: archive.bytes.toString("base64"), checksum: crc64Decimal(archive.bytes) });
      expect(call!.headers["transfer-encoding"]).toBe("chunked");
      expect(call!.headers["x-acs-region-id"]).toBe("eu-central-1");
      expect(call!.headers["x-acs-action"]).toBe("CreateLayerVersion");
      expect(String(call!.headers.authorization)).toMatch(/^ACS3-HMAC-SHA256 Credential=\S+,SignedHeaders=[^,]*x-acs-region-id/);
    } finally {
      await new Promise<void>((r) => recorder.close(() => r()));
    }
  });

  it("leaves description and license null when not given", async () => {
    const rec = await (await connect()).publishLayer(req(name()), publishOpts);
    expect(rec).toMatchObject({ description: null, license: null });
  });

  it("publishes with STS credentials (the token is sent and signed); a made-up token is refused", async () => {
    const env = emulatorEnv(emu.credentials, emu.url);
    const base = { keyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID!, secret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET! };
    const sts = await assumeRole(base, { roleArn: "acs:ram::1234567890123456:role/publisher", session: "adapter-test" }, aliyunStsTarget(env));
    const client = await connect({}, { ALIBABA_CLOUD_ACCESS_KEY_ID: sts.keyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sts.secret, ALIBABA_CLOUD_SECURITY_TOKEN: sts.token! });
    expect((await client.publishLayer(req(name()), publishOpts)).version).toBe(1);
    const forged = await connect({}, { ALIBABA_CLOUD_SECURITY_TOKEN: "sts-token-for-test" });
    expect(await forged.publishLayer(req(name()), publishOpts).catch((e: unknown) => e)).toMatchObject({ code: "InvalidSecurityToken.MismatchWithAccessKey" });
  });

  it("fails with ChecksumMismatch and the request id when FC reports another CRC-64, naming the version that exists", async () => {
    emu.faults.add({ provider: "aliyun", action: "CreateLayerVersion", kind: "bad-checksum" });
    const layerName = name();
    const err = (await (await connect()).publishLayer(req(layerName), publishOpts).catch((e: unknown) => e)) as CloudError;
    expect(err).toBeInstanceOf(CloudError);
    expect(err.code).toBe("ChecksumMismatch");
    expect(err.message).toContain(crc64Decimal(archive.bytes));
    expect(err.requestId).toMatch(/[0-9a-f-]{36}/);
    expect(err.version).toBe(1);
    expect(err.arn).toBe(`acs:fc:cn-beijing:${emu.credentials.aliyun.accountId}:layers/${layerName}/versions/1`);
  });

  it("does not repeat a publish whose outcome is unknown (timeout, 5xx): no duplicate versions", async () => {
    const client = await connect({ requestTimeoutMs: 1_000 }); // room for the request to reach the emulator on a busy machine
    const count = (action: string) => emu.faults.counts()[`aliyun:${action}`] ?? 0;
    const layerName = name();
    const before = count("CreateLayerVersion");
    emu.faults.add({ provider: "aliyun", action: "CreateLayerVersion", kind: "latency", latencyMs: 4_000, times: 1 });
    const timedOut = (await client.publishLayer(req(layerName), publishOpts).catch((e: unknown) => e)) as CloudError;
    expect(timedOut).toMatchObject({ code: "RequestTimeout", retryable: true, unprocessed: false });
    expect(count("CreateLayerVersion")).toBe(before + 1);

    emu.faults.add({ provider: "aliyun", action: "CreateLayerVersion", kind: "server-error", times: 1 });
    const failed = (await client.publishLayer(req(layerName), publishOpts).catch((e: unknown) => e)) as CloudError;
    expect(failed).toMatchObject({ retryable: true, unprocessed: false, httpStatus: 500 });
    expect(count("CreateLayerVersion")).toBe(before + 2);

    const fnBefore = count("PublishFunctionVersion");
    emu.faults.add({ provider: "aliyun", action: "PublishFunctionVersion", kind: "latency", latencyMs: 4_000, times: 1 });
    const fnErr = (await client.publishFunctionVersion({ functionName: "jobs" }).catch((e: unknown) => e)) as CloudError;
    expect(fnErr).toMatchObject({ code: "RequestTimeout" });
    expect(count("PublishFunctionVersion")).toBe(fnBefore + 1);
  });

  it("repeats a throttled function publish (it certainly had no effect)", async () => {
    const before = emu.faults.counts()["aliyun:PublishFunctionVersion"] ?? 0;
    emu.faults.add({ provider: "aliyun", action: "PublishFunctionVersion", kind: "throttle", times: 2 });
    expect((await (await connect()).publishFunctionVersion({ functionName: "jobs", description: "throttled" })).version).toMatch(/^\d+$/);
    expect(emu.faults.counts()["aliyun:PublishFunctionVersion"]).toBe(before + 3);
  });

  it("uploads a multi-megabyte layer within the explicit timeout", async () => {
    const big = archiveOf(storedZip({ "python/blob.py": `DATA = "${"x".repeat(8 * 1024 * 1024)}"\n` }));
    const rec = await (await connect({ requestTimeoutMs: 20_000 })).publishLayer(req(name(), big), publishOpts);
    expect(rec.codeSize).toBe(big.size);
  });

  it("logs each retry at debug level and succeeds after throttling", async () => {
    const log = recordingLogger();
    const client = await connect({ log });
    const before = emu.faults.counts()["aliyun:CreateLayerVersion"] ?? 0;
    emu.faults.add({ provider: "aliyun", action: "CreateLayerVersion", kind: "throttle", times: 2 });
    expect((await client.publishLayer(req(name()), publishOpts)).version).toBe(1);
    expect(emu.faults.counts()["aliyun:CreateLayerVersion"]).toBe(before + 3);
    const retries = log.lines.filter((l) => l.startsWith("debug: aliyun CreateLayerVersion: attempt"));
    expect(retries).toHaveLength(2);
    expect(retries[0]).toContain("ResourceExhausted");
  });

  it("reports a refused connection as NetworkError after the bounded attempts", async () => {
    const dead = await start({ port: 0 });
    const url = dead.url;
    await dead.close();
    const client = await connect({ endpoint: url, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    const err = (await client.getLayerVersion("x", 1).catch((e: unknown) => e)) as CloudError;
    expect(err).toMatchObject({ code: "NetworkError", retryable: true, provider: "aliyun" });
  });

  it("retries even a publish after a refused connection: it certainly had no effect", async () => {
    const dead = await start({ port: 0 });
    const url = dead.url;
    await dead.close();
    const log = recordingLogger();
    const client = await connect({ endpoint: url, log });
    const err = (await client.publishLayer(req(name()), publishOpts).catch((e: unknown) => e)) as CloudError;
    expect(err).toMatchObject({ code: "NetworkError", retryable: true, unprocessed: true });
    expect(log.lines.filter((l) => l.startsWith("debug: aliyun CreateLayerVersion: attempt"))).toHaveLength(2);
  });
});

describe("reading back", () => {
  it("gets a version with the SHA-256 of its download (FC only returns a CRC-64) and its location", async () => {
    const client = await connect();
    const layerName = name();
    await client.publishLayer(req(layerName), publishOpts);
    const got = await client.getLayerVersion(layerName, 1);
    expect(got).toMatchObject({ version: 1, codeSha256: archive.sha256, codeSize: archive.size, state: "Active", status: "published" });
    expect(got.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
  });

  it("refuses a download whose CRC-64 differs from the codeChecksum FC reports", async () => {
    const client = await connect();
    const layerName = name();
    await client.publishLayer(req(layerName), publishOpts);
    emu.faults.add({ provider: "aliyun", action: "GetLayerVersion", kind: "bad-checksum", times: 1 });
    await expect(client.getLayerVersion(layerName, 1)).rejects.toMatchObject({ code: "ChecksumMismatch" });
  });

  it("lists every version newest first across pages of 100", async () => {
    const client = await connect();
    const layerName = name();
    for (let i = 0; i < 102; i++) await client.publishLayer(req(layerName, i % 2 ? other : archive), publishOpts);
    const before = emu.faults.counts()["aliyun:ListLayerVersions"] ?? 0;
    const list = await client.listLayerVersions(layerName);
    expect(list).toHaveLength(102);
    expect(list[0]!.version).toBe(102);
    expect(list[101]!.version).toBe(1);
    expect(emu.faults.counts()["aliyun:ListLayerVersions"]! - before).toBe(2);
  });

  it("lists an unknown layer as empty, like the other clouds", async () => {
    const before = emu.faults.counts()["aliyun:ListLayerVersions"] ?? 0;
    expect(await (await connect()).listLayerVersions("never-published")).toEqual([]);
    // Control: the answer came from FC (a LayerNotFound), not from skipping the call.
    expect(emu.faults.counts()["aliyun:ListLayerVersions"]).toBe(before + 1);
  });

  it("gets the version with an unknown (null) codeSha256 when the download breaks off mid-body, as when the link fails", async () => {
    // A stand-in FC whose layer download sends half the body, then stalls (timeout) or drops the connection.
    const zip = archive.bytes;
    const fc = http.createServer((rq, rs) => {
      rq.resume();
      rq.on("end", () => {
        const base = `http://127.0.0.1:${(fc.address() as AddressInfo).port}`;
        if (rq.url?.startsWith("/blob/")) {
          rs.writeHead(200, { "content-type": "application/zip", "content-length": String(zip.length) });
          rs.write(zip.subarray(0, zip.length >> 1));
          if (rq.url === "/blob/drop") setImmediate(() => rs.destroy());
          return; // "/blob/stall": never finishes
        }
        const mode = rq.url?.includes("/versions/2") ? "drop" : "stall";
        rs.writeHead(200, { "content-type": "application/json", "x-acs-request-id": "get-1" });
        rs.end(
          JSON.stringify({
            layerName: "partial",
            version: mode === "drop" ? 2 : 1,
            layerVersionArn: `acs:fc:cn-hangzhou:1234567890:layers/partial/versions/${mode === "drop" ? 2 : 1}`,
            codeChecksum: crc64Decimal(zip),
            codeSize: zip.length,
            code: { location: `${base}/blob/${mode}` },
          }),
        );
      });
    });
    await new Promise<void>((r) => fc.listen(0, "127.0.0.1", r));
    try {
      const log = recordingLogger();
      const client = await connect({ endpoint: `http://127.0.0.1:${(fc.address() as AddressInfo).port}`, requestTimeoutMs: 400, log });
      for (const version of [1, 2]) {
        const got = await client.getLayerVersion("partial", version);
        expect(got).toMatchObject({ version, codeSha256: null, codeSize: zip.length, requestId: "get-1" });
      }
      expect(log.lines.filter((l) => l.startsWith("debug: aliyun: could not download the layer to hash it"))).toHaveLength(2);
    } finally {
      fc.closeAllConnections();
      await new Promise<void>((r) => fc.close(() => r()));
    }
  });
});

describe("findUnchanged", () => {
  it("needs the same CRC-64, size and runtimes as the newest version", async () => {
    const client = await connect();
    const layerName = name();
    expect(await client.findUnchanged(req(layerName))).toBeNull();
    await client.publishLayer(req(layerName), publishOpts);
    expect(await client.findUnchanged(req(layerName))).toMatchObject({ version: 1, status: "unchanged", codeSha256: archive.sha256 });
    expect(await client.findUnchanged(req(layerName, archive, { runtimes: ["python3.10"] }))).toBeNull();
    expect(await client.findUnchanged(req(layerName, other))).toBeNull();
    await client.publishLayer(req(layerName, other), publishOpts);
    // Only the newest version counts.
    expect(await client.findUnchanged(req(layerName))).toBeNull();
  });
});

describe("publishFunctionVersion", () => {
  it("returns the version id as a string and no ARN", async () => {
    const rec = await (await connect()).publishFunctionVersion({ functionName: "svc", description: "r1" });
    expect(rec).toEqual({
      provider: "aliyun",
      region: "cn-beijing",
      functionName: "svc",
      version: "1",
      arn: null,
      description: "r1",
      requestId: expect.stringMatching(/[0-9a-f-]{36}/),
    });
  });

  it("ignores a namespace without a second warning (the command layer gives the one warning)", async () => {
    const log = recordingLogger();
    const rec = await (await connect({ log })).publishFunctionVersion({ functionName: "svc", namespace: "prod" });
    expect(rec.version).toMatch(/^\d+$/);
    expect(log.lines.filter((l) => l.startsWith("warn:"))).toEqual([]);
  });
});
