import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { GetLayerVersionCommand, PublishLayerVersionCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import type { RunningEmulator } from "../../../src/emulator/index.js";
import { lambda, rejection, sha256Base64, useLambda, zipOf } from "./helpers.js";

let emu: RunningEmulator;
let client: LambdaClient;
const zip = zipOf({ "python/a.py": "1" });

useLambda({}, (e, c) => {
  emu = e;
  client = c;
});
beforeAll(async () => {
  await client.send(new PublishLayerVersionCommand({ LayerName: "faulty", Content: { ZipFile: zip } }));
});
afterEach(() => {
  emu.faults.clear();
  emu.faults.setRateLimit(null);
});

const get = () => new GetLayerVersionCommand({ LayerName: "faulty", VersionNumber: 1 });

describe("injected faults reach the SDK as Lambda's own errors", () => {
  test("throttle: TooManyRequestsException 429 with Retry-After and Reason", async () => {
    emu.faults.add({ provider: "aws", action: "GetLayerVersion", kind: "throttle", times: 1 });
    const err = await rejection(client.send(get()));
    expect(err.name).toBe("TooManyRequestsException");
    expect(err.$metadata.httpStatusCode).toBe(429);
    expect(err.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.retryAfterSeconds).toBe("1");
    expect(err.Reason).toBe("CallerRateLimitExceeded");
    expect(err.message).toBe("Rate exceeded");
    expect((await client.send(get())).Version).toBe(1);
  });

  test("server-error: ServiceException 500", async () => {
    emu.faults.add({ provider: "aws", action: "GetLayerVersion", kind: "server-error", times: 1 });
    const err = await rejection(client.send(get()));
    expect(err.name).toBe("ServiceException");
    expect(err.$metadata.httpStatusCode).toBe(500);
    expect(err.$fault).toBe("server");
    expect(err.Type).toBe("Service");
  });

  test("reset: the connection drops before any answer", async () => {
    emu.faults.add({ provider: "aws", action: "GetLayerVersion", kind: "reset", times: 1 });
    const err = await rejection(client.send(get()));
    expect(["ECONNRESET", "EPIPE"]).toContain(err.code);
    expect(err.$metadata?.httpStatusCode).toBeUndefined();
  });

  test("hang: the SDK's request timeout fires", async () => {
    emu.faults.add({ provider: "aws", action: "GetLayerVersion", kind: "hang", times: 1 });
    const c = lambda(emu, { requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true } });
    const started = Date.now();
    const err = await rejection(c.send(get()));
    expect(err.name).toBe("TimeoutError");
    expect(err.message).toContain("200 ms requestTimeout");
    expect(Date.now() - started).toBeLessThan(5_000);
    c.destroy();
  });

  test("latency: the answer comes, late", async () => {
    emu.faults.add({ provider: "aws", action: "GetLayerVersion", kind: "latency", latencyMs: 150, times: 1 });
    const started = Date.now();
    const out = await client.send(get());
    expect(out.Version).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test("rate limit: calls over the per-second limit are throttled", async () => {
    emu.faults.setRateLimit(2);
    await client.send(get());
    await client.send(get());
    const err = await rejection(client.send(get()));
    expect(err.name).toBe("TooManyRequestsException");
    expect(err.$metadata.httpStatusCode).toBe(429);
  });

  test("bad-checksum on publish: the reported CodeSha256 never matches, in the answer and later reads", async () => {
    emu.faults.add({ provider: "aws", action: "PublishLayerVersion", kind: "bad-checksum", times: 1 });
    const other = zipOf({ "python/b.py": "2" });
    const out = await client.send(new PublishLayerVersionCommand({ LayerName: "corrupted", Content: { ZipFile: other } }));
    expect(out.Content?.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(out.Content?.CodeSha256).not.toBe(sha256Base64(other));
    const got = await client.send(new GetLayerVersionCommand({ LayerName: "corrupted", VersionNumber: out.Version }));
    expect(got.Content?.CodeSha256).toBe(out.Content?.CodeSha256);
  });

  test("bad-checksum on a read corrupts only that answer", async () => {
    emu.faults.add({ provider: "aws", action: "GetLayerVersion", kind: "bad-checksum", times: 1 });
    expect((await client.send(get())).Content?.CodeSha256).not.toBe(sha256Base64(zip));
    expect((await client.send(get())).Content?.CodeSha256).toBe(sha256Base64(zip));
  });

  test("every call is counted per action, faulted or not", async () => {
    const before = emu.faults.counts()["aws:GetLayerVersion"] ?? 0;
    emu.faults.add({ provider: "aws", action: "GetLayerVersion", kind: "server-error", times: 1 });
    await rejection(client.send(get()));
    await client.send(get());
    expect(emu.faults.counts()["aws:GetLayerVersion"]).toBe(before + 2);
  });
});
