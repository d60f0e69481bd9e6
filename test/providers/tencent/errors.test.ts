// How SDK failures become CloudError: API codes, bare HTTP statuses, network failures.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudError } from "../../../src/errors.js";
import { silentLogger } from "../../../src/output/log.js";
import { tencentProvider } from "../../../src/providers/tencent/index.js";
import { toCloudError } from "../../../src/providers/tencent/errors.js";

const opts = { timeoutMs: 1234, secrets: ["super-secret-key"] };

describe("toCloudError", () => {
  it.each([
    ["RequestLimitExceeded", true, true],
    ["RequestLimitExceeded.UinLimitExceeded", true, true],
    ["InternalError", true, false],
    ["InternalError.System", true, false],
    ["ResourceNotFound.LayerVersion", false, false],
    ["AuthFailure.SignatureFailure", false, false],
    ["InvalidParameterValue.LayerName", false, false],
  ])("keeps the API code %s (retryable: %s, certainly not processed: %s) and the request id", (code, retryable, unprocessed) => {
    const err = toCloudError({ message: "boom", code, requestId: "rid-1" }, "GetLayerVersion", opts);
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({ code, requestId: "rid-1", retryable, unprocessed, provider: "tencent", httpStatus: 200 });
    expect(err.message).toContain("GetLayerVersion");
  });

  it("adds a hint for auth and clock problems", () => {
    expect(toCloudError({ message: "x", code: "AuthFailure.SignatureExpire" }, "A", opts).hint).toContain("clock");
    expect(toCloudError({ message: "x", code: "AuthFailure.SecretIdNotFound" }, "A", opts).hint).toContain("TENCENTCLOUD_SECRET_ID");
  });

  it("maps the SDK's timeout to RequestTimeout, retryable", () => {
    const err = toCloudError({ message: "network timeout at: http://127.0.0.1:1/" }, "PublishLayerVersion", opts);
    // SCF may have acted before the answer was lost.
    expect(err).toMatchObject({ code: "RequestTimeout", retryable: true, unprocessed: false });
    expect(err.message).toContain("1234 ms");
    expect(toCloudError({ message: "Response timeout while trying to fetch http://x/ (over 1234ms)" }, "A", opts).code).toBe("RequestTimeout");
  });

  it.each([
    ["request to http://127.0.0.1:9/ failed, reason: connect ECONNREFUSED 127.0.0.1:9", true],
    ["request to http://127.0.0.1:9/ failed, reason: socket hang up", false],
    ["request to http://127.0.0.1:9/ failed, reason: read ECONNRESET", false],
    ["request to https://scf.tencentcloudapi.com/ failed, reason: getaddrinfo ENOTFOUND scf.tencentcloudapi.com", true],
    ["request to https://scf.tencentcloudapi.com/ failed, reason: getaddrinfo EAI_AGAIN scf.tencentcloudapi.com", true],
  ])("maps %s to NetworkError, retryable (certainly not processed: %s)", (message, unprocessed) => {
    expect(toCloudError({ message }, "A", opts)).toMatchObject({ code: "NetworkError", retryable: true, unprocessed });
  });

  it("maps a bare HTTP status (gateway in front of the API) to HttpError", () => {
    expect(toCloudError({ message: "Bad Gateway", httpCode: 502 }, "A", opts)).toMatchObject({ code: "HttpError", httpStatus: 502, retryable: true, unprocessed: false });
    expect(toCloudError({ message: "Too Many Requests", httpCode: 429 }, "A", opts)).toMatchObject({ retryable: true, unprocessed: true });
    expect(toCloudError({ message: "Payload Too Large", httpCode: 413 }, "A", opts)).toMatchObject({ httpStatus: 413, retryable: false });
  });

  it("never repeats a secret", () => {
    const err = toCloudError({ message: "echo super-secret-key here", code: "InvalidParameter" }, "A", opts);
    expect(err.message).not.toContain("super-secret-key");
  });
});

describe("through the real SDK", () => {
  let server: http.Server;
  let url: string;
  let status = 502;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(status, { "content-type": "text/html" });
        res.end("<html>gateway</html>");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("turns a gateway 5xx into a retried HttpError", async () => {
    status = 503;
    const credentials = await tencentProvider.resolveCredentials({ TENCENTCLOUD_SECRET_ID: "AKIDx", TENCENTCLOUD_SECRET_KEY: "k" }, {});
    const debug: string[] = [];
    const client = await tencentProvider.connect({
      region: "ap-guangzhou",
      endpoint: url,
      credentials,
      requestTimeoutMs: 2_000,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
      log: { ...silentLogger, debug: (m) => debug.push(m) },
    });
    const err = (await client.getLayerVersion("x", 1).catch((e: unknown) => e)) as CloudError;
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({ code: "HttpError", httpStatus: 503, retryable: true });
    expect(debug).toEqual([expect.stringMatching(/^tencent GetLayerVersion: attempt 1 of 2 failed \(HttpError\); retrying in \d+ ms$/)]);
  });
});
