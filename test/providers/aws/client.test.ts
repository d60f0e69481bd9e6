import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { CloudError } from "../../../src/errors.js";
import type { RunningEmulator } from "../../../src/emulator/index.js";
import { awsProvider } from "../../../src/providers/aws/index.js";
import { publishRequestBytes } from "../../../src/providers/aws/limits.js";
import { CredentialCache } from "../../../src/providers/credential-cache.js";
import type { ProviderClient, PublishLayerRequest } from "../../../src/providers/types.js";
import { REGION, archiveOf, capturingLogger, connect, connectOptions, rejection } from "./helpers.js";
import { RECORD_KEYS } from "../../helpers/record-keys.js";
import { useEmulator } from "../../helpers/emulator.js";

const ACCOUNT = "123456789012";
const wait = { wait: true, waitTimeoutMs: 1_000, pollIntervalMs: 10 };

let emu: RunningEmulator;
let client: ProviderClient;

useEmulator({ functions: [{ name: "api" }, { name: "jobs" }] }, (started) => {
  emu = started;
});
beforeAll(async () => {
  client = await connect(emu);
});
afterEach(() => {
  emu.faults.clear();
});

function request(layerName: string, files: Record<string, string> = { "python/a.py": "1" }, over: Partial<PublishLayerRequest> = {}): PublishLayerRequest {
  return { layerName, archive: archiveOf(files), runtimes: ["python3.12"], architectures: [], ...over };
}

