import { describe, expect, test } from "vitest";
import {
  AddLayerVersionPermissionCommand,
  DeleteLayerVersionCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  ListLayersCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  RemoveLayerVersionPermissionCommand,
  type LambdaClient,
} from "@aws-sdk/client-lambda";
import type { RunningEmulator } from "../../../src/emulator/index.js";
import { REGION, lambda, rejection, sha256Base64, startEmulator, useLambda, zipOf } from "./helpers.js";

let emu: RunningEmulator;
let client: LambdaClient;
const ACCOUNT = "123456789012";

useLambda({}, (e, c) => {
  emu = e;
  client = c;
});

function publish(name: string, zip: Buffer, extra: Partial<ConstructorParameters<typeof PublishLayerVersionCommand>[0]> = {}) {
  return client.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: zip }, CompatibleRuntimes: ["python3.12"], ...extra }));
}

describe("PublishLayerVersion", () => {
  test("answers 201 with Lambda's fields: ARNs, base64 CodeSha256, size, location, dates", async () => {
    const zip = zipOf({ "python/mod.py": "X = 1\n" });
    const out = await publish("pub-shape", zip, {
      Description: "deps",
      LicenseInfo: "MIT",
      CompatibleArchitectures: ["arm64", "x86_64"],
      CompatibleRuntimes: ["python3.12", "python3.13"],
    });
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.Version).toBe(1);
    expect(out.LayerArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:layer:pub-shape`);
    expect(out.LayerVersionArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:layer:pub-shape:1`);
    expect(out.Content?.CodeSha256).toBe(sha256Base64(zip));
    expect(out.Content?.CodeSize).toBe(zip.length);
    expect(out.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    expect(out.Description).toBe("deps");
    expect(out.LicenseInfo).toBe("MIT");
    expect(out.CompatibleRuntimes).toEqual(["python3.12", "python3.13"]);
    expect(out.CompatibleArchitectures).toEqual(["arm64", "x86_64"]);
    const download = await fetch(out.Content!.Location!);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(zip)).toBe(true);
  });

  test("versions count up per layer, independently per layer and per region", async () => {
    const a1 = await publish("count-a", zipOf({ "python/a.py": "1" }));
    const a2 = await publish("count-a", zipOf({ "python/a.py": "2" }));
    const b1 = await publish("count-b", zipOf({ "python/b.py": "1" }));
    expect([a1.Version, a2.Version, b1.Version]).toEqual([1, 2, 1]);
    const other = lambda(emu, { region: "ap-northeast-1" });
    const elsewhere = await other.send(new PublishLayerVersionCommand({ LayerName: "count-a", Content: { ZipFile: zipOf({ "x.txt": "x" }) } }));
    expect(elsewhere.Version).toBe(1);
    expect(elsewhere.LayerVersionArn).toBe(`arn:aws:lambda:ap-northeast-1:${ACCOUNT}:layer:count-a:1`);
    other.destroy();
  });

  test("accepts the layer ARN as LayerName", async () => {
    const out = await publish(`arn:aws:lambda:${REGION}:${ACCOUNT}:layer:by-arn`, zipOf({ "python/a.py": "1" }));
    expect(out.LayerVersionArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:layer:by-arn:1`);
    const got = await client.send(new GetLayerVersionCommand({ LayerName: "by-arn", VersionNumber: 1 }));
    expect(got.Version).toBe(1);
  });
});

describe("reading layer versions", () => {
  test("GetLayerVersion and GetLayerVersionByArn return what was published", async () => {
    const zip = zipOf({ "nodejs/node_modules/x/index.js": "module.exports = 1" });
    const pub = await publish("read-me", zip, { CompatibleRuntimes: ["nodejs20.x"], Description: "d" });
    const got = await client.send(new GetLayerVersionCommand({ LayerName: "read-me", VersionNumber: pub.Version }));
    expect(got.$metadata.httpStatusCode).toBe(200);
    expect(got.LayerVersionArn).toBe(pub.LayerVersionArn);
    expect(got.Content?.CodeSha256).toBe(sha256Base64(zip));
    expect(got.CreatedDate).toBe(pub.CreatedDate);
    expect(got.CompatibleRuntimes).toEqual(["nodejs20.x"]);
    const byArn = await client.send(new GetLayerVersionByArnCommand({ Arn: pub.LayerVersionArn }));
    expect(byArn.Version).toBe(pub.Version);
    expect(byArn.Content?.CodeSha256).toBe(got.Content?.CodeSha256);
  });

  test("an unknown version or layer is ResourceNotFoundException 404 with a request id", async () => {
    await publish("known", zipOf({ "python/a.py": "1" }));
    for (const cmd of [
      new GetLayerVersionCommand({ LayerName: "known", VersionNumber: 99 }),
      new GetLayerVersionCommand({ LayerName: "never-published", VersionNumber: 1 }),
      new GetLayerVersionByArnCommand({ Arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:known:99` }),
    ]) {
      const err = await rejection(client.send(cmd as never));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toBe("The resource you requested does not exist.");
      expect(err.$metadata.httpStatusCode).toBe(404);
      expect(err.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(err.Type).toBe("User");
    }
  });

  test("GetLayerVersionByArn rejects a malformed ARN with ValidationException", async () => {
    const err = await rejection(client.send(new GetLayerVersionByArnCommand({ Arn: "arn:aws:lambda:eu-west-1:123:layer:x" })));
    expect(err.name).toBe("ValidationException");
    expect(err.message).toMatch(/^1 validation error detected: Value 'arn:aws:lambda:eu-west-1:123:layer:x' at 'arn' failed to satisfy constraint/);
  });

  test("ListLayerVersions lists newest first, pages with MaxItems/Marker, filters by runtime", async () => {
    for (let i = 0; i < 5; i++) {
      await publish("listed", zipOf({ [`python/v${i}.py`]: String(i) }), { CompatibleRuntimes: i % 2 === 0 ? ["python3.12"] : ["python3.11"] });
    }
    const all = await client.send(new ListLayerVersionsCommand({ LayerName: "listed" }));
    expect(all.LayerVersions?.map((v) => v.Version)).toEqual([5, 4, 3, 2, 1]);
    expect(all.NextMarker).toBeUndefined();
    expect(all.LayerVersions?.[0]?.LayerVersionArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:layer:listed:5`);

    const seen: number[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new ListLayerVersionsCommand({ LayerName: "listed", MaxItems: 2, Marker: marker }));
      expect(page.LayerVersions!.length).toBeLessThanOrEqual(2);
      seen.push(...page.LayerVersions!.map((v) => v.Version!));
      marker = page.NextMarker;
    } while (marker);
    expect(seen).toEqual([5, 4, 3, 2, 1]);

    const py311 = await client.send(new ListLayerVersionsCommand({ LayerName: "listed", CompatibleRuntime: "python3.11" }));
    expect(py311.LayerVersions?.map((v) => v.Version)).toEqual([4, 2]);
    const none = await client.send(new ListLayerVersionsCommand({ LayerName: "no-such-layer" }));
    expect(none.LayerVersions).toEqual([]);
  });

  test("ListLayerVersions validates MaxItems and the runtime filter", async () => {
    const tooMany = await rejection(client.send(new ListLayerVersionsCommand({ LayerName: "listed", MaxItems: 51 })));
    expect(tooMany.name).toBe("ValidationException");
    expect(tooMany.message).toContain("at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50");
    const badRuntime = await rejection(client.send(new ListLayerVersionsCommand({ LayerName: "listed", CompatibleRuntime: "python9" as never })));
    expect(badRuntime.name).toBe("ValidationException");
    expect(badRuntime.message).toContain("at 'compatibleRuntime'");
  });

  test("ListLayers gives each layer with its latest matching version", async () => {
    const emu2 = await startEmulator();
    const c = lambda(emu2);
    try {
      await c.send(new PublishLayerVersionCommand({ LayerName: "b-layer", Content: { ZipFile: zipOf({ a: "1" }) }, CompatibleRuntimes: ["python3.12"] }));
      await c.send(new PublishLayerVersionCommand({ LayerName: "b-layer", Content: { ZipFile: zipOf({ a: "2" }) }, CompatibleRuntimes: ["java21"] }));
      await c.send(new PublishLayerVersionCommand({ LayerName: "a-layer", Content: { ZipFile: zipOf({ a: "3" }) }, CompatibleRuntimes: ["python3.12"] }));
      const all = await c.send(new ListLayersCommand({}));
      expect(all.Layers?.map((l) => [l.LayerName, l.LatestMatchingVersion?.Version])).toEqual([
        ["a-layer", 1],
        ["b-layer", 2],
      ]);
      expect(all.Layers?.[0]?.LayerArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:layer:a-layer`);
      const py = await c.send(new ListLayersCommand({ CompatibleRuntime: "python3.12" }));
      expect(py.Layers?.map((l) => [l.LayerName, l.LatestMatchingVersion?.Version])).toEqual([
        ["a-layer", 1],
        ["b-layer", 1],
      ]);
      const first = await c.send(new ListLayersCommand({ MaxItems: 1 }));
      expect(first.Layers?.map((l) => l.LayerName)).toEqual(["a-layer"]);
      const second = await c.send(new ListLayersCommand({ MaxItems: 1, Marker: first.NextMarker }));
      expect(second.Layers?.map((l) => l.LayerName)).toEqual(["b-layer"]);
      expect(second.NextMarker).toBeUndefined();
    } finally {
      c.destroy();
      await emu2.close();
    }
  });
});

