// The update side of the Lambda emulator: UpdateFunctionConfiguration's Layers, its InProgress
// window (ResourceConflictException meanwhile), versions keeping their layers, aliases.
import { beforeAll, describe, expect, test } from "vitest";
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
  GetFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { REGION, rejection, useLambda, zipOf } from "./helpers.js";

let client: LambdaClient;
let clock = Date.now();
const arns: string[] = [];

useLambda({ functionUpdateDelayMs: 1_000, now: () => new Date(clock), functions: [{ name: "fn" }, { name: "busy" }, { name: "al" }] }, (_emu, c) => {
  client = c;
});
beforeAll(async () => {
  for (let i = 1; i <= 6; i++) {
    const out = await client.send(new PublishLayerVersionCommand({ LayerName: `l${i}`, Content: { ZipFile: zipOf({ [`f${i}`]: "x" }) } }));
    arns.push(out.LayerVersionArn!);
  }
});

describe("UpdateFunctionConfiguration", () => {
  test("sets the layer list in order, reports InProgress, then Successful once the delay has passed", async () => {
    const out = await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: "fn", Layers: [arns[1]!, arns[0]!] }));
    expect(out.LastUpdateStatus).toBe("InProgress");
    expect(out.Layers?.map((l) => l.Arn)).toEqual([arns[1], arns[0]]);
    expect((await client.send(new GetFunctionCommand({ FunctionName: "fn" }))).Configuration?.LastUpdateStatus).toBe("InProgress");
    clock += 1_000;
    const got = await client.send(new GetFunctionCommand({ FunctionName: "fn" }));
    expect(got.Configuration?.LastUpdateStatus).toBe("Successful");
    expect(got.Configuration?.Layers?.map((l) => l.Arn)).toEqual([arns[1], arns[0]]);
  });

  test("refuses another update and PublishVersion while one is in progress", async () => {
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: "busy", Layers: [arns[0]!] }));
    for (const call of [
      client.send(new UpdateFunctionConfigurationCommand({ FunctionName: "busy", Layers: [] })),
      client.send(new PublishVersionCommand({ FunctionName: "busy" })),
    ]) {
      const err = await rejection(call);
      expect(err.name).toBe("ResourceConflictException");
      expect(err.message).toContain("An update is in progress for resource");
    }
    clock += 1_000;
    expect((await client.send(new PublishVersionCommand({ FunctionName: "busy" }))).Layers?.map((l) => l.Arn)).toEqual([arns[0]]);
  });

  test("refuses more than 5 layers, a layer version that does not exist, and one of another region", async () => {
    const tooMany = await rejection(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: "fn", Layers: arns })));
    expect([tooMany.name, tooMany.message]).toEqual(["InvalidParameterValueException", "Cannot reference more than 5 layers."]);
    const missing = await rejection(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: "fn", Layers: [arns[0]!.replace(/:1$/, ":9")] })));
    expect(missing.name).toBe("InvalidParameterValueException");
    const elsewhere = await rejection(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: "fn", Layers: [arns[0]!.replace(REGION, "us-west-2")] })));
    expect(elsewhere.name).toBe("InvalidParameterValueException");
    expect(elsewhere.message).toContain("does not exist");
  });

  test("a published version keeps the layers it was published with", async () => {
    clock += 1_000;
    const v = await client.send(new PublishVersionCommand({ FunctionName: "fn" }));
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: "fn", Layers: [arns[2]!] }));
    clock += 1_000;
    const old = await client.send(new GetFunctionCommand({ FunctionName: "fn", Qualifier: v.Version }));
    expect(old.Configuration?.Layers?.map((l) => l.Arn)).toEqual([arns[1], arns[0]]);
  });
});

describe("aliases", () => {
  test("CreateAlias, UpdateAlias and GetAlias; a missing alias or version is ResourceNotFoundException", async () => {
    clock += 1_000;
    const v1 = (await client.send(new PublishVersionCommand({ FunctionName: "al" }))).Version!;
    expect((await rejection(client.send(new UpdateAliasCommand({ FunctionName: "al", Name: "live", FunctionVersion: v1 })))).name).toBe("ResourceNotFoundException");
    // The new version is Pending for the update delay: no alias points at it yet.
    expect((await client.send(new GetFunctionConfigurationCommand({ FunctionName: "al", Qualifier: v1 }))).State).toBe("Pending");
    const pending = await rejection(client.send(new CreateAliasCommand({ FunctionName: "al", Name: "live", FunctionVersion: v1 })));
    expect([pending.name, pending.message]).toEqual(["ResourceConflictException", expect.stringContaining("is in state Pending")]);
    clock += 1_000;
    expect((await client.send(new GetFunctionConfigurationCommand({ FunctionName: "al", Qualifier: v1 }))).State).toBe("Active");
    const created = await client.send(new CreateAliasCommand({ FunctionName: "al", Name: "live", FunctionVersion: v1 }));
    expect(created).toMatchObject({ Name: "live", FunctionVersion: v1, AliasArn: expect.stringMatching(/:function:al:live$/) });
    expect((await rejection(client.send(new CreateAliasCommand({ FunctionName: "al", Name: "live", FunctionVersion: v1 })))).name).toBe("ResourceConflictException");
    expect((await rejection(client.send(new UpdateAliasCommand({ FunctionName: "al", Name: "live", FunctionVersion: "42" })))).name).toBe("ResourceNotFoundException");
    await client.send(new UpdateAliasCommand({ FunctionName: "al", Name: "live", FunctionVersion: "$LATEST" }));
    expect((await client.send(new GetAliasCommand({ FunctionName: "al", Name: "live" }))).FunctionVersion).toBe("$LATEST");
  });
});
