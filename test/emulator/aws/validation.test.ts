import { describe, expect, test } from "vitest";
import { ListLayerVersionsCommand, PublishLayerVersionCommand, type LambdaClient, type PublishLayerVersionCommandInput } from "@aws-sdk/client-lambda";
import { buildZip } from "../../../src/emulator/zip.js";
import { rejection, useLambda, zipOf } from "./helpers.js";

let client: LambdaClient;

useLambda({}, (_emu, c) => {
  client = c;
});

const good = zipOf({ "python/a.py": "1" });

function publish(input: Partial<PublishLayerVersionCommandInput>) {
  return client.send(new PublishLayerVersionCommand({ LayerName: "valid", Content: { ZipFile: good }, ...input } as PublishLayerVersionCommandInput));
}

async function expectError(input: Partial<PublishLayerVersionCommandInput>, name: string, status: number, message: RegExp | string) {
  const err = await rejection(publish(input));
  expect(err.name).toBe(name);
  expect(err.$metadata.httpStatusCode).toBe(status);
  expect(err.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  if (typeof message === "string") expect(err.message).toBe(message);
  else expect(err.message).toMatch(message);
  return err;
}

describe("model constraints -> ValidationException", () => {
  test("layer name pattern and length", async () => {
    await expectError(
      { LayerName: "has space" },
      "ValidationException",
      400,
      "1 validation error detected: Value 'has space' at 'layerName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+",
    );
    await expectError(
      { LayerName: "x".repeat(141) },
      "ValidationException",
      400,
      /at 'layerName' failed to satisfy constraint: Member must have length less than or equal to 140$/,
    );
  });

  test("runtimes: unknown id, more than 15", async () => {
    await expectError(
      { CompatibleRuntimes: ["python3.12", "python9"] as never },
      "ValidationException",
      400,
      /^1 validation error detected: Value '\[python3\.12, python9\]' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy constraint: \[Member must satisfy enum value set: \[.*nodejs20\.x.*\]\]$/,
    );
    const sixteen = [
      "nodejs18.x",
      "nodejs20.x",
      "nodejs22.x",
      "python3.8",
      "python3.9",
      "python3.10",
      "python3.11",
      "python3.12",
      "python3.13",
      "java8.al2",
      "java11",
      "java17",
      "java21",
      "ruby3.2",
      "ruby3.3",
      "provided.al2023",
    ];
    await expectError(
      { CompatibleRuntimes: sixteen as never },
      "ValidationException",
      400,
      /at 'compatibleRuntimes' failed to satisfy constraint: Member must have length less than or equal to 15$/,
    );
    const fifteen = await publish({ CompatibleRuntimes: sixteen.slice(0, 15) as never });
    expect(fifteen.CompatibleRuntimes).toHaveLength(15);
  });

  test("architectures: unknown, more than 2", async () => {
    await expectError(
      { CompatibleArchitectures: ["amd64"] as never },
      "ValidationException",
      400,
      /at 'compatibleArchitectures' failed to satisfy constraint: Member must satisfy constraint: \[Member must satisfy enum value set: \[x86_64, arm64\]\]/,
    );
    await expectError({ CompatibleArchitectures: ["x86_64", "arm64", "x86_64"] as never }, "ValidationException", 400, /Member must have length less than or equal to 2/);
  });

  test("description over 256 and license over 512", async () => {
    await expectError(
      { Description: "d".repeat(257) },
      "ValidationException",
      400,
      /at 'description' failed to satisfy constraint: Member must have length less than or equal to 256$/,
    );
    await expectError(
      { LicenseInfo: "l".repeat(513) },
      "ValidationException",
      400,
      /at 'licenseInfo' failed to satisfy constraint: Member must have length less than or equal to 512$/,
    );
    const edge = await publish({ Description: "d".repeat(256), LicenseInfo: "l".repeat(512) });
    expect(edge.Description).toHaveLength(256);
  });

  test("several violations are reported together", async () => {
    const err = await expectError(
      { LayerName: "bad!", Description: "d".repeat(300), CompatibleRuntimes: ["nope"] as never },
      "ValidationException",
      400,
      /^3 validation errors detected: Value 'bad!' at 'layerName' .*; Value '.*' at 'description' .*; Value '\[nope\]' at 'compatibleRuntimes' /,
    );
    expect(err.message.split("; ")).toHaveLength(3);
  });

  test("missing Content", async () => {
    await expectError(
      { Content: undefined },
      "ValidationException",
      400,
      "1 validation error detected: Value null at 'content' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe("content checks -> InvalidParameterValueException", () => {
  test("bytes that are not a zip", async () => {
    for (const bytes of [Buffer.from("just text, not a zip at all........"), Buffer.from("PK\x03\x04 but no central directory, truncated...")]) {
      const err = await expectError(
        { Content: { ZipFile: bytes } },
        "InvalidParameterValueException",
        400,
        "Could not unzip uploaded file. Please check your file, then try to upload again.",
      );
      expect(err.Type).toBe("User");
    }
  });

  test("an empty zip", async () => {
    await expectError({ Content: { ZipFile: buildZip([]) } }, "InvalidParameterValueException", 400, "Uploaded file must be a non-empty zip");
  });

  test("more than 250 MB unzipped", async () => {
    const zip = zipOf({ "python/big.bin": "tiny" });
    // Claim 300 MB of uncompressed data in the central directory entry.
    const cd = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(300 * 1024 * 1024, cd + 24);
    await expectError({ Content: { ZipFile: zip } }, "InvalidParameterValueException", 400, "Unzipped size must be smaller than 262144000 bytes");
  });

  test("S3 content (the emulator has no buckets) and no source at all", async () => {
    await expectError({ Content: { S3Bucket: "b", S3Key: "k.zip" } }, "InvalidParameterValueException", 400, /S3 Error Code: NoSuchBucket/);
    await expectError({ Content: {} }, "InvalidParameterValueException", 400, "Please provide a source for layer code.");
  });

  test("a rejected publish creates no version", async () => {
    await rejection(publish({ LayerName: "untouched", Content: { ZipFile: Buffer.from("not a zip, not at all, no......") } }));
    const list = await client.send(new ListLayerVersionsCommand({ LayerName: "untouched" }));
    expect(list.LayerVersions).toEqual([]);
    const first = await publish({ LayerName: "untouched" });
    expect(first.Version).toBe(1);
  });
});

describe("request size", () => {
  test("a request over 69,905,067 bytes is RequestEntityTooLargeException 413", async () => {
    // 52,428,800 zip bytes (50 MiB) become 69,905,068 base64 characters: just over the limit.
    const big = Buffer.alloc(50 * 1024 * 1024);
    good.copy(big, 0);
    const err = await expectError(
      { LayerName: "big", Content: { ZipFile: big } },
      "RequestEntityTooLargeException",
      413,
      "Request must be smaller than 69905067 bytes for the PublishLayerVersion operation",
    );
    expect(err.$fault).toBe("client");
  });
});
