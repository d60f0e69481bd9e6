// The emulator's lifecycle operations as each cloud's own SDK sees them: delete semantics, the
// function reads with layers, sharing state.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateFunctionCommand,
  DeleteLayerVersionCommand,
  GetLayerVersionCommand,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishLayerVersionCommand,
} from "@aws-sdk/client-lambda";
import { start, type RunningEmulator } from "../../src/emulator/index.js";
import { lambda, rejection, REGION, zipOf } from "./aws/helpers.js";
import { sdkClient, sdkError } from "./tencent/helpers.js";
import { fcClient, sdk as aliyunSdk } from "./aliyun/helpers.js";

describe("aws", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await start({
      port: 0,
      functions: [
        {
          provider: "aws",
          name: "seeded",
          versions: [{ layers: [{ name: "deps", version: 1 }] }],
          layers: [{ name: "deps", version: 2 }],
          aliases: [{ name: "live", version: "1" }],
        },
      ],
    });
  });
  afterAll(() => emu.close());

  it("DeleteLayerVersion answers 204 for a version that is not there, and numbers are never reused", async () => {
    const c = lambda(emu);
    const publish = () => c.send(new PublishLayerVersionCommand({ LayerName: "gone", Content: { ZipFile: zipOf({ a: "1" }) } }));
    await publish();
    const del = await c.send(new DeleteLayerVersionCommand({ LayerName: "gone", VersionNumber: 1 }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    const again = await c.send(new DeleteLayerVersionCommand({ LayerName: "gone", VersionNumber: 1 }));
    expect(again.$metadata.httpStatusCode).toBe(204);
    expect((await rejection(c.send(new GetLayerVersionCommand({ LayerName: "gone", VersionNumber: 1 })))).name).toBe("ResourceNotFoundException");
    expect((await publish()).Version).toBe(2);
  });

  it("lists seeded and created functions with their layers, their versions and aliases", async () => {
    const c = lambda(emu);
    const layer = await c.send(new PublishLayerVersionCommand({ LayerName: "tools", Content: { ZipFile: zipOf({ t: "1" }) } }));
    await c.send(
      new CreateFunctionCommand({
        FunctionName: "made",
        Role: "arn:aws:iam::123456789012:role/r",
        Runtime: "python3.12",
        Handler: "index.handler",
        Code: { ZipFile: zipOf({ "index.py": "x" }) },
        Layers: [layer.LayerVersionArn!],
        Publish: true,
      }),
    );
    const fns = await c.send(new ListFunctionsCommand({}));
    expect(fns.Functions!.map((f) => f.FunctionName)).toEqual(["made", "seeded"]);
    expect(fns.Functions![0]!.Layers).toEqual([{ Arn: layer.LayerVersionArn, CodeSize: 0 }]);
    const all = await c.send(new ListFunctionsCommand({ FunctionVersion: "ALL", MaxItems: 2 }));
    expect(all.Functions!.map((f) => `${f.FunctionName}:${f.Version}`)).toEqual(["made:$LATEST", "made:1"]);
    expect(all.NextMarker).toBeTruthy();
    const rest = await c.send(new ListFunctionsCommand({ FunctionVersion: "ALL", Marker: all.NextMarker }));
    expect(rest.Functions!.map((f) => `${f.FunctionName}:${f.Version}`)).toEqual(["seeded:$LATEST", "seeded:1"]);

    const versions = await c.send(new ListVersionsByFunctionCommand({ FunctionName: "seeded" }));
    expect(versions.Versions!.map((v) => [v.Version, v.Layers?.map((l) => (l.Arn ?? "").split(":").slice(-2).join(":"))])).toEqual([
      ["$LATEST", ["deps:2"]],
      ["1", ["deps:1"]],
    ]);
    const aliases = await c.send(new ListAliasesCommand({ FunctionName: "seeded" }));
    expect(aliases.Aliases).toEqual([
      expect.objectContaining({ Name: "live", FunctionVersion: "1", AliasArn: expect.stringMatching(new RegExp(`^arn:aws:lambda:${REGION}:\\d{12}:function:seeded:live$`)) }),
    ]);
    expect((await rejection(c.send(new ListAliasesCommand({ FunctionName: "nope" })))).name).toBe("ResourceNotFoundException");
  });
});

