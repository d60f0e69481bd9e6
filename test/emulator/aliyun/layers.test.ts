// FC 3.0 layer and function operations through the official SDK against the emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start, type RunningEmulator } from "../../../src/emulator/index.js";
import { crc64Decimal } from "../../../src/archive/crc64.js";
import type { FcClientInstance } from "../../../src/providers/aliyun/sdk.js";
import { fcClient, rejection, sdk, storedZip } from "./helpers.js";

let emu: RunningEmulator;
let fc: FcClientInstance;
let m: Awaited<ReturnType<typeof sdk>>["models"];
const zipA = storedZip({ "python/a.py": "A = 1\n" });
const zipB = storedZip({ "python/b.py": "B = 2\n" });
let seq = 0;
const layerName = () => `layer-${++seq}`;

function createRequest(zip: Buffer, extra: Record<string, unknown> = {}, code: Record<string, unknown> = {}) {
  return new m.CreateLayerVersionRequest({
    body: new m.CreateLayerVersionInput({
      code: new m.InputCodeLocation({ zipFile: zip.toString("base64"), ...code }),
      compatibleRuntime: ["python3.10", "python3.9"],
      description: "my layer",
      license: "MIT",
      ...extra,
    }),
  });
}

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0, functions: [{ provider: "aliyun", name: "seeded" }] });
  fc = await fcClient(emu);
  m = (await sdk()).models;
});
afterAll(async () => {
  await emu?.close();
});

