import { describe, expect, test } from "vitest";
import { CreateFunctionCommand, GetFunctionCommand, PublishLayerVersionCommand, PublishVersionCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { REGION, rejection, sha256Base64, useLambda, zipOf } from "./helpers.js";

let client: LambdaClient;
const ACCOUNT = "123456789012";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/fn-role`;

useLambda({ functions: [{ name: "seeded" }, { name: "seeded-twice" }, { provider: "tencent", name: "tencent-only" }] }, (_emu, c) => {
  client = c;
});

describe("PublishVersion", () => {
  test("publishes version 1 of a seeded function", async () => {
    const out = await client.send(new PublishVersionCommand({ FunctionName: "seeded", Description: "release 1" }));
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out.Version).toBe("1");
    expect(out.FunctionArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:seeded:1`);
    expect(out.Description).toBe("release 1");
    // A new version is Pending until Lambda has prepared it (function-updates.test.ts steps the clock past it).
    expect(out).toMatchObject({ State: "Pending", StateReasonCode: "Creating" });
    expect(out.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  test("with nothing changed since the last version, Lambda answers with that version", async () => {
    const first = await client.send(new PublishVersionCommand({ FunctionName: "seeded-twice" }));
    const second = await client.send(new PublishVersionCommand({ FunctionName: "seeded-twice" }));
    expect(first.Version).toBe("1");
    expect(second.Version).toBe("1");
  });

  test("an unknown function (or another cloud's seed) is ResourceNotFoundException naming its ARN", async () => {
    for (const name of ["no-such-fn", "tencent-only"]) {
      const err = await rejection(client.send(new PublishVersionCommand({ FunctionName: name })));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.$metadata.httpStatusCode).toBe(404);
      expect(err.message).toBe(`Function not found: arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`);
      expect(err.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  test("CodeSha256 that is not $LATEST's is refused", async () => {
    const err = await rejection(client.send(new PublishVersionCommand({ FunctionName: "seeded", CodeSha256: "AAAA" })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toMatch(/^CodeSHA256 \(AAAA\) is different from current CodeSHA256 in \$LATEST/);
  });

  test("accepts the function ARN", async () => {
    const out = await client.send(new PublishVersionCommand({ FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:seeded` }));
    expect(out.Version).toBe("1");
  });
});

describe("CreateFunction / GetFunction", () => {
  test("creates a function (Pending), reads it back Active, publishes it", async () => {
    const code = zipOf({ "index.js": "exports.handler = async () => 1;" });
    const layer = await client.send(new PublishLayerVersionCommand({ LayerName: "fn-layer", Content: { ZipFile: zipOf({ "nodejs/node_modules/a/index.js": "" }) } }));
    const created = await client.send(
      new CreateFunctionCommand({ FunctionName: "made", Role: ROLE, Runtime: "nodejs20.x", Handler: "index.handler", Code: { ZipFile: code }, Layers: [layer.LayerVersionArn!] }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.State).toBe("Pending");
    expect(created.Version).toBe("$LATEST");
    expect(created.CodeSha256).toBe(sha256Base64(code));
    expect(created.Layers?.map((l) => l.Arn)).toEqual([layer.LayerVersionArn]);

    const got = await client.send(new GetFunctionCommand({ FunctionName: "made" }));
    expect(got.Configuration?.State).toBe("Active");
    expect(got.Configuration?.FunctionArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:made`);
    const download = await fetch(got.Code!.Location!);
    expect(Buffer.from(await download.arrayBuffer()).equals(code)).toBe(true);

    const v1 = await client.send(new PublishVersionCommand({ FunctionName: "made", CodeSha256: created.CodeSha256 }));
    expect(v1.Version).toBe("1");
    const gotV1 = await client.send(new GetFunctionCommand({ FunctionName: "made", Qualifier: "1" }));
    expect(gotV1.Configuration?.Version).toBe("1");
    const missing = await rejection(client.send(new GetFunctionCommand({ FunctionName: "made", Qualifier: "7" })));
    expect(missing.name).toBe("ResourceNotFoundException");
    expect(missing.message).toBe(`Function not found: arn:aws:lambda:${REGION}:${ACCOUNT}:function:made:7`);
  });

  test("Publish: true creates version 1 at once; a second create conflicts", async () => {
    const input = {
      FunctionName: "published",
      Role: ROLE,
      Runtime: "python3.12" as const,
      Handler: "app.handler",
      Code: { ZipFile: zipOf({ "app.py": "def handler(e, c): pass" }) },
      Publish: true,
    };
    const created = await client.send(new CreateFunctionCommand(input));
    expect(created.Version).toBe("1");
    expect(created.FunctionArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:published:1`);
    const again = await rejection(client.send(new CreateFunctionCommand(input)));
    expect(again.name).toBe("ResourceConflictException");
    expect(again.$metadata.httpStatusCode).toBe(409);
    const seeded = await rejection(client.send(new CreateFunctionCommand({ ...input, FunctionName: "seeded" })));
    expect(seeded.name).toBe("ResourceConflictException");
  });

  test("refuses what Lambda refuses", async () => {
    const base = { FunctionName: "refused", Role: ROLE, Runtime: "python3.12" as const, Handler: "app.handler", Code: { ZipFile: zipOf({ "app.py": "" }) } };
    const noHandler = await rejection(client.send(new CreateFunctionCommand({ ...base, Handler: undefined })));
    expect(noHandler.name).toBe("InvalidParameterValueException");
    expect(noHandler.message).toBe("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
    const badRole = await rejection(client.send(new CreateFunctionCommand({ ...base, Role: "not-a-role" })));
    expect(badRole.name).toBe("ValidationException");
    expect(badRole.message).toContain("at 'role'");
    const notZip = await rejection(client.send(new CreateFunctionCommand({ ...base, Code: { ZipFile: Buffer.from("nope nope nope nope nope nope") } })));
    expect(notZip.name).toBe("InvalidParameterValueException");
    const noLayer = await rejection(client.send(new CreateFunctionCommand({ ...base, Layers: [`arn:aws:lambda:${REGION}:${ACCOUNT}:layer:ghost:1`] })));
    expect(noLayer.name).toBe("InvalidParameterValueException");
    expect(noLayer.message).toBe(`Layer version arn:aws:lambda:${REGION}:${ACCOUNT}:layer:ghost:1 does not exist.`);
    const unknown = await rejection(client.send(new GetFunctionCommand({ FunctionName: "refused" })));
    expect(unknown.name).toBe("ResourceNotFoundException");
  });
});