describe("tencent", () => {
  let emu: RunningEmulator;
  let clock = Date.now();
  beforeAll(async () => {
    emu = await start({ port: 0, tencentPublishDelayMs: 1_000, now: () => new Date(clock), functions: [{ provider: "tencent", name: "worker", namespace: "jobs" }] });
  });
  afterAll(() => emu.close());
  const zip = () => zipOf({ "index.py": "x" }).toString("base64");

  it("deletes asynchronously: Deleting, then gone; the number is not reused", async () => {
    const c = sdkClient(emu);
    await c.PublishLayerVersion({ LayerName: "async", CompatibleRuntimes: ["Python3.9"], Content: { ZipFile: zip() } });
    clock += 1_000;
    expect((await c.GetLayerVersion({ LayerName: "async", LayerVersion: 1 })).Status).toBe("Active");
    const del = await c.DeleteLayerVersion({ LayerName: "async", LayerVersion: 1 });
    expect(Object.keys(del)).toEqual(["RequestId"]);
    expect((await c.GetLayerVersion({ LayerName: "async", LayerVersion: 1 })).Status).toBe("Deleting");
    expect((await c.ListLayerVersions({ LayerName: "async" })).LayerVersions!.map((v) => v.Status)).toEqual(["Deleting"]);
    // A deleted (or deleting) version cannot be bound to a function.
    const bind = await sdkError(c.CreateFunction({ FunctionName: "binder", Code: { ZipFile: zip() }, Layers: [{ LayerName: "async", LayerVersion: 1 }] }));
    expect(bind.code).toBe("ResourceNotFound.LayerVersion");
    clock += 1_000;
    expect((await sdkError(c.GetLayerVersion({ LayerName: "async", LayerVersion: 1 }))).code).toBe("ResourceNotFound.LayerVersion");
    expect((await sdkError(c.DeleteLayerVersion({ LayerName: "async", LayerVersion: 1 }))).code).toBe("ResourceNotFound.LayerVersion");
    expect((await c.PublishLayerVersion({ LayerName: "async", CompatibleRuntimes: ["Python3.9"], Content: { ZipFile: zip() } })).LayerVersion).toBe(2);
  });

  it("ends a delete hit by the publish-failed fault in DeleteFailed, and the version stays", async () => {
    const c = sdkClient(emu);
    await c.PublishLayerVersion({ LayerName: "stuck", CompatibleRuntimes: ["Python3.9"], Content: { ZipFile: zip() } });
    emu.faults.add({ provider: "tencent", action: "DeleteLayerVersion", kind: "publish-failed", times: 1 });
    await c.DeleteLayerVersion({ LayerName: "stuck", LayerVersion: 1 });
    clock += 1_000;
    expect((await c.GetLayerVersion({ LayerName: "stuck", LayerVersion: 1 })).Status).toBe("DeleteFailed");
  });

  it("lists namespaces, functions per namespace and versions; GetFunction carries the layers", async () => {
    const c = sdkClient(emu);
    await c.PublishLayerVersion({ LayerName: "libs", CompatibleRuntimes: ["Python3.9"], Content: { ZipFile: zip() } });
    clock += 1_000;
    await c.CreateFunction({ FunctionName: "api", Code: { ZipFile: zip() }, Layers: [{ LayerName: "libs", LayerVersion: 1 }] });
    await c.PublishVersion({ FunctionName: "api" });
    const ns = await c.ListNamespaces({});
    expect(ns.Namespaces!.map((n) => n.Name)).toEqual(["default", "jobs"]);
    expect((await c.ListFunctions({ Namespace: "jobs" })).Functions!.map((f) => f.FunctionName)).toEqual(["worker"]);
    const fns = await c.ListFunctions({ Limit: 1 });
    expect(fns.TotalCount).toBe(1);
    const versions = await c.ListVersionByFunction({ FunctionName: "api" });
    expect(versions.FunctionVersion).toEqual(["$LATEST", "1"]);
    const v1 = await c.GetFunction({ FunctionName: "api", Qualifier: "1" });
    expect(v1.Layers).toEqual([expect.objectContaining({ LayerName: "libs", LayerVersion: 1, Status: "Active" })]);
    expect((await sdkError(c.ListFunctions({ Namespace: "nope" }))).code).toBe("ResourceNotFound.Namespace");
  });
});

describe("aliyun", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await start({ port: 0 });
  });
  afterAll(() => emu.close());

  it("creates a function with layers, keeps them per published version, lists versions newest first, and PutLayerACL makes the whole layer public", async () => {
    const s = await aliyunSdk();
    const c = await fcClient(emu, { region: "cn-hangzhou" });
    const code = () => new s.models.InputCodeLocation({ zipFile: zipOf({ "index.py": "x" }).toString("base64") });
    const layer = (await c.createLayerVersion("shared", new s.models.CreateLayerVersionRequest({ body: new s.models.CreateLayerVersionInput({ code: code() }) }))).body!;
    await c.createFunction(
      new s.models.CreateFunctionRequest({
        body: new s.models.CreateFunctionInput({ functionName: "fn", runtime: "python3.10", handler: "index.handler", code: code(), layers: [layer.layerVersionArn!] }),
      }),
    );
    for (let i = 0; i < 3; i++) await c.publishFunctionVersion("fn", new s.models.PublishFunctionVersionRequest({ body: new s.models.PublishVersionInput({}) }));
    const page = (await c.listFunctionVersions("fn", new s.models.ListFunctionVersionsRequest({ limit: 2 }))).body!;
    expect(page.versions!.map((v) => v.versionId)).toEqual(["3", "2"]);
    const next = (await c.listFunctionVersions("fn", new s.models.ListFunctionVersionsRequest({ limit: 2, nextToken: page.nextToken }))).body!;
    expect(next.versions!.map((v) => v.versionId)).toEqual(["1"]);
    const v2 = (await c.getFunction("fn", new s.models.GetFunctionRequest({ qualifier: "2" }))).body!;
    expect(v2.layers).toEqual([expect.objectContaining({ arn: layer.layerVersionArn })]);
    expect((await c.listFunctions(new s.models.ListFunctionsRequest({}))).body!.functions!.map((f) => f.functionName)).toEqual(["fn"]);

    await c.putLayerACL("shared", new s.models.PutLayerACLRequest({ acl: "1" }));
    expect((await c.getLayerVersion("shared", "1")).body!.acl).toBe("1");
    const published = (await c.createLayerVersion("shared", new s.models.CreateLayerVersionRequest({ body: new s.models.CreateLayerVersionInput({ code: code() }) }))).body!;
    expect(published.acl).toBe("1");
    expect((await c.listLayers(new s.models.ListLayersRequest({ public: true }))).body!.layers!.map((l) => l.layerName)).toEqual(["shared"]);
    await c.putLayerACL("shared", new s.models.PutLayerACLRequest({ public: "false" }));
    expect((await c.getLayerVersion("shared", "2")).body!.acl).toBe("0");
  });
});