describe("CreateLayerVersion", () => {
  it("returns the Layer structure with a CRC-64/XZ codeChecksum, an ARN and a download location", async () => {
    const name = layerName();
    const resp = await fc.createLayerVersion(name, createRequest(zipA));
    expect(resp.statusCode).toBe(200);
    expect(resp.headers!["x-acs-request-id"]).toMatch(/[0-9a-f-]{36}/);
    const layer = resp.body!;
    expect(layer).toMatchObject({
      acl: "0",
      codeChecksum: crc64Decimal(zipA),
      codeSize: zipA.length,
      compatibleRuntime: ["python3.10", "python3.9"],
      description: "my layer",
      layerName: name,
      layerVersionArn: `acs:fc:cn-hangzhou:${emu.credentials.aliyun.accountId}:layers/${name}/versions/1`,
      license: "MIT",
      version: 1,
    });
    expect(layer.code!.repositoryType).toBe("OSS");
    expect(layer.createTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const downloaded = Buffer.from(await (await fetch(layer.code!.location!)).arrayBuffer());
    expect(downloaded.equals(zipA)).toBe(true);
  });

  it("accepts a matching code.checksum and rejects one that does not match the zip", async () => {
    const name = layerName();
    const ok = await fc.createLayerVersion(name, createRequest(zipA, {}, { checksum: crc64Decimal(zipA) }));
    expect(ok.body!.version).toBe(1);
    const err = await rejection(fc.createLayerVersion(name, createRequest(zipA, {}, { checksum: crc64Decimal(zipB) })));
    expect(err).toMatchObject({ name: "ClientError", code: "InvalidArgument", statusCode: 400 });
    expect(err.data.Message).toContain("checksum");
    expect(err.requestId).toMatch(/[0-9a-f-]{36}/);
  });

  it("counts versions up per layer and never reuses a deleted number", async () => {
    const name = layerName();
    expect((await fc.createLayerVersion(name, createRequest(zipA))).body!.version).toBe(1);
    expect((await fc.createLayerVersion(name, createRequest(zipB))).body!.version).toBe(2);
    expect((await fc.createLayerVersion(layerName(), createRequest(zipB))).body!.version).toBe(1);
    const del = await fc.deleteLayerVersion(name, "2");
    expect(del.statusCode).toBe(204);
    const gone = await rejection(fc.getLayerVersion(name, "2"));
    expect(gone).toMatchObject({ code: "LayerVersionNotFound", statusCode: 404 });
    expect((await fc.createLayerVersion(name, createRequest(zipA))).body!.version).toBe(3);
    const again = await rejection(fc.deleteLayerVersion(name, "2"));
    expect(again.code).toBe("LayerVersionNotFound");
  });
});

describe("reading layers back", () => {
  const name = "readback";
  beforeAll(async () => {
    for (const zip of [zipA, zipB, zipA, zipB, zipA]) await fc.createLayerVersion(name, createRequest(zip));
  });

  it("GetLayerVersion returns one version", async () => {
    const layer = (await fc.getLayerVersion(name, "2")).body!;
    expect(layer).toMatchObject({ layerName: name, version: 2, codeChecksum: crc64Decimal(zipB), codeSize: zipB.length });
  });

  it("GetLayerVersionByArn finds the same version by its ARN", async () => {
    const arn = (await fc.getLayerVersion(name, "3")).body!.layerVersionArn!;
    const byArn = (await fc.getLayerVersionByArn(arn)).body!;
    expect(byArn).toMatchObject({ layerName: name, version: 3, layerVersionArn: arn });
    const foreign = await rejection(fc.getLayerVersionByArn(arn.replace(/:\d+:layers/, ":999:layers")));
    expect(foreign.code).toBe("LayerVersionNotFound");
    const malformed = await rejection(fc.getLayerVersionByArn("not-an-arn"));
    expect(malformed).toMatchObject({ code: "InvalidArgument", statusCode: 400 });
  });

  it("ListLayerVersions pages oldest first from startVersion, with nextVersion", async () => {
    const first = (await fc.listLayerVersions(name, new m.ListLayerVersionsRequest({ limit: 2 }))).body!;
    expect(first.layers!.map((l) => l.version)).toEqual([1, 2]);
    expect(first.nextVersion).toBe(3);
    const second = (await fc.listLayerVersions(name, new m.ListLayerVersionsRequest({ limit: 2, startVersion: "3" }))).body!;
    expect(second.layers!.map((l) => l.version)).toEqual([3, 4]);
    const last = (await fc.listLayerVersions(name, new m.ListLayerVersionsRequest({ limit: 2, startVersion: "5" }))).body!;
    expect(last.layers!.map((l) => l.version)).toEqual([5]);
    expect(last.nextVersion).toBeUndefined();
    const all = (await fc.listLayerVersions(name, new m.ListLayerVersionsRequest({}))).body!;
    expect(all.layers).toHaveLength(5);
    const tooMany = await rejection(fc.listLayerVersions(name, new m.ListLayerVersionsRequest({ limit: 101 })));
    expect(tooMany.code).toBe("InvalidArgument");
  });

  it("ListLayers shows each layer by its newest version, with prefix and nextToken paging", async () => {
    for (const n of ["list-a", "list-b", "list-c"]) await fc.createLayerVersion(n, createRequest(zipA));
    await fc.createLayerVersion("list-b", createRequest(zipB));
    const page1 = (await fc.listLayers(new m.ListLayersRequest({ prefix: "list-", limit: 2 }))).body!;
    expect(page1.layers!.map((l) => [l.layerName, l.version])).toEqual([
      ["list-a", 1],
      ["list-b", 2],
    ]);
    expect(page1.nextToken).toBe("list-c");
    const page2 = (await fc.listLayers(new m.ListLayersRequest({ prefix: "list-", limit: 2, nextToken: page1.nextToken }))).body!;
    expect(page2.layers!.map((l) => l.layerName)).toEqual(["list-c"]);
    expect(page2.nextToken).toBeUndefined();
    const official = (await fc.listLayers(new m.ListLayersRequest({ official: "true" }))).body!;
    expect(official.layers).toEqual([]);
  });

  it("reports unknown layers and versions with FC's 404 codes", async () => {
    // A version of a layer that does not exist is an unknown layer version...
    const noLayer = await rejection(fc.getLayerVersion("no-such-layer", "1"));
    expect(noLayer).toMatchObject({ name: "ClientError", code: "LayerVersionNotFound", statusCode: 404 });
    expect((await rejection(fc.deleteLayerVersion("no-such-layer", "1"))).code).toBe("LayerVersionNotFound");
    const noVersion = await rejection(fc.getLayerVersion(name, "99"));
    expect(noVersion).toMatchObject({ code: "LayerVersionNotFound", statusCode: 404 });
    expect(noVersion.requestId).toMatch(/[0-9a-f-]{36}/);
    // ...while listing the versions of a layer that does not exist is an unknown layer.
    const noList = await rejection(fc.listLayerVersions("no-such-layer", new m.ListLayerVersionsRequest({})));
    expect(noList.code).toBe("LayerNotFound");
  });
});

describe("functions", () => {
  it("publishes versions of a seeded function, counting up", async () => {
    const v1 = await fc.publishFunctionVersion("seeded", new m.PublishFunctionVersionRequest({ body: new m.PublishVersionInput({ description: "first" }) }));
    expect(v1.body).toMatchObject({ versionId: "1", description: "first" });
    expect(v1.body!.createdTime).toMatch(/Z$/);
    const v2 = await fc.publishFunctionVersion("seeded", new m.PublishFunctionVersionRequest({}));
    expect(v2.body!.versionId).toBe("2");
  });

  it("creates a function, reads it back, and versions it", async () => {
    const zip = storedZip({ "index.py": "def handler(e, c):\n  return 'ok'\n" });
    const created = await fc.createFunction(
      new m.CreateFunctionRequest({
        body: new m.CreateFunctionInput({
          functionName: "made",
          runtime: "python3.10",
          handler: "index.handler",
          code: new m.InputCodeLocation({ zipFile: zip.toString("base64") }),
        }),
      }),
    );
    expect(created.body).toMatchObject({
      functionName: "made",
      runtime: "python3.10",
      handler: "index.handler",
      codeSize: zip.length,
      codeChecksum: crc64Decimal(zip),
      state: "Active",
    });
    expect(created.body!.functionArn).toBe(`acs:fc:cn-hangzhou:${emu.credentials.aliyun.accountId}:functions/made`);
    const got = await fc.getFunction("made", new m.GetFunctionRequest({}));
    expect(got.body!.functionId).toBe(created.body!.functionId);
    const v = await fc.publishFunctionVersion("made", new m.PublishFunctionVersionRequest({}));
    expect(v.body!.versionId).toBe("1");
    expect((await fc.getFunction("made", new m.GetFunctionRequest({ qualifier: "1" }))).body!.functionName).toBe("made");
    const noVersion = await rejection(fc.getFunction("made", new m.GetFunctionRequest({ qualifier: "7" })));
    expect(noVersion).toMatchObject({ code: "VersionNotFound", statusCode: 404 });
    const dup = await rejection(
      fc.createFunction(new m.CreateFunctionRequest({ body: new m.CreateFunctionInput({ functionName: "made", runtime: "python3.10", handler: "index.handler" }) })),
    );
    expect(dup).toMatchObject({ code: "FunctionAlreadyExists", statusCode: 409 });
  });

  it("validates CreateFunction", async () => {
    const bad = (body: Record<string, unknown>) => rejection(fc.createFunction(new m.CreateFunctionRequest({ body: new m.CreateFunctionInput(body) })));
    expect((await bad({ runtime: "python3.10", handler: "i.h" })).code).toBe("InvalidArgument");
    expect((await bad({ functionName: "9lives", runtime: "python3.10", handler: "i.h" })).code).toBe("InvalidArgument");
    expect((await bad({ functionName: "f", runtime: "python2.7", handler: "i.h" })).data.Message).toContain("python2.7");
    expect((await bad({ functionName: "f", runtime: "python3.10" })).data.Message).toContain("handler");
  });

  it("reports an unknown function as FunctionNotFound", async () => {
    const err = await rejection(fc.publishFunctionVersion("ghost", new m.PublishFunctionVersionRequest({})));
    expect(err).toMatchObject({ name: "ClientError", code: "FunctionNotFound", statusCode: 404 });
    expect((await rejection(fc.getFunction("ghost", new m.GetFunctionRequest({})))).code).toBe("FunctionNotFound");
  });
});

describe("CreateLayerVersion validation (InvalidArgument unless said otherwise)", () => {
  const cases: Array<[string, () => Promise<unknown>, string, string]> = [
    ["a name starting with a digit", () => fc.createLayerVersion("1layer", createRequest(zipA)), "InvalidArgument", "layerName"],
    ["a name of 65 characters", () => fc.createLayerVersion("a".repeat(65), createRequest(zipA)), "InvalidArgument", "layerName"],
    ["a name with a dot", () => fc.createLayerVersion("my.layer", createRequest(zipA)), "InvalidArgument", "layerName"],
    ["an unknown runtime", () => fc.createLayerVersion("v1", createRequest(zipA, { compatibleRuntime: ["java17"] })), "InvalidArgument", "java17"],
    ["21 runtimes", () => fc.createLayerVersion("v2", createRequest(zipA, { compatibleRuntime: Array(21).fill("python3.10") })), "InvalidArgument", "at most 20"],
    ["a description of 257 characters", () => fc.createLayerVersion("v3", createRequest(zipA, { description: "d".repeat(257) })), "InvalidArgument", "description"],
    ["a license of 257 characters", () => fc.createLayerVersion("v4", createRequest(zipA, { license: "l".repeat(257) })), "InvalidArgument", "license"],
    [
      "no code",
      () => fc.createLayerVersion("v5", new m.CreateLayerVersionRequest({ body: new m.CreateLayerVersionInput({ compatibleRuntime: ["python3.10"] }) })),
      "InvalidArgument",
      "code",
    ],
    [
      "zipFile that is not base64",
      () => fc.createLayerVersion("v6", new m.CreateLayerVersionRequest({ body: new m.CreateLayerVersionInput({ code: new m.InputCodeLocation({ zipFile: "not base64!!" }) }) })),
      "InvalidArgument",
      "base64",
    ],
    ["content that is not a zip", () => fc.createLayerVersion("v7", createRequest(Buffer.from("just some text, not a zip file"))), "InvalidArgument", "not a zip"],
    ["a zip cut short (no end of central directory)", () => fc.createLayerVersion("v8", createRequest(zipA.subarray(0, zipA.length - 10))), "InvalidArgument", "not a zip"],
    [
      "code from OSS",
      () =>
        fc.createLayerVersion(
          "v9",
          new m.CreateLayerVersionRequest({ body: new m.CreateLayerVersionInput({ code: new m.InputCodeLocation({ ossBucketName: "b", ossObjectName: "o.zip" }) }) }),
        ),
      "InvalidArgument",
      "OSS",
    ],
  ];
  it.each(cases)("rejects %s", async (_label, call, code, text) => {
    const err = await rejection(call());
    expect(err).toMatchObject({ name: "ClientError", code, statusCode: 400 });
    expect(err.data.Message).toContain(text);
    expect(err.data.RequestId).toBe(err.requestId);
  });

  it("accepts an empty zip archive (only an end of central directory record)", async () => {
    const empty = storedZip({});
    expect((await fc.createLayerVersion("empty-zip", createRequest(empty))).body!.codeSize).toBe(22);
  });
});
