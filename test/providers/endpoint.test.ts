// Endpoint overrides are checked in one place (src/providers/endpoint.ts), in the same words
// wherever they come from: a flag, a variable, or an adapter given one directly.
import { describe, expect, it } from "vitest";
import { endpointUrl, parseEndpoint } from "../../src/providers/endpoint.js";
import { endpointFor } from "../../src/providers/aliyun/client.js";
import { httpProfile } from "../../src/providers/tencent/sdk.js";
import { stsEndpoint } from "../../src/providers/sts.js";
import { usageErrorOf } from "../helpers/cli-expect.js";

const usage = usageErrorOf;

describe("endpointUrl", () => {
  it("takes a plain http(s)://host[:port], with at most a trailing slash", () => {
    expect(endpointUrl("https://fc.example.test/", "--endpoint").host).toBe("fc.example.test");
    expect(parseEndpoint("http://[::1]:8080/", "--endpoint")).toBe("http://[::1]:8080");
  });

  it("says what is not a URL, and where it came from", () => {
    const err = usage(() => endpointUrl("127.0.0.1:9000", "LAYERCTL_ENDPOINT_AWS", "aws"));
    expect(err).toMatchObject({ code: "InvalidEndpoint", provider: "aws", message: 'LAYERCTL_ENDPOINT_AWS "127.0.0.1:9000" is not a URL' });
  });

  it.each(["ftp://host", "http://host/base", "http://host?x=1", "http://user@host"])("refuses %s as not plain", (value) => {
    const err = usage(() => endpointUrl(value, "--endpoint"));
    expect(err.message).toBe(`--endpoint "${value}" must be a plain http(s)://host[:port] URL`);
    expect(err.code).toBe("InvalidEndpoint");
    expect(err.hint).toMatch(/scheme, host and port only/);
  });

  it("is what the adapters and the STS override check with", () => {
    expect(usage(() => endpointFor({ region: "cn-hangzhou", endpoint: "http://host/base" }, {})).message).toBe(
      'the Function Compute endpoint "http://host/base" must be a plain http(s)://host[:port] URL',
    );
    expect(usage(() => httpProfile({ endpoint: "http://host/base", requestTimeoutMs: 1000 })).message).toBe(
      'the Tencent endpoint "http://host/base" must be a plain http(s)://host[:port] URL',
    );
    expect(usage(() => stsEndpoint({ X: "http://host/sts" }, "X", "tencent"))).toMatchObject({
      provider: "tencent",
      message: 'X "http://host/sts" must be a plain http(s)://host[:port] URL',
    });
  });
});