describe("DeleteLayerVersion", () => {
  test("deletes; the number is never reused; deleting again still succeeds", async () => {
    await publish("deleted", zipOf({ "python/a.py": "1" }));
    await publish("deleted", zipOf({ "python/a.py": "2" }));
    const del = await client.send(new DeleteLayerVersionCommand({ LayerName: "deleted", VersionNumber: 2 }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    const gone = await rejection(client.send(new GetLayerVersionCommand({ LayerName: "deleted", VersionNumber: 2 })));
    expect(gone.name).toBe("ResourceNotFoundException");
    const again = await client.send(new DeleteLayerVersionCommand({ LayerName: "deleted", VersionNumber: 2 }));
    expect(again.$metadata.httpStatusCode).toBe(204);
    const next = await publish("deleted", zipOf({ "python/a.py": "3" }));
    expect(next.Version).toBe(3);
    const list = await client.send(new ListLayerVersionsCommand({ LayerName: "deleted" }));
    expect(list.LayerVersions?.map((v) => v.Version)).toEqual([3, 1]);
  });
});

describe("layer version permissions", () => {
  test("add, read, conflict, revision check and remove", async () => {
    const pub = await publish("shared", zipOf({ "python/a.py": "1" }));
    const v = pub.Version!;
    const noPolicy = await rejection(client.send(new GetLayerVersionPolicyCommand({ LayerName: "shared", VersionNumber: v })));
    expect(noPolicy.name).toBe("ResourceNotFoundException");
    expect(noPolicy.message).toBe("No policy is associated with the given resource.");

    const added = await client.send(
      new AddLayerVersionPermissionCommand({ LayerName: "shared", VersionNumber: v, StatementId: "public", Action: "lambda:GetLayerVersion", Principal: "*" }),
    );
    expect(added.$metadata.httpStatusCode).toBe(201);
    expect(JSON.parse(added.Statement!)).toEqual({
      Sid: "public",
      Effect: "Allow",
      Principal: "*",
      Action: "lambda:GetLayerVersion",
      Resource: pub.LayerVersionArn,
    });
    const account = await client.send(
      new AddLayerVersionPermissionCommand({
        LayerName: "shared",
        VersionNumber: v,
        StatementId: "acct",
        Action: "lambda:GetLayerVersion",
        Principal: "210987654321",
        RevisionId: added.RevisionId,
      }),
    );
    expect(JSON.parse(account.Statement!).Principal).toEqual({ AWS: "arn:aws:iam::210987654321:root" });

    const policy = await client.send(new GetLayerVersionPolicyCommand({ LayerName: "shared", VersionNumber: v }));
    expect(policy.RevisionId).toBe(account.RevisionId);
    expect(JSON.parse(policy.Policy!).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["public", "acct"]);

    const dup = await rejection(
      client.send(new AddLayerVersionPermissionCommand({ LayerName: "shared", VersionNumber: v, StatementId: "public", Action: "lambda:GetLayerVersion", Principal: "*" })),
    );
    expect(dup.name).toBe("ResourceConflictException");
    expect(dup.$metadata.httpStatusCode).toBe(409);

    const stale = await rejection(
      client.send(
        new AddLayerVersionPermissionCommand({
          LayerName: "shared",
          VersionNumber: v,
          StatementId: "x",
          Action: "lambda:GetLayerVersion",
          Principal: "*",
          RevisionId: added.RevisionId,
        }),
      ),
    );
    expect(stale.name).toBe("PreconditionFailedException");
    expect(stale.$metadata.httpStatusCode).toBe(412);

    const badAction = await rejection(
      client.send(new AddLayerVersionPermissionCommand({ LayerName: "shared", VersionNumber: v, StatementId: "y", Action: "lambda:InvokeFunction", Principal: "*" })),
    );
    expect(badAction.name).toBe("ValidationException");

    const removed = await client.send(new RemoveLayerVersionPermissionCommand({ LayerName: "shared", VersionNumber: v, StatementId: "public" }));
    expect(removed.$metadata.httpStatusCode).toBe(204);
    const after = await client.send(new GetLayerVersionPolicyCommand({ LayerName: "shared", VersionNumber: v }));
    expect(JSON.parse(after.Policy!).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["acct"]);
    const missing = await rejection(client.send(new RemoveLayerVersionPermissionCommand({ LayerName: "shared", VersionNumber: v, StatementId: "public" })));
    expect(missing.name).toBe("ResourceNotFoundException");
  });
});