describe("publishLayer / getLayerVersion / listLayerVersions", () => {
  test("publish returns a complete record: hex checksum, ARN, ISO date, Active", async () => {
    const req = request("rec", { "python/a.py": "1" }, { architectures: ["arm64"], description: "deps", license: "MIT", runtimes: ["python3.12", "python3.13"] });
    const rec = await client.publishLayer(req, wait);
    expect(Object.keys(rec).sort()).toEqual([...RECORD_KEYS].sort());
    expect(rec).toMatchObject({
      provider: "aws",
      region: REGION,
      layerName: "rec",
      version: 1,
      arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:rec:1`,
      status: "published",
      state: "Active",
      codeSha256: req.archive.sha256,
      codeSize: req.archive.size,
      compatibleRuntimes: ["python3.12", "python3.13"],
      compatibleArchitectures: ["arm64"],
      description: "deps",
      license: "MIT",
    });
    expect(rec.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(rec.location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(rec.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("versions count up; get and list (newest first) agree", async () => {
    const r1 = await client.publishLayer(request("counted", { "python/a.py": "1" }), wait);
    const r2 = await client.publishLayer(request("counted", { "python/a.py": "2" }), wait);
    expect([r1.version, r2.version]).toEqual([1, 2]);
    const got = await client.getLayerVersion("counted", 1);
    expect(got.codeSha256).toBe(r1.codeSha256);
    expect(got.arn).toBe(r1.arn);
    expect(got.createdAt).toBe(r1.createdAt);
    const list = await client.listLayerVersions("counted");
    expect(list.map((r) => r.version)).toEqual([2, 1]);
    expect(list[0]).toMatchObject({ provider: "aws", layerName: "counted", arn: r2.arn, state: "Active", codeSha256: null });
  });

  test("listLayerVersions follows NextMarker across pages", async () => {
    for (let i = 0; i < 53; i++) await emuPublish("paged", i);
    const list = await client.listLayerVersions("paged");
    expect(list).toHaveLength(53);
    expect(list[0]!.version).toBe(53);
    expect(list[52]!.version).toBe(1);
    expect(emu.faults.counts()["aws:ListLayerVersions"]).toBeGreaterThanOrEqual(2);
  });

  test("listLayerVersions fails as unreadable when Lambda repeats a NextMarker, instead of paging forever or stopping short", async () => {
    const markers: Array<string | null> = [];
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      markers.push(url.searchParams.get("Marker"));
      const page = markers.length;
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": `rid-${page}` });
        // Page 1 points at "m1"; every later page points at "m1" again.
        res.end(JSON.stringify({ LayerVersions: [{ LayerVersionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:loop:${page}`, Version: page }], NextMarker: "m1" }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    try {
      const c = await connect(emu, { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      const err = await c.listLayerVersions("loop").catch((e: unknown) => e);
      // Paging stops only on a well-formed last page: part of a list is never handed on as the whole.
      expect(err).toMatchObject({ code: "InvalidResponse" });
      expect(String((err as Error).message)).toContain("repeats");
      expect(markers).toEqual([null, "m1"]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 10_000);

  test("an unknown version is a CloudError ResourceNotFoundException with request id and status", async () => {
    await client.publishLayer(request("known"), wait);
    const err = await rejection(client.getLayerVersion("known", 42));
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({ code: "ResourceNotFoundException", provider: "aws", httpStatus: 404, retryable: false, exitCode: 1 });
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.message).toContain("The resource you requested does not exist.");
    // Lambda's words name nothing: the message says what was asked for.
    expect(err.message).toBe(`GetLayerVersion: layer known version 42 does not exist in ${REGION} (The resource you requested does not exist.)`);
  });

  test("a layer ARN works as the layer name; the record keeps the bare name", async () => {
    const rec = await client.publishLayer(request(`arn:aws:lambda:${REGION}:${ACCOUNT}:layer:via-arn`), wait);
    expect(rec.layerName).toBe("via-arn");
    expect(rec.arn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:layer:via-arn:1`);
  });
});

async function emuPublish(name: string, i: number): Promise<void> {
  await client.publishLayer(request(name, { [`python/v${i}.py`]: String(i) }), wait);
}

describe("findUnchanged", () => {
  test("the newest version with the same zip and runtimes is unchanged; anything else is not", async () => {
    const req = request("skip", { "python/same.py": "same" });
    expect(await client.findUnchanged(req)).toBeNull();
    const published = await client.publishLayer(req, wait);
    const same = await client.findUnchanged(request("skip", { "python/same.py": "same" }));
    expect(same).toMatchObject({ status: "unchanged", version: published.version, codeSha256: req.archive.sha256 });
    expect(await client.findUnchanged(request("skip", { "python/same.py": "changed" }))).toBeNull();
    expect(await client.findUnchanged(request("skip", { "python/same.py": "same" }, { runtimes: ["python3.11"] }))).toBeNull();
    expect(await client.findUnchanged(request("skip", { "python/same.py": "same" }, { architectures: ["arm64"] }))).toBeNull();
    await client.publishLayer(request("skip", { "python/same.py": "newer" }), wait);
    // Only the newest version counts.
    expect(await client.findUnchanged(req)).toBeNull();
  });
});

describe("publishFunctionVersion", () => {
  test("publishes a version of a seeded function", async () => {
    const rec = await client.publishFunctionVersion({ functionName: "api", description: "release" });
    expect(rec).toEqual({
      provider: "aws",
      region: REGION,
      functionName: "api",
      version: "1",
      arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:api:1`,
      description: "release",
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  test("an unknown function is ResourceNotFoundException", async () => {
    const err = await rejection(client.publishFunctionVersion({ functionName: "ghost" }));
    expect(err).toMatchObject({ code: "ResourceNotFoundException", httpStatus: 404 });
    expect(err.message).toContain(`function:ghost`);
  });

  test("a namespace is ignored without a second warning (the command layer gives the one warning)", async () => {
    const log = capturingLogger();
    const c = await connect(emu, { log });
    const rec = await c.publishFunctionVersion({ functionName: "api", namespace: "prod" });
    expect(rec.version).toBe("1");
    expect(log.lines.filter((l) => l.startsWith("warn:"))).toEqual([]);
  });
});

describe("errors and retries", () => {
  test("wrong secret and unknown key surface Lambda's auth codes", async () => {
    const opts = await connectOptions(emu);
    const wrongSecret = await awsProvider.connect({
      ...opts,
      credentials: {
        source: "test",
        keys: new CredentialCache({ provider: "aws", source: "test", keys: { keyId: emu.credentials.aws.accessKeyId, secret: "not-the-secret" }, renewHint: "" }),
      },
    });
    const e1 = await rejection(wrongSecret.getLayerVersion("known", 1));
    expect(e1).toMatchObject({ code: "InvalidSignatureException", httpStatus: 403, retryable: false });
    expect(e1.message).not.toContain("not-the-secret");
    const unknownKey = await awsProvider.connect({
      ...opts,
      credentials: { source: "test", keys: new CredentialCache({ provider: "aws", source: "test", keys: { keyId: "AKIANOTKNOWN00000000", secret: "whatever" }, renewHint: "" }) },
    });
    const e2 = await rejection(unknownKey.getLayerVersion("known", 1));
    expect(e2).toMatchObject({ code: "UnrecognizedClientException", httpStatus: 403 });
  });

  test("throttled twice, then published: 3 calls, retries logged at debug", async () => {
    const log = capturingLogger();
    const c = await connect(emu, { log });
    const before = emu.faults.counts()["aws:PublishLayerVersion"] ?? 0;
    emu.faults.add({ provider: "aws", action: "PublishLayerVersion", kind: "throttle", times: 2 });
    const rec = await c.publishLayer(request("throttled"), wait);
    expect(rec.status).toBe("published");
    expect(emu.faults.counts()["aws:PublishLayerVersion"]).toBe(before + 3);
    const retries = log.lines.filter((l) => l.startsWith("debug: aws PublishLayerVersion: attempt"));
    expect(retries).toHaveLength(2);
    expect(retries[0]).toContain("TooManyRequestsException");
  });

  test("a throttle carries Retry-After as retryAfterMs", async () => {
    const c = await connect(emu, { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 } });
    emu.faults.add({ provider: "aws", action: "GetLayerVersion", kind: "throttle", times: 1 });
    const err = await rejection(c.getLayerVersion("known", 1));
    expect(err).toMatchObject({ code: "TooManyRequestsException", httpStatus: 429, retryable: true, retryAfterMs: 1000 });
  });

  test("a persistent server error fails with ServiceException after maxAttempts calls", async () => {
    const before = emu.faults.counts()["aws:GetLayerVersion"] ?? 0;
    emu.faults.add({ provider: "aws", action: "GetLayerVersion", kind: "server-error" });
    const err = await rejection(client.getLayerVersion("known", 1));
    expect(err).toMatchObject({ code: "ServiceException", httpStatus: 500, retryable: true });
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(emu.faults.counts()["aws:GetLayerVersion"]).toBe(before + 3);
  });

  test("a reset is retried", async () => {
    emu.faults.add({ provider: "aws", action: "GetLayerVersion", kind: "reset", times: 1 });
    const rec = await client.getLayerVersion("known", 1);
    expect(rec.version).toBe(1);
  });

  test("a reset on every attempt is NetworkError", async () => {
    emu.faults.add({ provider: "aws", action: "GetLayerVersion", kind: "reset" });
    const err = await rejection(client.getLayerVersion("known", 1));
    expect(err).toMatchObject({ code: "NetworkError", retryable: true });
  });

  test("a hung call is RequestTimeout after requestTimeoutMs", async () => {
    const c = await connect(emu, { requestTimeoutMs: 300, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 } });
    emu.faults.add({ provider: "aws", action: "PublishLayerVersion", kind: "hang", times: 1 });
    const started = Date.now();
    const err = await rejection(c.publishLayer(request("hung"), wait));
    expect(err).toMatchObject({ code: "RequestTimeout", provider: "aws", retryable: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test("a refused connection is NetworkError", async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const c = await connect(emu, { endpoint: `http://127.0.0.1:${port}`, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 } });
    const err = await rejection(c.getLayerVersion("known", 1));
    expect(err).toMatchObject({ code: "NetworkError", retryable: true });
    expect(err.message).toContain("ECONNREFUSED");
  });

  test("a checksum that does not match the zip is ChecksumMismatch, naming the version that exists", async () => {
    emu.faults.add({ provider: "aws", action: "PublishLayerVersion", kind: "bad-checksum", times: 1 });
    const err = await rejection(client.publishLayer(request("corrupt"), wait));
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({ code: "ChecksumMismatch", provider: "aws", version: 1, arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:corrupt:1` });
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("a publish whose outcome is unknown (timeout, 5xx, reset) is not repeated: no duplicate versions", async () => {
    const c = await connect(emu, { requestTimeoutMs: 1_000 }); // room for the request to reach the emulator on a busy machine
    const count = (action: string) => emu.faults.counts()[`aws:${action}`] ?? 0;
    const before = count("PublishLayerVersion");
    emu.faults.add({ provider: "aws", action: "PublishLayerVersion", kind: "latency", latencyMs: 4_000, times: 1 });
    const timedOut = await rejection(c.publishLayer(request("ambiguous"), wait));
    expect(timedOut).toMatchObject({ code: "RequestTimeout", retryable: true, unprocessed: false });
    expect(count("PublishLayerVersion")).toBe(before + 1);

    emu.faults.add({ provider: "aws", action: "PublishLayerVersion", kind: "server-error", times: 1 });
    expect(await rejection(c.publishLayer(request("ambiguous"), wait))).toMatchObject({ code: "ServiceException", retryable: true, unprocessed: false });
    emu.faults.add({ provider: "aws", action: "PublishLayerVersion", kind: "reset", times: 1 });
    expect(await rejection(c.publishLayer(request("ambiguous"), wait))).toMatchObject({ code: "NetworkError", unprocessed: false });
    expect(count("PublishLayerVersion")).toBe(before + 3);

    const fnBefore = count("PublishVersion");
    emu.faults.add({ provider: "aws", action: "PublishVersion", kind: "latency", latencyMs: 4_000, times: 1 });
    expect(await rejection(c.publishFunctionVersion({ functionName: "jobs" }))).toMatchObject({ code: "RequestTimeout" });
    expect(count("PublishVersion")).toBe(fnBefore + 1);
  });

  test("a throttled function publish is repeated (it certainly had no effect)", async () => {
    const before = emu.faults.counts()["aws:PublishVersion"] ?? 0;
    emu.faults.add({ provider: "aws", action: "PublishVersion", kind: "throttle", times: 2 });
    expect((await client.publishFunctionVersion({ functionName: "jobs", description: "throttled" })).version).toMatch(/^\d+$/);
    expect(emu.faults.counts()["aws:PublishVersion"]).toBe(before + 3);
  });

  test("a refused connection certainly had no effect: even a publish is retried", async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const log = capturingLogger();
    const c = await connect(emu, { endpoint: `http://127.0.0.1:${port}`, log });
    const err = await rejection(c.publishLayer(request("refused"), wait));
    expect(err).toMatchObject({ code: "NetworkError", retryable: true, unprocessed: true });
    expect(log.lines.filter((l) => l.startsWith("debug: aws PublishLayerVersion: attempt"))).toHaveLength(2);
  });

  test("an endpoint that is not a URL is a UsageError", async () => {
    const err = await rejection(connect(emu, { endpoint: "127.0.0.1:9" }));
    expect(err).toMatchObject({ code: "InvalidEndpoint", exitCode: 2 });
  });
});

test("publishRequestBytes is the exact size of the body the SDK sends", async () => {
  let contentLength = -1;
  const server = http.createServer((req, res) => {
    contentLength = Number(req.headers["content-length"]);
    req.resume();
    req.on("end", () => {
      res.writeHead(500, { "x-amzn-errortype": "ServiceException", "content-type": "application/json" });
      res.end(JSON.stringify({ Type: "Service", Message: "capture only" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  try {
    const c = await connect(emu, { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 } });
    const req = request(
      "sized",
      { "python/é.py": "x".repeat(1001) },
      { description: "déjà vu", license: "MIT", architectures: ["x86_64"], runtimes: ["python3.12", "nodejs20.x"] },
    );
    await rejection(c.publishLayer(req, wait));
    const bytes = publishRequestBytes(
      { layerName: "sized", runtimes: req.runtimes, architectures: req.architectures, description: req.description, license: req.license, size: req.archive.size },
      req.runtimes,
    );
    expect(contentLength).toBe(bytes);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
