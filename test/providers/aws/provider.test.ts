import { describe, expect, test } from "vitest";
import { usageErrorOf } from "../../helpers/cli-expect.js";
import { awsProvider } from "../../../src/providers/aws/index.js";
import { MAX_REQUEST_BYTES, publishRequestBytes } from "../../../src/providers/aws/limits.js";
import type { LayerSpec } from "../../../src/providers/types.js";

function spec(over: Partial<LayerSpec> = {}): LayerSpec {
  return { layerName: "deps", runtimes: ["python3.12"], architectures: [], size: 1000, ...over };
}

describe("runtimes", () => {
  test("canonical spellings map to Lambda ids; native ids pass; case does not matter", () => {
    expect(awsProvider.resolveRuntimes(["python3.12", "python3.9", "nodejs20", "nodejs20.x", "nodejs18", "java17", "java11", "java8", "go1", "custom"])).toEqual([
      "python3.12",
      "python3.9",
      "nodejs20.x",
      "nodejs18.x",
      "java17",
      "java11",
      "java8",
      "go1.x",
      "provided.al2023",
    ]);
    expect(awsProvider.resolveRuntimes(["NodeJS22", "provided.al2", "custom.al2", "dotnet8", "ruby3.3"])).toEqual(["nodejs22.x", "provided.al2", "dotnet8", "ruby3.3"]);
  });

  test("a runtime Lambda does not have is a UsageError listing Lambda's", () => {
    for (const id of ["php8.0", "php7.4", "python2", "Nodejs18.15"]) {
      const err = usageErrorOf(() => awsProvider.resolveRuntimes([id]));
      expect(err.code).toBe("UnknownRuntime");
      expect(err.hint).toContain("nodejs20.x");
    }
  });

  test("every native id is one Lambda's API accepts", async () => {
    const { LAMBDA_RUNTIMES } = await import("../../../src/emulator/aws/runtimes.js");
    for (const r of awsProvider.runtimes) expect(LAMBDA_RUNTIMES).toContain(r.native);
  });
});

describe("validateLayer", () => {
  test("names: letters, digits, - and _, up to 140; a layer ARN is fine", () => {
    expect(awsProvider.validateLayer(spec({ layerName: "My_layer-1" }))).toEqual([]);
    expect(awsProvider.validateLayer(spec({ layerName: "x".repeat(140) }))).toEqual([]);
    expect(awsProvider.validateLayer(spec({ layerName: "arn:aws:lambda:us-east-1:123456789012:layer:deps" }))).toEqual([]);
    for (const bad of ["", "has space", "dots.are.bad", "x".repeat(141), "arn:aws:lambda:us-east-1:123:layer:deps"]) {
      expect(usageErrorOf(() => awsProvider.validateLayer(spec({ layerName: bad }))).code).toBe("InvalidLayerName");
    }
  });

  test("at most 15 runtimes and 2 architectures out of x86_64 / arm64", () => {
    const sixteen = Array.from({ length: 16 }, (_, i) => `python3.${i}`);
    expect(usageErrorOf(() => awsProvider.validateLayer(spec({ runtimes: sixteen }))).code).toBe("TooManyRuntimes");
    expect(awsProvider.validateLayer(spec({ architectures: ["x86_64", "arm64"] }))).toEqual([]);
    expect(usageErrorOf(() => awsProvider.validateLayer(spec({ architectures: ["amd64"] }))).code).toBe("InvalidArchitecture");
  });

  test("description up to 256, license up to 512", () => {
    expect(awsProvider.validateLayer(spec({ description: "d".repeat(256), license: "l".repeat(512) }))).toEqual([]);
    expect(usageErrorOf(() => awsProvider.validateLayer(spec({ description: "d".repeat(257) }))).code).toBe("DescriptionTooLong");
    expect(usageErrorOf(() => awsProvider.validateLayer(spec({ license: "l".repeat(513) }))).code).toBe("LicenseTooLong");
  });

  test("the zip must fit in a request of 69,905,067 bytes once base64-encoded", () => {
    const fits = spec({ size: awsProvider.limits.maxZipBytes, runtimes: ["java8"] });
    expect(publishRequestBytes(fits, ["java8"])).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    expect(publishRequestBytes({ ...fits, size: fits.size + 3 }, ["java8"])).toBeGreaterThan(MAX_REQUEST_BYTES);
    expect(awsProvider.validateLayer(fits)).toEqual([]);
    // The largest zip the limits table allows can still be pushed over by a long description.
    const err = usageErrorOf(() => awsProvider.validateLayer({ ...fits, description: "d".repeat(200) }));
    expect(err.code).toBe("ZipTooLarge");
    expect(err.message).toContain("69905067");
    expect(usageErrorOf(() => awsProvider.validateLayer(spec({ size: 50 * 1024 * 1024 }))).code).toBe("ZipTooLarge");
    expect(awsProvider.validateLayer(spec({ size: 40 * 1024 * 1024 }))).toEqual([]);
  });
});

