import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import {
  CreateFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionCommand,
  GetLayerVersionCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
} from "@aws-sdk/client-lambda";
import { lambda, sha256Base64, startEmulator, zipOf } from "./helpers.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

test("layers, deleted numbers and functions survive a restart on the same state dir", async () => {
  const stateDir = await mkdtemp(path.join(tmpdir(), "layerctl-aws-state-"));
  dirs.push(stateDir);
  const zip = zipOf({ "python/kept.py": "KEPT = True\n" });

  const first = await startEmulator({ stateDir, functions: [{ name: "seeded" }] });
  const c1 = lambda(first);
  const v1 = await c1.send(new PublishLayerVersionCommand({ LayerName: "kept", Content: { ZipFile: zip }, CompatibleRuntimes: ["python3.12"], Description: "v1" }));
  await c1.send(new PublishLayerVersionCommand({ LayerName: "kept", Content: { ZipFile: zipOf({ "python/x.py": "" }) } }));
  await c1.send(new DeleteLayerVersionCommand({ LayerName: "kept", VersionNumber: 2 }));
  await c1.send(
    new CreateFunctionCommand({
      FunctionName: "made",
      Role: "arn:aws:iam::123456789012:role/r",
      Runtime: "python3.12",
      Handler: "app.handler",
      Code: { ZipFile: zipOf({ "app.py": "" }) },
    }),
  );
  const fv = await c1.send(new PublishVersionCommand({ FunctionName: "seeded" }));
  c1.destroy();
  await first.close();

  const saved = JSON.parse(await readFile(path.join(stateDir, "state", "aws.json"), "utf8"));
  expect(saved.format).toBe(1);

  const second = await startEmulator({ stateDir, functions: [{ name: "seeded" }] });
  const c2 = lambda(second);
  try {
    const got = await c2.send(new GetLayerVersionCommand({ LayerName: "kept", VersionNumber: 1 }));
    expect(got.Content?.CodeSha256).toBe(sha256Base64(zip));
    expect(got.CreatedDate).toBe(v1.CreatedDate);
    expect(got.Description).toBe("v1");
    // The blob is served by the new server too.
    const download = await fetch(got.Content!.Location!);
    expect(Buffer.from(await download.arrayBuffer()).equals(zip)).toBe(true);
    const v3 = await c2.send(new PublishLayerVersionCommand({ LayerName: "kept", Content: { ZipFile: zip } }));
    expect(v3.Version).toBe(3);
    const fn = await c2.send(new GetFunctionCommand({ FunctionName: "made" }));
    expect(fn.Configuration?.Runtime).toBe("python3.12");
    const again = await c2.send(new PublishVersionCommand({ FunctionName: "seeded" }));
    expect(again.Version).toBe(fv.Version);
    expect(again.CodeSha256).toBe(fv.CodeSha256);
  } finally {
    c2.destroy();
    await second.close();
  }
});
