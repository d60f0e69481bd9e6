// The update side of the FC 3.0 emulator: UpdateFunction's layers, lastUpdateStatus InProgress then
// Successful (ConcurrentUpdateError meanwhile), aliases. (GetFunction of a version is the read side: not here.)
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { start, type RunningEmulator } from "../../../src/emulator/index.js";
import { crc64Decimal } from "../../../src/archive/crc64.js";
import type { AliyunSdk, FcClientInstance } from "../../../src/providers/aliyun/sdk.js";
import { fcClient, rejection, sdk, storedZip } from "./helpers.js";

let emu: RunningEmulator;
let client: FcClientInstance;
let m: AliyunSdk["models"];
let clock = Date.now();
const arns: string[] = [];

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0, functionUpdateDelayMs: 1_000, now: () => new Date(clock), functions: [{ name: "fn" }, { name: "al" }] });
  client = await fcClient(emu);
  m = (await sdk()).models;
  for (const name of ["a", "b"]) {
    const zip = storedZip({ [`${name}.txt`]: name });
    const body = new m.CreateLayerVersionInput({
      code: new m.InputCodeLocation({ zipFile: zip.toString("base64"), checksum: crc64Decimal(zip) }),
      compatibleRuntime: ["python3.10"],
    });
    const out = await client.createLayerVersion(name, new m.CreateLayerVersionRequest({ body }));
    arns.push(out.body!.layerVersionArn!);
  }
});
afterAll(async () => {
  await emu.close();
});

const update = (layers: string[]) => client.updateFunction("fn", new m.UpdateFunctionRequest({ body: new m.UpdateFunctionInput({ layers }) }));
const get = async (qualifier?: string) => (await client.getFunction("fn", new m.GetFunctionRequest({ qualifier }))).body!;

describe("UpdateFunction", () => {
  test("sets layers in order; lastUpdateStatus InProgress, then Successful; a second update meanwhile is a conflict", async () => {
    const out = await update([arns[1]!, arns[0]!]);
    expect(out.body!.lastUpdateStatus).toBe("InProgress");
    const busy = await rejection(update([arns[0]!]));
    expect(busy.code).toBe("ConcurrentUpdateError");
    clock += 1_000;
    const got = await get();
    expect(got.lastUpdateStatus).toBe("Successful");
    expect(got.layers!.map((l) => l.arn)).toEqual([arns[1], arns[0]]);
    expect(got.layers![0]!.size).toBeGreaterThan(0);
  });

  test("refuses a layer version that does not exist and more than 5 layers", async () => {
    expect((await rejection(update([arns[0]!.replace(/\/1$/, "/9")]))).code).toBe("LayerVersionNotFound");
    expect((await rejection(update(Array(6).fill(arns[0]!)))).code).toBe("InvalidArgument");
  });

  test("PublishFunctionVersion answers the Version structure (no layers); a later update changes the function's layers", async () => {
    const v = await client.publishFunctionVersion("fn", new m.PublishFunctionVersionRequest({ body: new m.PublishVersionInput({}) }));
    await update([arns[0]!]);
    clock += 1_000;
    expect((await get()).layers!.map((l) => l.arn)).toEqual([arns[0]]);
    expect(Object.keys(v.body!)).not.toContain("layers");
  });
});

describe("aliases", () => {
  test("CreateAlias, UpdateAlias, GetAlias with AliasNotFound, AliasAlreadyExists and VersionNotFound", async () => {
    const v = (await client.publishFunctionVersion("al", new m.PublishFunctionVersionRequest({ body: new m.PublishVersionInput({}) }))).body!.versionId!;
    const updateTo = (versionId: string) => client.updateAlias("al", "live", new m.UpdateAliasRequest({ body: new m.UpdateAliasInput({ versionId }) }));
    expect((await rejection(updateTo(v))).code).toBe("AliasNotFound");
    const created = await client.createAlias("al", new m.CreateAliasRequest({ body: new m.CreateAliasInput({ aliasName: "live", versionId: v }) }));
    expect(created.body).toMatchObject({ aliasName: "live", versionId: v });
    expect((await rejection(client.createAlias("al", new m.CreateAliasRequest({ body: new m.CreateAliasInput({ aliasName: "live", versionId: v }) })))).code).toBe(
      "AliasAlreadyExists",
    );
    expect((await rejection(updateTo("42"))).code).toBe("VersionNotFound");
    const v2 = (await client.publishFunctionVersion("al", new m.PublishFunctionVersionRequest({ body: new m.PublishVersionInput({}) }))).body!.versionId!;
    await updateTo(v2);
    expect((await client.getAlias("al", "live")).body!.versionId).toBe(v2);
    // ListAliases, paged by limit / nextToken as the SDK reads it.
    await client.createAlias("al", new m.CreateAliasRequest({ body: new m.CreateAliasInput({ aliasName: "blue", versionId: v }) }));
    const first = (await client.listAliases("al", new m.ListAliasesRequest({ limit: 1 }))).body!;
    expect(first.aliases!.map((a) => [a.aliasName, a.versionId])).toEqual([["blue", v]]);
    const rest = (await client.listAliases("al", new m.ListAliasesRequest({ limit: 1, nextToken: first.nextToken }))).body!;
    expect(rest.aliases!.map((a) => [a.aliasName, a.versionId])).toEqual([["live", v2]]);
    expect(rest.nextToken).toBeUndefined();
  });
});
