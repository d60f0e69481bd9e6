// Layer actions through the official SDK, as it would talk to scf.tencentcloudapi.com.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start, type RunningEmulator } from "../../../src/emulator/index.js";
import { EMPTY_ZIP, sdkClient, sdkError, sha256Hex, tinyZip, type ScfClient } from "./helpers.js";

let emu: RunningEmulator;
let scf: ScfClient;
let seq = 0;
const fresh = () => `layer${++seq}`;
const b64 = (b: Buffer) => b.toString("base64");

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0 });
  scf = sdkClient(emu);
});
afterAll(async () => {
  await emu.close();
});

function publish(name: string, zip: Buffer, extra: Record<string, unknown> = {}) {
  return scf.PublishLayerVersion({ LayerName: name, CompatibleRuntimes: ["Python3.9"], Content: { ZipFile: b64(zip) }, ...extra });
}

describe("PublishLayerVersion and GetLayerVersion", () => {
  it("returns only the new version number, then the full version on get", async () => {
    const name = fresh();
    const zip = tinyZip("a");
    const before = Date.now();
    const res = await publish(name, zip, { CompatibleRuntimes: ["Python3.9", "Nodejs18.15"], Description: "deps", LicenseInfo: "MIT" });
    expect(Object.keys(res).sort()).toEqual(["LayerVersion", "RequestId"]);
    expect(res.LayerVersion).toBe(1);
    expect(res.RequestId).toMatch(/^[0-9a-f-]{36}$/);

    const got = await scf.GetLayerVersion({ LayerName: name, LayerVersion: 1 });
    expect(got).toMatchObject({
      LayerName: name,
      LayerVersion: 1,
      CompatibleRuntimes: ["Python3.9", "Nodejs18.15"],
      CodeSha256: sha256Hex(zip),
      Description: "deps",
      LicenseInfo: "MIT",
      Status: "Active",
    });
    // "YYYY-MM-DD HH:mm:ss" in China time (UTC+8), no zone
    expect(got.AddTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const asUtc = Date.parse(`${got.AddTime!.replace(" ", "T")}+08:00`);
    expect(Math.abs(asUtc - before)).toBeLessThan(5_000);
    const downloaded = Buffer.from(await (await fetch(got.Location!)).arrayBuffer());
    expect(downloaded.equals(zip)).toBe(true);
  });

  it("counts versions up per layer and never reuses a deleted number", async () => {
    const name = fresh();
    expect((await publish(name, tinyZip("1"))).LayerVersion).toBe(1);
    expect((await publish(name, tinyZip("2"))).LayerVersion).toBe(2);
    expect((await publish(fresh(), tinyZip("x"))).LayerVersion).toBe(1);
    await scf.DeleteLayerVersion({ LayerName: name, LayerVersion: 2 });
    expect((await publish(name, tinyZip("3"))).LayerVersion).toBe(3);
    const gone = await sdkError(scf.GetLayerVersion({ LayerName: name, LayerVersion: 2 }));
    expect(gone.code).toBe("ResourceNotFound.LayerVersion");
  });

  it("accepts an empty zip", async () => {
    expect((await publish(fresh(), EMPTY_ZIP)).LayerVersion).toBe(1);
  });

  it("keeps layers apart per region", async () => {
    const name = fresh();
    await publish(name, tinyZip("r"));
    const other = sdkClient(emu, { region: "ap-singapore" });
    expect((await sdkError(other.GetLayerVersion({ LayerName: name, LayerVersion: 1 }))).code).toBe("ResourceNotFound.LayerVersion");
    expect((await other.PublishLayerVersion({ LayerName: name, CompatibleRuntimes: ["Go1"], Content: { ZipFile: b64(tinyZip("s")) } })).LayerVersion).toBe(1);
  });

  it("reports unknown layers and versions with ResourceNotFound.LayerVersion and a request id", async () => {
    const name = fresh();
    await publish(name, tinyZip("n"));
    for (const [layer, version] of [
      [name, 2],
      ["nosuchlayer", 1],
    ] as const) {
      const err = await sdkError(scf.GetLayerVersion({ LayerName: layer, LayerVersion: version }));
      expect(err.code).toBe("ResourceNotFound.LayerVersion");
      expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe("publish validation, with the provider's codes", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["a name starting with a digit", { LayerName: "1layer" }, "InvalidParameterValue.LayerName"],
    ["a name ending with a hyphen", { LayerName: "layer-" }, "InvalidParameterValue.LayerName"],
    ["a name ending with an underscore", { LayerName: "layer_" }, "InvalidParameterValue.LayerName"],
    ["a name with a dot", { LayerName: "my.layer" }, "InvalidParameterValue.LayerName"],
    ["a 65-character name", { LayerName: `a${"b".repeat(64)}` }, "InvalidParameterValue.LayerName"],
    ["an unknown runtime", { CompatibleRuntimes: ["python3.9"] }, "InvalidParameterValue.CompatibleRuntimes"],
    ["no runtimes", { CompatibleRuntimes: [] }, "InvalidParameterValue.CompatibleRuntimes"],
    ["six runtimes", { CompatibleRuntimes: ["Python3.6", "Python3.7", "Python3.9", "Python3.10", "Nodejs16.13", "Nodejs18.15"] }, "InvalidParameterValue.CompatibleRuntimes"],
    ["base64 with bad padding", { Content: { ZipFile: "UEsFBg" } }, "InvalidParameterValue.ZipFileBase64BinasciiError"],
    ["base64 with bad characters", { Content: { ZipFile: "UEs*Bg==" } }, "InvalidParameterValue.ZipFileBase64BinasciiError"],
    ["content that is not a zip", { Content: { ZipFile: Buffer.from("just some text, not a zip").toString("base64") } }, "InvalidParameterValue.Content"],
    ["a zip header without an end record", { Content: { ZipFile: tinyZip("t").subarray(0, 40).toString("base64") } }, "InvalidParameterValue.Content"],
    ["no ZipFile in Content", { Content: {} }, "InvalidParameterValue.Content"],
    ["a COS bucket that does not exist", { Content: { CosBucketName: "b", CosObjectName: "/o.zip", CosBucketRegion: "ap-guangzhou" } }, "InvalidParameterValue.Cos"],
    ["a description over 1000 characters", { Description: "d".repeat(1001) }, "InvalidParameterValue.Description"],
    ["a license over 1000 characters", { LicenseInfo: "l".repeat(1001) }, "InvalidParameterValue"],
    ["a name of the wrong type", { LayerName: 12 }, "InvalidParameter"],
  ];
  it.each(cases)("rejects %s", async (_label, change, code) => {
    const err = await sdkError(scf.PublishLayerVersion({ LayerName: fresh(), CompatibleRuntimes: ["Python3.9"], Content: { ZipFile: b64(tinyZip("v")) }, ...change } as never));
    expect(err.code).toBe(code);
    expect(err.requestId).toBeTruthy();
  });

  it("rejects missing required parameters with MissingParameter", async () => {
    for (const drop of ["LayerName", "CompatibleRuntimes", "Content"]) {
      const req: Record<string, unknown> = { LayerName: fresh(), CompatibleRuntimes: ["Python3.9"], Content: { ZipFile: b64(tinyZip("m")) } };
      delete req[drop];
      const err = await sdkError(scf.PublishLayerVersion(req as never));
      expect(err.code).toBe("MissingParameter");
      expect(err.message).toContain(drop);
    }
  });

  it("rejects an inline zip over 20 MB", async () => {
    const big = Buffer.alloc(20 * 1024 * 1024 + 1);
    EMPTY_ZIP.copy(big, 0);
    EMPTY_ZIP.copy(big, big.length - EMPTY_ZIP.length);
    const err = await sdkError(publish(fresh(), big));
    expect(err.code).toBe("InvalidParameterValue.Content");
    expect(err.message).toContain("20971520");
  });

  it("stops at 200 versions per layer with LimitExceeded.LayerVersions", async () => {
    const name = fresh();
    for (let i = 1; i <= 200; i++) await publish(name, EMPTY_ZIP);
    const err = await sdkError(publish(name, EMPTY_ZIP));
    expect(err.code).toBe("LimitExceeded.LayerVersions");
    await scf.DeleteLayerVersion({ LayerName: name, LayerVersion: 1 });
    expect((await publish(name, EMPTY_ZIP)).LayerVersion).toBe(201);
  });
});

describe("ListLayerVersions, ListLayers, DeleteLayerVersion", () => {
  it("lists a layer's versions newest first, filtered by runtime", async () => {
    const name = fresh();
    await publish(name, tinyZip("l1"), { CompatibleRuntimes: ["Python3.9"] });
    await publish(name, tinyZip("l2"), { CompatibleRuntimes: ["Nodejs18.15"] });
    await publish(name, tinyZip("l3"), { CompatibleRuntimes: ["Python3.9", "Nodejs18.15"], Description: "third" });
    const all = await scf.ListLayerVersions({ LayerName: name });
    expect(all.LayerVersions!.map((v) => v.LayerVersion)).toEqual([3, 2, 1]);
    expect(all.LayerVersions![0]).toMatchObject({ LayerName: name, Description: "third", Status: "Active", CompatibleRuntimes: ["Python3.9", "Nodejs18.15"] });
    expect(all.LayerVersions![0]!.AddTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const node = await scf.ListLayerVersions({ LayerName: name, CompatibleRuntime: ["Nodejs18.15"] });
    expect(node.LayerVersions!.map((v) => v.LayerVersion)).toEqual([3, 2]);
  });

  it("reports a layer without versions as ResourceNotFound.Layer", async () => {
    expect((await sdkError(scf.ListLayerVersions({ LayerName: "nosuchlayer" }))).code).toBe("ResourceNotFound.Layer");
    const name = fresh();
    await publish(name, tinyZip("d"));
    await scf.DeleteLayerVersion({ LayerName: name, LayerVersion: 1 });
    expect((await sdkError(scf.ListLayerVersions({ LayerName: name }))).code).toBe("ResourceNotFound.Layer");
  });

  it("lists layers with their newest version, with search, runtime filter and paging", async () => {
    const own = await start({ port: 0, tencentPublishDelayMs: 0 });
    try {
      const c = sdkClient(own);
      const put = (n: string, rt: string) => c.PublishLayerVersion({ LayerName: n, CompatibleRuntimes: [rt], Content: { ZipFile: b64(EMPTY_ZIP) } });
      await put("alpha", "Python3.9");
      await put("alpha", "Nodejs18.15");
      await put("beta", "Python3.9");
      await put("gamma-node", "Nodejs16.13");
      const all = await c.ListLayers({});
      expect(all.TotalCount).toBe(3);
      expect(all.Layers!.map((l) => [l.LayerName, l.LayerVersion])).toEqual([
        ["alpha", 2],
        ["beta", 1],
        ["gamma-node", 1],
      ]);
      const py = await c.ListLayers({ CompatibleRuntime: "Python3.9" });
      expect(py.Layers!.map((l) => [l.LayerName, l.LayerVersion])).toEqual([
        ["alpha", 1],
        ["beta", 1],
      ]);
      expect((await c.ListLayers({ SearchKey: "NODE" })).Layers!.map((l) => l.LayerName)).toEqual(["gamma-node"]);
      const page = await c.ListLayers({ Offset: 1, Limit: 1 });
      expect(page.TotalCount).toBe(3);
      expect(page.Layers!.map((l) => l.LayerName)).toEqual(["beta"]);
    } finally {
      await own.close();
    }
  });

  it("deletes a version and reports an unknown one as ResourceNotFound.LayerVersion", async () => {
    const name = fresh();
    await publish(name, tinyZip("x1"));
    await publish(name, tinyZip("x2"));
    const res = await scf.DeleteLayerVersion({ LayerName: name, LayerVersion: 1 });
    expect(Object.keys(res)).toEqual(["RequestId"]);
    expect((await scf.ListLayerVersions({ LayerName: name })).LayerVersions!.map((v) => v.LayerVersion)).toEqual([2]);
    expect((await sdkError(scf.DeleteLayerVersion({ LayerName: name, LayerVersion: 1 }))).code).toBe("ResourceNotFound.LayerVersion");
  });
});

describe("asynchronous lifecycle", () => {
  it("stays Publishing for tencentPublishDelayMs, computed from time", async () => {
    const slow = await start({ port: 0, tencentPublishDelayMs: 60_000 });
    try {
      const c = sdkClient(slow);
      await c.PublishLayerVersion({ LayerName: "slow", CompatibleRuntimes: ["Go1"], Content: { ZipFile: b64(EMPTY_ZIP) } });
      expect((await c.GetLayerVersion({ LayerName: "slow", LayerVersion: 1 })).Status).toBe("Publishing");
      expect((await c.ListLayerVersions({ LayerName: "slow" })).LayerVersions![0]!.Status).toBe("Publishing");
    } finally {
      await slow.close();
    }
  });

  it("takes publishDelayMs, set for every asynchronous cloud (the embedded --emulator's), below tencentPublishDelayMs", async () => {
    const clock = Date.now();
    // The clock stands still: with the default delay (1000 ms) a version would stay Publishing.
    const shared = await start({ port: 0, publishDelayMs: 0, now: () => new Date(clock) });
    const both = await start({ port: 0, publishDelayMs: 0, tencentPublishDelayMs: 60_000, now: () => new Date(clock) });
    try {
      for (const [emu, status] of [
        [shared, "Active"],
        [both, "Publishing"],
      ] as const) {
        const c = sdkClient(emu);
        await c.PublishLayerVersion({ LayerName: "shared", CompatibleRuntimes: ["Go1"], Content: { ZipFile: b64(EMPTY_ZIP) } });
        expect((await c.GetLayerVersion({ LayerName: "shared", LayerVersion: 1 })).Status).toBe(status);
      }
    } finally {
      await shared.close();
      await both.close();
    }
  });

  it("becomes Active once the delay has passed", async () => {
    // The emulator's clock is stepped by the test: no race with a real delay on a busy machine.
    let offset = 0;
    const short = await start({ port: 0, tencentPublishDelayMs: 100, now: () => new Date(Date.now() + offset) });
    try {
      const c = sdkClient(short);
      await c.PublishLayerVersion({ LayerName: "soon", CompatibleRuntimes: ["Go1"], Content: { ZipFile: b64(EMPTY_ZIP) } });
      expect((await c.GetLayerVersion({ LayerName: "soon", LayerVersion: 1 })).Status).toBe("Publishing");
      offset += 100;
      expect((await c.GetLayerVersion({ LayerName: "soon", LayerVersion: 1 })).Status).toBe("Active");
    } finally {
      await short.close();
    }
  });
});