describe("layout", () => {
  test("each runtime's folder passes; a bare package at the top is flagged with the --prefix to use", () => {
    expect(awsProvider.layoutWarning(["python/"], ["python3.12"])).toBeNull();
    expect(awsProvider.layoutWarning(["nodejs/", "nodejs/node_modules"], ["nodejs20.x"])).toBeNull();
    expect(awsProvider.layoutWarning(["java/", "java/lib"], ["java21"])).toBeNull();
    expect(awsProvider.layoutWarning(["requests/", "urllib3/"], ["python3.12"])).toContain("--prefix python");
    expect(awsProvider.layoutWarning(["requests/", "requests/api.py"], ["nodejs20.x"])).toContain("--prefix nodejs/node_modules");
    expect(awsProvider.layoutWarning(["lib.jar"], ["java17"])).toContain("--prefix java/lib");
  });

  test("looks one level deeper, and suggests the --prefix that gives the runtime's layout (never node_modules/node_modules)", () => {
    // a folder holding node_modules/: --prefix nodejs, not nodejs/node_modules
    const nested = awsProvider.layoutWarning(["node_modules/", "node_modules/left-pad"], ["nodejs20.x"]);
    expect(nested).toMatch(/pack with --prefix nodejs$/);
    // nodejs/ without node_modules/ inside is out of reach too
    expect(awsProvider.layoutWarning(["nodejs/", "nodejs/index.js"], ["nodejs20.x"])).toContain("nodejs/node_modules/");
    // the layout one folder down: that folder is the layer
    expect(awsProvider.layoutWarning(["build/", "build/python"], ["python3.12"])).toMatch(/publish its build\/ folder instead .*without --prefix$/);
    expect(awsProvider.layoutWarning(["gems/", "gems/rack"], ["ruby3.3"])).toMatch(/--prefix ruby$/);
  });

  test("bin/, lib/ and extensions/ work for any runtime; a custom runtime may ship bootstrap", () => {
    expect(awsProvider.layoutWarning(["bin/"], ["python3.12"])).toBeNull();
    expect(awsProvider.layoutWarning(["lib/"], ["nodejs20.x"])).toBeNull();
    expect(awsProvider.layoutWarning(["extensions/"], ["java21"])).toBeNull();
    expect(awsProvider.layoutWarning(["bootstrap"], ["provided.al2023"])).toBeNull();
    expect(awsProvider.layoutWarning(["main.go"], ["provided.al2023"])).toContain("--prefix bin");
  });
});

test("the provider describes itself as data", () => {
  expect(awsProvider.name).toBe("aws");
  expect(awsProvider.defaultRegion).toBe("us-east-1");
  expect(awsProvider.regions).toContain("eu-west-1");
  expect(awsProvider.features).toEqual({
    asyncPublish: false,
    functionNamespaces: false,
    asyncDelete: false,
    functionAliases: true,
    sharing: {
      scope: "version",
      public: true,
      account: expect.objectContaining({ pattern: expect.any(RegExp) }),
      organization: expect.objectContaining({ pattern: expect.any(RegExp) }),
    },
  });
  expect(awsProvider.endpointVariables).toEqual(["LAYERCTL_ENDPOINT_AWS", "AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL"]);
  expect(awsProvider.regionVariables).toEqual(["AWS_REGION", "AWS_DEFAULT_REGION"]);
  expect(awsProvider.credentialVariables.slice(0, 4)).toEqual(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]);
  expect(awsProvider.credentialVariables).toEqual(expect.arrayContaining(["AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ENDPOINT_URL_STS"]));
});
