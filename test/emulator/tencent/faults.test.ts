// Each injected fault as the official SDK experiences it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { start, type RunningEmulator } from "../../../src/emulator/index.js";
import { EMPTY_ZIP, sdkClient, sdkError, sha256Hex, tinyZip, type ScfClient } from "./helpers.js";

let emu: RunningEmulator;
let scf: ScfClient;

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0 });
  scf = sdkClient(emu);
  await scf.PublishLayerVersion({ LayerName: "base", CompatibleRuntimes: ["Go1"], Content: { ZipFile: EMPTY_ZIP.toString("base64") } });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.faults.clear();
  emu.faults.setRateLimit(null);
});

const get = (c: ScfClient = scf) => c.GetLayerVersion({ LayerName: "base", LayerVersion: 1 });

describe("faults", () => {
  it("throttle: RequestLimitExceeded in the API envelope (HTTP 200), then normal service", async () => {
    emu.faults.add({ provider: "tencent", action: "GetLayerVersion", kind: "throttle", times: 1 });
    const err = await sdkError(get());
    expect(err.code).toBe("RequestLimitExceeded");
    expect(err.requestId).toBeTruthy();
    expect(err.httpCode).toBeUndefined();
    expect((await get()).LayerVersion).toBe(1);
  });

  it("server-error: InternalError in the API envelope, keeping the request id", async () => {
    emu.faults.add({ provider: "tencent", action: "*", kind: "server-error", times: 1 });
    const err = await sdkError(get());
    expect(err.code).toBe("InternalError");
    expect(err.requestId).toBeTruthy();
  });

  it("reset: the SDK sees a network failure with no code", async () => {
    emu.faults.add({ provider: "tencent", action: "*", kind: "reset", times: 1 });
    const err = await sdkError(get());
    expect(err.code).toBeUndefined();
    expect(err.message).toMatch(/socket hang up|ECONNRESET/);
  });

  it("hang: the SDK's own timeout fires (reqTimeout in seconds)", async () => {
    emu.faults.add({ provider: "tencent", action: "*", kind: "hang", times: 1 });
    const t0 = Date.now();
    const err = await sdkError(get(sdkClient(emu, { reqTimeout: 0.2 })));
    expect(err.message).toMatch(/network timeout/);
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it("latency: answers normally, later", async () => {
    emu.faults.add({ provider: "tencent", action: "*", kind: "latency", latencyMs: 150, times: 1 });
    const t0 = Date.now();
    expect((await get()).LayerVersion).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it("rate limit: calls beyond the per-second budget get RequestLimitExceeded", async () => {
    emu.faults.setRateLimit(2);
    const results = await Promise.allSettled([get(), get(), get(), get()]);
    const codes = results.map((r) => (r.status === "fulfilled" ? "ok" : (r.reason as { code?: string }).code));
    expect(codes.filter((c) => c === "ok")).toHaveLength(2);
    expect(codes.filter((c) => c === "RequestLimitExceeded")).toHaveLength(2);
  });

  it("bad-checksum on get: CodeSha256 does not match the stored zip", async () => {
    emu.faults.add({ provider: "tencent", action: "GetLayerVersion", kind: "bad-checksum", times: 1 });
    const bad = await get();
    expect(bad.CodeSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(bad.CodeSha256).not.toBe(sha256Hex(EMPTY_ZIP));
    expect((await get()).CodeSha256).toBe(sha256Hex(EMPTY_ZIP));
  });

  it("bad-checksum on publish: the version keeps reporting a wrong CodeSha256", async () => {
    emu.faults.add({ provider: "tencent", action: "PublishLayerVersion", kind: "bad-checksum", times: 1 });
    const zip = tinyZip("corrupt");
    await scf.PublishLayerVersion({ LayerName: "corrupted", CompatibleRuntimes: ["Go1"], Content: { ZipFile: zip.toString("base64") } });
    const got = await scf.GetLayerVersion({ LayerName: "corrupted", LayerVersion: 1 });
    expect(got.CodeSha256).not.toBe(sha256Hex(zip));
    // the stored bytes themselves are intact
    expect(Buffer.from(await (await fetch(got.Location!)).arrayBuffer()).equals(zip)).toBe(true);
  });

  it("publish-failed: the version ends PublishFailed", async () => {
    emu.faults.add({ provider: "tencent", action: "PublishLayerVersion", kind: "publish-failed", times: 1 });
    await scf.PublishLayerVersion({ LayerName: "doomed", CompatibleRuntimes: ["Go1"], Content: { ZipFile: EMPTY_ZIP.toString("base64") } });
    await scf.PublishLayerVersion({ LayerName: "doomed", CompatibleRuntimes: ["Go1"], Content: { ZipFile: EMPTY_ZIP.toString("base64") } });
    expect((await scf.GetLayerVersion({ LayerName: "doomed", LayerVersion: 1 })).Status).toBe("PublishFailed");
    expect((await scf.GetLayerVersion({ LayerName: "doomed", LayerVersion: 2 })).Status).toBe("Active");
  });

  it("counts calls per action", async () => {
    const before = emu.faults.counts()["tencent:GetLayerVersion"] ?? 0;
    await get();
    await get();
    expect(emu.faults.counts()["tencent:GetLayerVersion"]).toBe(before + 2);
  });
});
