import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { parseEndpoint, resolveTargets, splitList } from "../../src/commands/shared/targets.js";
import { silentLogger } from "../../src/output/log.js";
import { recordingLogger } from "../helpers/log.js";

const env = {
  TENCENTCLOUD_SECRET_ID: "AKIDx",
  TENCENTCLOUD_SECRET_KEY: "k",
  AWS_ACCESS_KEY_ID: "AKIAx",
  AWS_SECRET_ACCESS_KEY: "k",
  ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIx",
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: "k",
  ALIBABA_CLOUD_ACCOUNT_ID: "1234",
  AWS_EC2_METADATA_DISABLED: "true",
};

describe("endpoints", () => {
  it.each([
    ["http://127.0.0.1:9000", "http://127.0.0.1:9000"],
    ["https://lambda.us-east-1.amazonaws.com/", "https://lambda.us-east-1.amazonaws.com"],
    ["http://[::1]:8080", "http://[::1]:8080"],
  ])("accepts %s", (given, want) => expect(parseEndpoint(given, "--endpoint")).toBe(want));

  it.each(["127.0.0.1:9000", "ftp://host", "http://host/path", "http://u:p@host", "not a url", "http://host?x=1"])("rejects %s", (given) => {
    expect(() => parseEndpoint(given, "--endpoint")).toThrow(UsageError);
  });
});

describe("targets", () => {
  const ctx = { env, log: silentLogger };

  it("splits comma lists and repeated flags", () => {
    expect(splitList(["a,b", " c ", ""])).toEqual(["a", "b", "c"]);
  });

  it("uses each provider's default region, or its region variable", async () => {
    const { targets } = await resolveTargets({ provider: ["tencent,aws,aliyun"] }, { ...ctx, env: { ...env, AWS_REGION: "eu-west-1" } });
    expect(targets.map((t) => `${t.provider.name}:${t.region}`)).toEqual(["tencent:ap-guangzhou", "aws:eu-west-1", "aliyun:cn-hangzhou"]);
  });

  it("gives provider:region entries to their provider and bare regions to the rest", async () => {
    const { targets } = await resolveTargets({ provider: ["aws", "tencent"], region: ["aws:eu-west-1,aws:us-west-2", "ap-shanghai"] }, ctx);
    expect(targets.map((t) => `${t.provider.name}:${t.region}`)).toEqual(["aws:eu-west-1", "aws:us-west-2", "tencent:ap-shanghai"]);
  });

  it("accepts a region of the provider's shape that layerctl does not know, warning once per run", async () => {
    const log = recordingLogger();
    const shaped = { provider: ["aws", "aliyun"], region: ["aws:ap-southeast-9,aws:us-moon-1", "aliyun:cn-wuhan", "aliyun:me-east-2"] };
    const { targets } = await resolveTargets(shaped, { ...ctx, log });
    expect(targets.map((t) => `${t.provider.name}:${t.region}`)).toEqual(["aws:ap-southeast-9", "aws:us-moon-1", "aliyun:cn-wuhan", "aliyun:me-east-2"]);
    await resolveTargets(shaped, { ...ctx, log });
    const warnings = log.lines.filter((l) => l.startsWith("warn: "));
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toContain('aws region "ap-southeast-9" is not in layerctl\'s list');
    // A new region of a known family is no typo: no suggestion.
    expect(warnings[0]).not.toContain("did you mean");
  });

  it("knows the regions the clouds added lately", async () => {
    const log = recordingLogger();
    const { targets } = await resolveTargets({ provider: ["aws", "aliyun"], region: ["aws:ap-southeast-6", "aliyun:cn-wulanchabu,aliyun:me-central-1"] }, { ...ctx, log });
    expect(targets).toHaveLength(3);
    expect(log.lines).toEqual([]);
  });

  it.each([
    ["aws", "us-east1", "us-east-1"],
    ["aws", "eu_west_1", "eu-west-1"],
    ["tencent", "ap-guangzhou1", "ap-guangzhou"],
    ["tencent", "guangzhou", "ap-guangzhou"],
    ["aliyun", "cn-hangzhou1", "cn-hangzhou"],
    ["aliyun", "ap-southeast1", "ap-southeast-1"],
  ])("refuses %s region %s, which has no region's shape, suggesting %s", async (provider, region, near) => {
    const err = await resolveTargets({ provider: [provider], region: [region] }, ctx).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.code).toBe("UnknownRegion");
    expect(err.message).toBe(`"${region}" is not a ${provider} region: did you mean ${near}?`);
    expect(err.hint).toContain("LAYERCTL_ALLOW_UNKNOWN_REGION=1");
  });

  it("suggests the known region for a shaped typo, and takes any region with LAYERCTL_ALLOW_UNKNOWN_REGION=1", async () => {
    const log = recordingLogger();
    await resolveTargets({ provider: ["aws"], region: ["us-esat-1"] }, { ...ctx, log });
    expect(log.lines).toEqual([expect.stringContaining("(did you mean us-east-1?)")]);
    const { targets } = await resolveTargets({ provider: ["aws"], region: ["moon"] }, { ...ctx, env: { ...env, LAYERCTL_ALLOW_UNKNOWN_REGION: "1" } });
    expect(targets[0]!.region).toBe("moon");
  });

  it("takes endpoints from --endpoint, else the provider's variables in order", async () => {
    const e = { ...env, AWS_ENDPOINT_URL: "http://127.0.0.1:1", AWS_ENDPOINT_URL_LAMBDA: "http://127.0.0.1:2" };
    expect((await resolveTargets({ provider: ["aws"] }, { ...ctx, env: e })).targets[0]!.endpoint).toBe("http://127.0.0.1:2");
    expect((await resolveTargets({ provider: ["aws"], endpoint: "http://127.0.0.1:3" }, { ...ctx, env: e })).targets[0]!.endpoint).toBe("http://127.0.0.1:3");
    expect((await resolveTargets({ provider: ["aws"] }, ctx)).targets[0]!.endpoint).toBeUndefined();
  });

  it("refuses an unknown provider and no provider at all", async () => {
    await expect(resolveTargets({ provider: ["gcp"] }, ctx)).rejects.toThrow(/unknown provider "gcp"/);
    await expect(resolveTargets({ provider: [] }, ctx)).rejects.toThrow(/no provider/);
  });
});

describe("credentials", () => {
  const none = { AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: "/nonexistent/c", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/s" };

  it("names every provider whose credentials are missing in one error", async () => {
    const err = await resolveTargets({ provider: ["tencent,aws,aliyun"] }, { env: { ...none, AWS_ACCESS_KEY_ID: "AKIAx", AWS_SECRET_ACCESS_KEY: "k" }, log: silentLogger }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    expect(err.code).toBe("MissingCredentials");
    expect(err.message).toMatch(/Tencent Cloud.*; .*Alibaba Cloud/);
    expect(err.hint).toContain("TENCENTCLOUD_SECRET_ID");
    expect(err.hint).toContain("ALIBABA_CLOUD_ACCESS_KEY_ID");
  });

  it("are optional when asked (a dry run): the targets come back without them", async () => {
    const r = await resolveTargets({ provider: ["tencent,aws"] }, { env: none, log: silentLogger, credentialsOptional: true });
    expect(r.targets.map((t) => [t.provider.name, t.credentials])).toEqual([
      ["tencent", null],
      ["aws", null],
    ]);
    expect(r.uncredentialed).toHaveLength(2);
  });
});
