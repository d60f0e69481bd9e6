// What the FC 3.0 adapter knows without calling anything: runtimes, limits, layout, credentials,
// endpoints and error mapping.
import { describe, expect, it } from "vitest";
import { CloudError, UsageError } from "../../../src/errors.js";
import { aliyunProvider } from "../../../src/providers/aliyun/index.js";
import { endpointFor } from "../../../src/providers/aliyun/client.js";
import { toCloudError } from "../../../src/providers/aliyun/errors.js";
import { FC_RUNTIMES } from "../../../src/emulator/aliyun/runtimes.js";
import { silentLogger } from "../../../src/output/log.js";
import type { AliyunCredentials } from "../../../src/providers/aliyun/credentials.js";
import { inspect } from "node:util";

const p = aliyunProvider;

function thrown(fn: () => unknown): any {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("runtimes", () => {
  it.each([
    ["python3.12", "python3.12"],
    ["python3.6", "python3"],
    ["nodejs20", "nodejs20"],
    ["nodejs20.x", "nodejs20"],
    ["NodeJS18.x", "nodejs18"],
    ["java11", "java11"],
    ["go1.x", "go1"],
    ["custom", "custom"],
    ["custom.debian9", "custom"],
    ["custom.debian12", "custom.debian12"],
    ["php7.2", "php7.2"],
  ])("maps %s to %s", (typed, native) => {
    expect(p.resolveRuntimes([typed])).toEqual([native]);
  });

  it("dedupes and keeps order", () => {
    expect(p.resolveRuntimes(["nodejs20.x", "python3.10", "nodejs20"])).toEqual(["nodejs20", "python3.10"]);
  });

  it.each(["java17", "java21", "php8.0", "ruby3.2", "provided.al2023", "python3.11"])("has no %s and says what exists", (id) => {
    const err = thrown(() => p.resolveRuntimes([id]));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.code).toBe("UnknownRuntime");
    expect(err.message).toContain(id);
    expect(err.hint).toContain("python3.10");
  });

  it("lists exactly the runtimes the emulated FC accepts", () => {
    expect(p.runtimes.map((r) => r.native).sort()).toEqual([...FC_RUNTIMES].sort());
  });
});

describe("limits", () => {
  const spec = { layerName: "deps", runtimes: ["python3.10"], architectures: [] as string[], size: 1000 };

  it.each(["a", "deps", "my_layer-2", "A".repeat(64)])("accepts the layer name %s", (layerName) => {
    expect(p.validateLayer({ ...spec, layerName })).toEqual([]);
  });

  it.each(["1layer", "_layer", "-layer", "my.layer", "my layer", "a".repeat(65), ""])("rejects the layer name %j", (layerName) => {
    const err = thrown(() => p.validateLayer({ ...spec, layerName }));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.code).toBe("InvalidLayerName");
    expect(err.hint).toContain("starting with a letter");
  });

  it("allows 20 runtimes and no more", () => {
    expect(p.validateLayer({ ...spec, runtimes: Array(20).fill("python3.10") })).toEqual([]);
    expect(thrown(() => p.validateLayer({ ...spec, runtimes: Array(21).fill("python3.10") })).code).toBe("TooManyRuntimes");
  });

  it("stops at 50 MiB of zip", () => {
    expect(p.validateLayer({ ...spec, size: 50 * 1024 * 1024 })).toEqual([]);
    expect(thrown(() => p.validateLayer({ ...spec, size: 50 * 1024 * 1024 + 1 })).code).toBe("ZipTooLarge");
  });

  it("checks description and license lengths", () => {
    expect(p.validateLayer({ ...spec, description: "d".repeat(256), license: "l".repeat(256) })).toEqual([]);
    expect(thrown(() => p.validateLayer({ ...spec, description: "d".repeat(257) })).code).toBe("DescriptionTooLong");
    expect(thrown(() => p.validateLayer({ ...spec, license: "l".repeat(257) })).code).toBe("LicenseTooLong");
  });

  it("has no architectures: --arch is a warning", () => {
    const warnings = p.validateLayer({ ...spec, architectures: ["arm64"] });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("arm64");
  });

  it("declares its capabilities and variables as data", () => {
    expect(p.features).toEqual({
      asyncPublish: false,
      functionNamespaces: false,
      asyncDelete: false,
      functionAliases: false,
      sharing: { scope: "layer", public: true, account: null, organization: null },
    });
    expect(p.credentialVariables.slice(0, 3)).toEqual(["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"]);
    expect(p.credentialVariables).toEqual(
      expect.arrayContaining([
        "ALIBABA_CLOUD_ACCOUNT_ID",
        "ALIBABA_CLOUD_PROFILE",
        "ALIBABA_CLOUD_ROLE_ARN",
        "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
        "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
        "LAYERCTL_STS_ENDPOINT_ALIYUN",
      ]),
    );
    expect(p.endpointVariables).toEqual(["LAYERCTL_ENDPOINT_ALIYUN"]);
    expect(p.regionVariables).toEqual(["ALIBABA_CLOUD_REGION_ID"]);
    expect(p.defaultRegion).toBe("cn-hangzhou");
    expect(p.regions).toContain(p.defaultRegion);
  });
});

