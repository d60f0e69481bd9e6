import { describe, expect, it } from "vitest";
import { Faults } from "../../src/emulator/faults.js";

describe("fault decisions", () => {
  it("applies a rule to matching calls only, for `times` calls", () => {
    const f = new Faults([{ provider: "aws", action: "PublishLayerVersion", kind: "throttle", times: 2 }]);
    expect(f.decide("tencent", "PublishLayerVersion", 0).kind).toBeNull();
    expect(f.decide("aws", "GetLayerVersion", 0).kind).toBeNull();
    expect(f.decide("aws", "PublishLayerVersion", 0).kind).toBe("throttle");
    expect(f.decide("aws", "PublishLayerVersion", 0).kind).toBe("throttle");
    expect(f.decide("aws", "PublishLayerVersion", 0).kind).toBeNull();
    expect(f.counts()["aws:PublishLayerVersion"]).toBe(3);
  });

  it("adds latency on top of another fault, and wildcards match every cloud and action", () => {
    const f = new Faults([
      { provider: "*", action: "*", kind: "latency", latencyMs: 50 },
      { provider: "*", action: "*", kind: "server-error", times: 1 },
    ]);
    expect(f.decide("aliyun", "CreateLayerVersion", 0)).toEqual({ latencyMs: 50, kind: "server-error" });
    expect(f.decide("aliyun", "CreateLayerVersion", 0)).toEqual({ latencyMs: 50, kind: null });
  });

  it("rate-limits per provider and action in a sliding one-second window", () => {
    const f = new Faults([], 2);
    expect(f.decide("tencent", "A", 0).kind).toBeNull();
    expect(f.decide("tencent", "A", 100).kind).toBeNull();
    expect(f.decide("tencent", "A", 200).kind).toBe("rate-limited");
    expect(f.decide("tencent", "B", 200).kind).toBeNull();
    expect(f.decide("tencent", "A", 1001).kind).toBeNull();
  });

  it("refuses a latency rule without a delay", () => {
    expect(() => new Faults([{ provider: "*", action: "*", kind: "latency" }])).toThrow(/latencyMs/);
  });
});

describe("state dir lock", () => {
  it("lets one emulator at a time use a state dir, and frees it on close", async () => {
    const { start } = await import("../../src/emulator/index.js");
    const { tempDir } = await import("../helpers/archive.js");
    const dir = await tempDir();
    const first = await start({ port: 0, stateDir: dir });
    await expect(start({ port: 0, stateDir: dir })).rejects.toMatchObject({ code: "ELOCKED" });
    await first.close();
    const second = await start({ port: 0, stateDir: dir });
    await second.close();
  });

  it("takes over a lock whose emulator is gone", async () => {
    const { writeFile } = await import("node:fs/promises");
    const path = await import("node:path");
    const { start } = await import("../../src/emulator/index.js");
    const { tempDir } = await import("../helpers/archive.js");
    const dir = await tempDir();
    // pid 2^22+1 is above Linux's pid_max default: no such process
    await writeFile(path.join(dir, "emulator.lock"), String(4194305));
    const emu = await start({ port: 0, stateDir: dir });
    await emu.close();
  });
});
