// The update side of the SCF emulator: UpdateFunctionConfiguration's Layers (an empty list is
// ignored, one empty entry clears them), Status Updating then Active, versions keeping their
// layers, aliases.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { start, type RunningEmulator } from "../../../src/emulator/index.js";
import { sdkClient, sdkError, tinyZip, type ScfClient } from "./helpers.js";

let emu: RunningEmulator;
let client: ScfClient;
let clock = Date.now();

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0, functionUpdateDelayMs: 1_000, now: () => new Date(clock), functions: [{ name: "fn" }, { name: "al" }] });
  client = sdkClient(emu);
  for (const name of ["a", "b"]) {
    await client.PublishLayerVersion({ LayerName: name, CompatibleRuntimes: ["Python3.9"], Content: { ZipFile: tinyZip(name).toString("base64") } });
  }
});
afterAll(async () => {
  await emu.close();
});

const layersOf = async (qualifier?: string) => (await client.GetFunction({ FunctionName: "fn", Qualifier: qualifier })).Layers?.map((l) => `${l.LayerName}:${l.LayerVersion}`);

describe("UpdateFunctionConfiguration", () => {
  test("sets Layers in order; the function is Updating, then Active", async () => {
    await client.UpdateFunctionConfiguration({
      FunctionName: "fn",
      Layers: [
        { LayerName: "b", LayerVersion: 1 },
        { LayerName: "a", LayerVersion: 1 },
      ],
    });
    expect((await client.GetFunction({ FunctionName: "fn" })).Status).toBe("Updating");
    const busy = await sdkError(client.UpdateFunctionConfiguration({ FunctionName: "fn", Layers: [{ LayerName: "a", LayerVersion: 1 }] }));
    expect(busy.code).toBe("FailedOperation.UpdateFunctionConfiguration");
    clock += 1_000;
    const got = await client.GetFunction({ FunctionName: "fn" });
    expect(got.Status).toBe("Active");
    expect(got.Layers?.map((l) => [l.LayerName, l.LayerVersion, l.Status])).toEqual([
      ["b", 1, "Active"],
      ["a", 1, "Active"],
    ]);
  });

  test("ignores an empty Layers list; one empty entry removes every layer; a version keeps its layers", async () => {
    clock += 1_000;
    await client.UpdateFunctionConfiguration({ FunctionName: "fn", Layers: [] });
    clock += 1_000;
    expect(await layersOf()).toEqual(["b:1", "a:1"]);
    const v = await client.PublishVersion({ FunctionName: "fn" });
    await client.UpdateFunctionConfiguration({ FunctionName: "fn", Layers: [{ LayerName: "", LayerVersion: 0 }] });
    clock += 1_000;
    expect(await layersOf()).toEqual([]);
    expect(await layersOf(v.FunctionVersion)).toEqual(["b:1", "a:1"]);
  });

  test("refuses a missing layer version and more than 5 layers", async () => {
    clock += 1_000;
    expect((await sdkError(client.UpdateFunctionConfiguration({ FunctionName: "fn", Layers: [{ LayerName: "a", LayerVersion: 9 }] }))).code).toBe("ResourceNotFound.LayerVersion");
    expect((await sdkError(client.UpdateFunctionConfiguration({ FunctionName: "fn", Layers: [{ LayerName: "zz", LayerVersion: 1 }] }))).code).toBe("ResourceNotFound.Layer");
    const six = Array.from({ length: 6 }, (_, i) => ({ LayerName: `x${i}`, LayerVersion: 1 }));
    expect((await sdkError(client.UpdateFunctionConfiguration({ FunctionName: "fn", Layers: six }))).code).toBe("InvalidParameterValue.Layers");
  });
});

describe("aliases", () => {
  test("CreateAlias, UpdateAlias, GetAlias with the service's not-found and in-use codes", async () => {
    const v = (await client.PublishVersion({ FunctionName: "al" })).FunctionVersion!;
    expect((await sdkError(client.UpdateAlias({ FunctionName: "al", Name: "live", FunctionVersion: v }))).code).toBe("ResourceNotFound.Alias");
    // PublishVersion is asynchronous: the version is Publishing, and no alias points at it yet.
    expect((await client.GetFunction({ FunctionName: "al", Qualifier: v })).Status).toBe("Publishing");
    expect((await sdkError(client.CreateAlias({ FunctionName: "al", Name: "live", FunctionVersion: v }))).code).toBe("FailedOperation.CreateAlias");
    clock += 1_000;
    expect((await client.GetFunction({ FunctionName: "al", Qualifier: v })).Status).toBe("Active");
    await client.CreateAlias({ FunctionName: "al", Name: "live", FunctionVersion: v });
    expect((await sdkError(client.CreateAlias({ FunctionName: "al", Name: "live", FunctionVersion: v }))).code).toBe("ResourceInUse.Alias");
    expect((await sdkError(client.UpdateAlias({ FunctionName: "al", Name: "live", FunctionVersion: "7" }))).code).toBe("ResourceNotFound.Version");
    await client.UpdateAlias({ FunctionName: "al", Name: "live", FunctionVersion: "$LATEST" });
    expect((await client.GetAlias({ FunctionName: "al", Name: "live" })).FunctionVersion).toBe("$LATEST");
    const listed = await client.ListAliases({ FunctionName: "al" });
    expect(listed).toMatchObject({ TotalCount: 1, Aliases: [{ Name: "live", FunctionVersion: "$LATEST" }] });
    expect((await client.ListAliases({ FunctionName: "al", FunctionVersion: v })).TotalCount).toBe(0);
  });

  test("an alias is not moved to a version still Publishing; PublishVersion waits for an update to end", async () => {
    clock += 1_000;
    await client.UpdateFunctionConfiguration({ FunctionName: "al", Description: "busy" });
    expect((await sdkError(client.PublishVersion({ FunctionName: "al" }))).code).toBe("FailedOperation.PublishVersion");
    clock += 1_000;
    const v = (await client.PublishVersion({ FunctionName: "al" })).FunctionVersion!;
    expect((await sdkError(client.UpdateAlias({ FunctionName: "al", Name: "live", FunctionVersion: v }))).code).toBe("FailedOperation.UpdateAlias");
    const versions = await client.ListVersionByFunction({ FunctionName: "al" });
    expect(versions.Versions?.find((x) => x.Version === v)?.Status).toBe("Publishing");
    clock += 1_000;
    await client.UpdateAlias({ FunctionName: "al", Name: "live", FunctionVersion: v });
  });
});