describe("layout", () => {
  it.each([
    [["python"], ["python3.10"]],
    [["nodejs", "nodejs/node_modules"], ["nodejs20"]],
    [["java", "java/lib"], ["java11"]],
    [["lib", "bin"], ["custom.debian10"]],
    [["anything"], ["go1"]],
  ])("is fine with %j for %j", (top, runtimes) => {
    expect(p.layoutWarning(top, runtimes)).toBeNull();
  });

  it.each([
    [["requests", "urllib3"], ["python3.12"], "--prefix python"],
    [["node_modules", "node_modules/left-pad"], ["nodejs18"], "--prefix nodejs"],
    [["index.js"], ["nodejs18"], "--prefix nodejs/node_modules"],
    [["mylib.jar"], ["java8"], "--prefix java/lib"],
  ])("warns about %j for %j", (top, runtimes, fix) => {
    // the suggestion ends the message: it is the exact --prefix to use
    expect(p.layoutWarning(top, runtimes)).toMatch(new RegExp(`${fix.replace(/[.]/g, "\\.")}$`));
  });
});

describe("credentials", () => {
  it("names both variables when neither is set", async () => {
    const err = await p.resolveCredentials({}, {}).catch((e: unknown) => e as UsageError);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.code).toBe("MissingCredentials");
    expect(err.message).toContain("ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET");
  });

  it("names the one that is missing", async () => {
    const err = (await p.resolveCredentials({ ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIx" }, {}).catch((e: unknown) => e)) as UsageError;
    expect(err.message).toContain("ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set");
    expect(err.message).not.toContain("ALIBABA_CLOUD_ACCESS_KEY_ID and");
  });

  it("reads the env argument, not process.env", async () => {
    const saved = { ...process.env };
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "LTAIfromProcess";
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "process-secret";
    try {
      await expect(p.resolveCredentials({}, {})).rejects.toBeInstanceOf(UsageError);
      const creds = (await p.resolveCredentials({ ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIarg", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "arg-secret" }, {})) as AliyunCredentials;
      expect((await creds.keys.get()).keyId).toBe("LTAIarg");
    } finally {
      process.env = saved;
    }
  });

  it("keeps the secret and token out of anything printed", async () => {
    const creds = (await p.resolveCredentials(
      {
        ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIkey",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: "s3cr3t-value",
        ALIBABA_CLOUD_SECURITY_TOKEN: "sts-token-value",
        ALIBABA_CLOUD_ACCOUNT_ID: "1234",
      },
      {},
    )) as AliyunCredentials;
    expect(creds).toMatchObject({ source: "environment (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_SECURITY_TOKEN)", accountId: "1234" });
    expect(await creds.keys.get()).toMatchObject({ keyId: "LTAIkey", secret: "s3cr3t-value", token: "sts-token-value" });
    const printed = JSON.stringify(creds) + String(Object.values(creds)) + inspect(creds, { depth: 5, showHidden: true });
    expect(printed).not.toContain("s3cr3t-value");
    expect(printed).not.toContain("sts-token-value");
  });
});

describe("endpoint", () => {
  it("uses {accountId}.{region}.fc.aliyuncs.com over https by default", () => {
    expect(endpointFor({ region: "cn-beijing" }, { accountId: "1234567890" })).toEqual({ host: "1234567890.cn-beijing.fc.aliyuncs.com", protocol: "https", custom: false });
  });

  it("the public endpoint needs the account id: a dry run asks no STS for it, and a malformed one is refused", async () => {
    // (Looking it up with STS GetCallerIdentity: test/conformance/credentials.test.ts.)
    const creds = await p.resolveCredentials(
      { ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIkey", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "x", LAYERCTL_STS_ENDPOINT_ALIYUN: "http://127.0.0.1:9" },
      { offline: true },
    );
    await expect(
      p.connect({ region: "cn-hangzhou", credentials: creds, requestTimeoutMs: 1000, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, log: silentLogger }),
    ).resolves.toBeDefined();
    expect(thrown(() => endpointFor({ region: "cn-hangzhou" }, { accountId: "my-account" })).code).toBe("InvalidAccountId");
    expect(thrown(() => endpointFor({ region: "cn-hangzhou" }, {})).code).toBe("MissingAccountId");
  });

  it("takes host, port and protocol from a custom endpoint URL", () => {
    expect(endpointFor({ region: "cn-hangzhou", endpoint: "http://127.0.0.1:9000" }, {})).toEqual({ host: "127.0.0.1:9000", protocol: "http", custom: true });
    expect(endpointFor({ region: "cn-hangzhou", endpoint: "https://fc.example.test/" }, {})).toEqual({ host: "fc.example.test", protocol: "https", custom: true });
  });

  it.each(["127.0.0.1:9000", "ftp://host", "http://host/base/path", "not a url"])("rejects the endpoint %s", (endpoint) => {
    const err = thrown(() => endpointFor({ region: "cn-hangzhou", endpoint }, {}));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.code).toBe("InvalidEndpoint");
  });
});

describe("error mapping", () => {
  // The SDK's own error classes, as it throws them.
  async function sdkErrors() {
    const core = (await import("@alicloud/openapi-core")) as any;
    const ns = core.ThrottlingError ? core : core.default;
    return { ThrottlingError: ns.ThrottlingError, ClientError: ns.ClientError, ServerError: ns.ServerError };
  }

  it("keeps FC's code, status and request id, and marks throttling retryable with its delay", async () => {
    const { ThrottlingError } = await sdkErrors();
    const e = new ThrottlingError({
      statusCode: 429,
      code: "Throttling.User",
      message: "x",
      requestId: "rid-1",
      retryAfter: 1500,
      data: { Code: "Throttling.User", Message: "slow down" },
    });
    const c = toCloudError(e, "GetLayerVersion") as CloudError;
    expect(c).toBeInstanceOf(CloudError);
    expect(c).toMatchObject({ code: "Throttling.User", httpStatus: 429, requestId: "rid-1", retryable: true, unprocessed: true, retryAfterMs: 1500, provider: "aliyun" });
    expect(c.message).toContain("slow down");
  });

  it("client errors are final, server errors are retryable", async () => {
    const { ClientError, ServerError } = await sdkErrors();
    const notFound = toCloudError(new ClientError({ statusCode: 404, code: "LayerVersionNotFound", requestId: "r", data: { Message: "gone" } }), "GetLayerVersion");
    expect(notFound).toMatchObject({ code: "LayerVersionNotFound", retryable: false, httpStatus: 404 });
    const down = toCloudError(new ServerError({ statusCode: 503, code: "ServiceUnavailable", requestId: "undefined", data: {} }), "GetLayerVersion");
    // FC may have acted before a 5xx: retryable, but not certainly without effect.
    expect(down).toMatchObject({ code: "ServiceUnavailable", retryable: true, unprocessed: false, httpStatus: 503, requestId: undefined });
    // Any code containing Throttling is FC turning the request away, whatever the status.
    expect(toCloudError(new ClientError({ statusCode: 400, code: "Throttling.Resource", data: {} }), "x")).toMatchObject({ retryable: true, unprocessed: true });
  });

  it("recognises FC 3.0's own throttling codes (error centre: 429 ResourceExhausted, 503 ResourceThrottled)", async () => {
    const { ClientError, ServerError } = await sdkErrors();
    expect(toCloudError(new ClientError({ statusCode: 429, code: "ResourceExhausted", data: {} }), "x")).toMatchObject({
      code: "ResourceExhausted",
      retryable: true,
      unprocessed: true,
    });
    // A 503 alone may have been acted on; ResourceThrottled says FC turned the request away.
    expect(toCloudError(new ServerError({ statusCode: 503, code: "ResourceThrottled", data: {} }), "x")).toMatchObject({
      code: "ResourceThrottled",
      retryable: true,
      unprocessed: true,
    });
  });

  it("adds a hint for auth errors, in FC 3.0's codes and the older gateway spellings", async () => {
    const { ClientError } = await sdkErrors();
    expect(toCloudError(new ClientError({ statusCode: 403, code: "SignatureNotMatch", data: {} }), "x").hint).toContain("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    expect(toCloudError(new ClientError({ statusCode: 403, code: "InvalidAccessKeyID", data: {} }), "x").hint).toContain("ALIBABA_CLOUD_ACCESS_KEY_ID");
    expect(toCloudError(new ClientError({ statusCode: 400, code: "SignatureDoesNotMatch", data: {} }), "x").hint).toContain("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    expect(toCloudError(new ClientError({ statusCode: 404, code: "InvalidAccessKeyId.NotFound", data: {} }), "x").hint).toContain("ALIBABA_CLOUD_ACCESS_KEY_ID");
  });

  it("maps network failures and timeouts", () => {
    const timeout = Object.assign(new Error("ReadTimeout(300)"), { name: "RequestTimeoutError" });
    expect(toCloudError(timeout, "x")).toMatchObject({ code: "RequestTimeout", retryable: true, unprocessed: false });
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(toCloudError(refused, "x")).toMatchObject({ code: "NetworkError", retryable: true, unprocessed: true });
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    expect(toCloudError(reset, "x")).toMatchObject({ code: "NetworkError", retryable: true, unprocessed: false });
    const dnsAgain = Object.assign(new Error("getaddrinfo EAI_AGAIN"), { code: "EAI_AGAIN" });
    expect(toCloudError(dnsAgain, "x")).toMatchObject({ code: "NetworkError", retryable: true, unprocessed: true });
    const dns = Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    expect(toCloudError(dns, "x")).toMatchObject({ code: "NetworkError", retryable: false, unprocessed: true });
    // An unreadable reply (HTML page, garbled success): retryable, and ambiguous (the request was sent).
    expect(toCloudError(new SyntaxError("Unexpected token <"), "x")).toMatchObject({ code: "InvalidResponse", retryable: true, unprocessed: false });
  });

  it("passes layerctl's own errors through", () => {
    const own = new UsageError("bad");
    expect(toCloudError(own, "x")).toBe(own);
  });
});
