import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { profilesFor, resolveTargets, roleArnsFor, splitList } from "../../src/targets/resolve.js";
import { parseEndpoint } from "../../src/providers/endpoint.js";
import { getProvider } from "../../src/providers/index.js";
import { tempDir } from "../helpers/archive.js";
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
    // No warning: the only lines are where the credentials came from (debug, since #20).
    expect(log.lines).toEqual(["debug: aws credentials: environment (AWS_ACCESS_KEY_ID)", "debug: aliyun credentials: environment (ALIBABA_CLOUD_ACCESS_KEY_ID)"]);
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
    expect(err.message).toBe(`unknown ${provider} region "${region}" (did you mean ${near}?)`);
    expect(err.hint).toContain("LAYERCTL_ALLOW_UNKNOWN_REGION=1");
  });

  it("suggests the known region for a shaped typo, and takes any region with LAYERCTL_ALLOW_UNKNOWN_REGION=1", async () => {
    const log = recordingLogger();
    await resolveTargets({ provider: ["aws"], region: ["us-esat-1"] }, { ...ctx, log });
    expect(log.lines).toEqual([expect.stringContaining("(did you mean us-east-1?)"), "debug: aws credentials: environment (AWS_ACCESS_KEY_ID)"]);
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

describe("--profile and --role-arn per cloud", () => {
  const all = [getProvider("tencent"), getProvider("aws"), getProvider("aliyun")];

  it("one NAME is every cloud's profile; provider:NAME is one cloud's, and wins over the plain one", () => {
    expect(Object.fromEntries(profilesFor(all, "prod"))).toEqual({ tencent: "prod", aws: "prod", aliyun: "prod" });
    expect(Object.fromEntries(profilesFor(all, ["aws:prod,aliyun:release"]))).toEqual({ aws: "prod", aliyun: "release" });
    expect(Object.fromEntries(profilesFor(all, ["ci", "aws:prod"]))).toEqual({ tencent: "ci", aws: "prod", aliyun: "ci" });
    // A colon in a name is only a prefix when it names a provider.
    expect(Object.fromEntries(profilesFor([getProvider("aws")], "sso:dev"))).toEqual({ aws: "sso:dev" });
    expect(profilesFor(all, undefined).size).toBe(0);
  });

  it.each([
    [["a", "b"], "ConflictingOptions"],
    [["aws:a", "aws:b"], "ConflictingOptions"],
    [["tencent:x"], "UnusedProfile"],
  ])("refuses --profile %j (%s)", (values, code) => {
    expect(() => profilesFor([getProvider("aws")], values)).toThrow(expect.objectContaining({ code }));
  });

  it("a role ARN goes to the cloud whose shape it has, or the one named", () => {
    const roles = roleArnsFor(all, ["arn:aws:iam::123456789012:role/a,qcs::cam::uin/100012345678:roleName/b", "aliyun:acs:ram::1234567890123456:role/c"]);
    expect(Object.fromEntries(roles)).toEqual({
      aws: "arn:aws:iam::123456789012:role/a",
      tencent: "qcs::cam::uin/100012345678:roleName/b",
      aliyun: "acs:ram::1234567890123456:role/c",
    });
    // A comma inside an IAM role name is kept.
    expect(roleArnsFor(all, "arn:aws:iam::123456789012:role/a,b").get("aws")).toBe("arn:aws:iam::123456789012:role/a,b");
    expect(() => roleArnsFor([getProvider("aws")], "qcs::cam::uin/1:roleName/b")).toThrow(expect.objectContaining({ code: "UnusedRoleArn" }));
    expect(() => roleArnsFor(all, "role/nothing")).toThrow(expect.objectContaining({ code: "InvalidRoleArn" }));
  });

  it("the profile's region is the default when no region is given (--region and the variables win)", async () => {
    const home = await tempDir("layerctl-targets-home-");
    try {
      await mkdir(path.join(home, ".aws"));
      await writeFile(path.join(home, ".aws", "config"), "[default]\nregion = eu-north-1\n[profile eu]\nregion = eu-west-3\n");
      await writeFile(path.join(home, ".aws", "credentials"), "[eu]\naws_access_key_id = AKIAPROFILE000000000\naws_secret_access_key = profile-secret\n");
      const base = { ...env, HOME: home, AWS_CONFIG_FILE: path.join(home, ".aws", "config"), AWS_SHARED_CREDENTIALS_FILE: path.join(home, ".aws", "credentials") };
      const regions = async (opts: object, e: NodeJS.ProcessEnv = base) =>
        (await resolveTargets({ provider: ["aws"], ...opts }, { env: e, log: silentLogger })).targets.map((t) => t.region);
      expect(await regions({})).toEqual(["eu-north-1"]);
      expect(await regions({ profile: ["eu"] })).toEqual(["eu-west-3"]);
      expect(await regions({ profile: ["aws:eu"] })).toEqual(["eu-west-3"]);
      expect(await regions({ profile: ["eu"], region: ["us-west-2"] })).toEqual(["us-west-2"]);
      expect(await regions({ profile: ["eu"] }, { ...base, AWS_REGION: "ap-south-1" })).toEqual(["ap-south-1"]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it("tells where the credentials came from: at debug level, and in a dry run always", async () => {
    const lines: string[] = [];
    const log = { ...silentLogger, debug: (m: string) => lines.push(`debug: ${m}`), info: (m: string) => lines.push(m) };
    await resolveTargets({ provider: ["aws"] }, { env, log });
    expect(lines).toEqual(["debug: aws credentials: environment (AWS_ACCESS_KEY_ID)"]);
    await resolveTargets({ provider: ["tencent"] }, { env, log, credentialsOptional: true });
    expect(lines.at(-1)).toBe("dry run: tencent credentials: environment (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY)");
  });

  it("--emulator keeps its own keys: --profile is refused with it", async () => {
    const err = await resolveTargets({ provider: ["aws"], emulator: true, profile: ["prod"] }, { env, log: silentLogger }).catch((e) => e);
    expect(err).toMatchObject({ code: "ConflictingOptions" });
  });
});
