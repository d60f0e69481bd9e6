// CreateFunction / GetFunction (minimal) and PublishVersion through the official SDK.
import { beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../src/emulator/index.js";
import { sdkClient, sdkError, tinyZip, type ScfClient } from "./helpers.js";
import { useEmulator } from "../../helpers/emulator.js";

let emu: RunningEmulator;
let scf: ScfClient;

useEmulator({ functions: [{ name: "seeded" }, { name: "in-ns", namespace: "team" }, { provider: "aws", name: "aws-only" }] }, (started) => {
  emu = started;
});
beforeAll(async () => {
  scf = sdkClient(emu);
});

describe("PublishVersion", () => {
  it("versions a seeded function, counting up as strings", async () => {
    const v1 = await scf.PublishVersion({ FunctionName: "seeded", Description: "release 1" });
    expect(v1).toMatchObject({ FunctionVersion: "1", Namespace: "default", Description: "release 1", Handler: expect.any(String), Runtime: expect.any(String) });
    expect(v1.RequestId).toBeTruthy();
    expect((await scf.PublishVersion({ FunctionName: "seeded" })).FunctionVersion).toBe("2");
  });

  it("counts separately per region", async () => {
    const other = sdkClient(emu, { region: "ap-shanghai" });
    expect((await other.PublishVersion({ FunctionName: "seeded" })).FunctionVersion).toBe("1");
  });

  it("honours namespaces", async () => {
    expect((await scf.PublishVersion({ FunctionName: "in-ns", Namespace: "team" })).Namespace).toBe("team");
    expect((await sdkError(scf.PublishVersion({ FunctionName: "in-ns" }))).code).toBe("ResourceNotFound.Function");
    expect((await sdkError(scf.PublishVersion({ FunctionName: "seeded", Namespace: "nope" }))).code).toBe("ResourceNotFound.Namespace");
  });

  it("reports an unknown function, and ignores other clouds' seeds", async () => {
    for (const name of ["no-such-function", "aws-only"]) {
      const err = await sdkError(scf.PublishVersion({ FunctionName: name }));
      expect(err.code).toBe("ResourceNotFound.Function");
      expect(err.requestId).toBeTruthy();
    }
  });

  it("requires FunctionName", async () => {
    expect((await sdkError(scf.PublishVersion({} as never))).code).toBe("MissingParameter");
  });
});

describe("CreateFunction and GetFunction", () => {
  it("creates a function that can be read back and versioned", async () => {
    const res = await scf.CreateFunction({
      FunctionName: "made-here",
      Code: { ZipFile: tinyZip("code").toString("base64") },
      Runtime: "Nodejs18.15",
      Handler: "index.main",
      Description: "made by a test",
      MemorySize: 256,
    });
    expect(Object.keys(res)).toEqual(["RequestId"]);
    const got = await scf.GetFunction({ FunctionName: "made-here" });
    expect(got).toMatchObject({
      FunctionName: "made-here",
      Namespace: "default",
      Runtime: "Nodejs18.15",
      Handler: "index.main",
      Description: "made by a test",
      MemorySize: 256,
      Status: "Active",
      Qualifier: "$LATEST",
      CodeSize: tinyZip("code").length,
    });
    expect(got.AddTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect((await scf.PublishVersion({ FunctionName: "made-here" })).FunctionVersion).toBe("1");
    expect((await scf.GetFunction({ FunctionName: "made-here", Qualifier: "1" })).FunctionVersion).toBe("1");
    expect((await sdkError(scf.GetFunction({ FunctionName: "made-here", Qualifier: "9" }))).code).toBe("ResourceNotFound.Version");
  });

  it("reads a seeded function", async () => {
    expect((await scf.GetFunction({ FunctionName: "in-ns", Namespace: "team" })).FunctionName).toBe("in-ns");
  });

  it("rejects duplicates, bad names, bad runtimes and bad code", async () => {
    const code = { ZipFile: tinyZip("c").toString("base64") };
    await scf.CreateFunction({ FunctionName: "dup", Code: code, Runtime: "Go1" });
    expect((await sdkError(scf.CreateFunction({ FunctionName: "dup", Code: code, Runtime: "Go1" }))).code).toBe("ResourceInUse.Function");
    expect((await sdkError(scf.CreateFunction({ FunctionName: "9bad", Code: code }))).code).toBe("InvalidParameterValue.FunctionName");
    expect((await sdkError(scf.CreateFunction({ FunctionName: "okname", Code: code, Runtime: "nodejs18" }))).code).toBe("InvalidParameterValue.Runtime");
    expect((await sdkError(scf.CreateFunction({ FunctionName: "okname", Code: { ZipFile: "abc" } }))).code).toBe("InvalidParameterValue.ZipFileBase64BinasciiError");
    expect((await sdkError(scf.CreateFunction({ FunctionName: "okname", Code: { ZipFile: "YWJjZA==" } }))).code).toBe("InvalidParameterValue.Code");
  });

  it("reports an unknown function on get", async () => {
    expect((await sdkError(scf.GetFunction({ FunctionName: "missing-fn" }))).code).toBe("ResourceNotFound.Function");
  });
});
