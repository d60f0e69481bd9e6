// Injected faults and persistence of the FC 3.0 emulator, as the official SDK experiences them.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { start, type RunningEmulator } from "../../../src/emulator/index.js";
import { crc64Decimal } from "../../../src/archive/crc64.js";
import { fcClient, rejection, sdk, storedZip } from "./helpers.js";

const zip = storedZip({ "python/f.py": "F = 1\n" });

async function createRequest() {
  const m = (await sdk()).models;
  return new m.CreateLayerVersionRequest({
    body: new m.CreateLayerVersionInput({ code: new m.InputCodeLocation({ zipFile: zip.toString("base64") }), compatibleRuntime: ["python3.10"] }),
  });
}

describe("faults", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await start({ port: 0, tencentPublishDelayMs: 0 });
    const fc = await fcClient(emu);
    await fc.createLayerVersion("faulty", await createRequest());
  });
  afterAll(async () => {
    await emu?.close();
  });
  afterEach(() => {
    emu.faults.clear();
    emu.faults.setRateLimit(null);
  });

  it("throttle: FC's 429 ResourceExhausted (error centre), which the SDK raises as a ClientError", async () => {
    emu.faults.add({ provider: "aliyun", action: "GetLayerVersion", kind: "throttle", times: 1 });
    const fc = await fcClient(emu);
    const err = await rejection(fc.getLayerVersion("faulty", "1"));
    expect(err).toMatchObject({ name: "ClientError", code: "ResourceExhausted", statusCode: 429 });
    expect(err.requestId).toMatch(/[0-9a-f-]{36}/);
    // `times` used up: the next call goes through.
    expect((await fc.getLayerVersion("faulty", "1")).body!.version).toBe(1);
  });

  it("server-error: the SDK raises ServerError 500 InternalServerError", async () => {
    emu.faults.add({ provider: "aliyun", action: "*", kind: "server-error", times: 1 });
    const fc = await fcClient(emu);
    const err = await rejection(fc.getLayerVersion("faulty", "1"));
    expect(err).toMatchObject({ name: "ServerError", code: "InternalServerError", statusCode: 500 });
  });

  it("reset: the SDK sees the connection reset", async () => {
    emu.faults.add({ provider: "aliyun", action: "*", kind: "reset", times: 1 });
    const fc = await fcClient(emu);
    const err = await rejection(fc.getLayerVersion("faulty", "1"));
    expect(err.code).toBe("ECONNRESET");
  });

  it("hang: the SDK's own timeout fires (RequestTimeoutError)", async () => {
    emu.faults.add({ provider: "aliyun", action: "*", kind: "hang", times: 1 });
    const fc = await fcClient(emu, { timeoutMs: 200 });
    const t0 = Date.now();
    const err = await rejection(fc.getLayerVersion("faulty", "1"));
    expect(err.name).toBe("RequestTimeoutError");
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it("latency: the answer comes, late", async () => {
    emu.faults.add({ provider: "aliyun", action: "*", kind: "latency", latencyMs: 150, times: 1 });
    const fc = await fcClient(emu);
    const t0 = Date.now();
    expect((await fc.getLayerVersion("faulty", "1")).body!.version).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it("rate limit: calls over the limit get the throttling error", async () => {
    emu.faults.setRateLimit(2);
    const fc = await fcClient(emu);
    const results = await Promise.allSettled([1, 2, 3].map(() => fc.getLayerVersion("faulty", "1")));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toMatchObject({ code: "ResourceExhausted", statusCode: 429 });
  });

  it("bad-checksum: the reply's codeChecksum does not match the stored zip (publish and get)", async () => {
    const fc = await fcClient(emu);
    emu.faults.add({ provider: "aliyun", action: "CreateLayerVersion", kind: "bad-checksum", times: 1 });
    const created = (await fc.createLayerVersion("corrupt", await createRequest())).body!;
    expect(created.codeChecksum).not.toBe(crc64Decimal(zip));
    expect((await fc.getLayerVersion("corrupt", "1")).body!.codeChecksum).toBe(crc64Decimal(zip));
    emu.faults.add({ provider: "aliyun", action: "GetLayerVersion", kind: "bad-checksum", times: 1 });
    expect((await fc.getLayerVersion("corrupt", "1")).body!.codeChecksum).not.toBe(crc64Decimal(zip));
  });

  it("counts calls per action", async () => {
    const before = emu.faults.counts()["aliyun:ListLayers"] ?? 0;
    const fc = await fcClient(emu);
    const m = (await sdk()).models;
    await fc.listLayers(new m.ListLayersRequest({}));
    expect(emu.faults.counts()["aliyun:ListLayers"]).toBe(before + 1);
  });
});

describe("persistence", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "layerctl-aliyun-state-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps layers, versions, blobs and function versions across a restart", async () => {
    const seeds = [{ provider: "aliyun" as const, name: "persisted-fn" }];
    const first = await start({ port: 0, stateDir: dir, functions: seeds });
    const m = (await sdk()).models;
    try {
      const fc = await fcClient(first, { region: "cn-shenzhen" });
      await fc.createLayerVersion("kept", await createRequest());
      await fc.createLayerVersion("kept", await createRequest());
      await fc.deleteLayerVersion("kept", "2");
      await fc.publishFunctionVersion("persisted-fn", new m.PublishFunctionVersionRequest({}));
    } finally {
      await first.close();
    }

    const second = await start({ port: 0, stateDir: dir, functions: seeds });
    try {
      const fc = await fcClient(second, { region: "cn-shenzhen" });
      const layer = (await fc.getLayerVersion("kept", "1")).body!;
      expect(layer.codeChecksum).toBe(crc64Decimal(zip));
      expect(layer.layerVersionArn).toMatch(/^acs:fc:cn-shenzhen:/);
      const downloaded = Buffer.from(await (await fetch(layer.code!.location!)).arrayBuffer());
      expect(downloaded.equals(zip)).toBe(true);
      expect((await rejection(fc.getLayerVersion("kept", "2"))).code).toBe("LayerVersionNotFound");
      expect((await fc.createLayerVersion("kept", await createRequest())).body!.version).toBe(3);
      expect((await fc.publishFunctionVersion("persisted-fn", new m.PublishFunctionVersionRequest({}))).body!.versionId).toBe("2");
    } finally {
      await second.close();
    }
  });
});
