// The one grammar of provider-qualified values (src/providers/qualified.ts): how it splits, and
// that every flag built on it still refuses bad input with its own one-line message.
import { describe, expect, it } from "vitest";
import { isProviderName, parseQualified, providerPrefixed, qualifiedRegion, qualifierOf } from "../../src/providers/qualified.js";
import { providerNames } from "../../src/providers/names.js";
import { providers } from "../../src/providers/index.js";
import { valueFor, valuesFor } from "../../src/config/per-provider.js";
import { parseStaging } from "../../src/release/staging.js";
import { profilesFor, roleArnsFor } from "../../src/targets/resolve.js";
import { planGrants } from "../../src/release/sharing.js";
import { parseSeed, parseSeedBucket } from "../../src/commands/emulate.js";
import { usageErrorOf } from "../helpers/cli-expect.js";

const all = Object.values(providers);

const usage = usageErrorOf;

describe("parseQualified", () => {
  it.each([
    ["aws:us-east-1", { qualifier: "aws", provider: "aws", form: "provider:value", rest: "us-east-1", value: "us-east-1" }],
    ["aws=my-bucket", { qualifier: "aws", provider: "aws", form: "provider=value", rest: "my-bucket", value: "my-bucket" }],
    [
      "tencent:ap-guangzhou=layers-1250000000",
      { qualifier: "tencent", provider: "tencent", form: "provider:region=value", rest: "ap-guangzhou=layers-1250000000", region: "ap-guangzhou", value: "layers-1250000000" },
    ],
    ["aws=a=b", { qualifier: "aws", form: "provider=value", rest: "a=b", value: "a=b" }],
    ["aws:r=a=b", { form: "provider:region=value", region: "r", value: "a=b" }],
    ["aws:", { form: "provider:value", rest: "", value: "" }],
    ["aws=", { form: "provider=value", rest: "", value: "" }],
    ["aws:Bad_Region=x", { form: "provider:value", rest: "Bad_Region=x", value: "Bad_Region=x" }],
    ["aws:=x", { form: "provider:value", rest: "=x", value: "=x" }],
    ["aws:prod:eu", { form: "provider:value", value: "prod:eu" }],
  ])("splits %s", (text, expected) => {
    expect(parseQualified(text)).toMatchObject(expected);
  });

  it("keeps an unknown qualifier, without a provider, for the caller to name", () => {
    const q = parseQualified("gcp:us-central1")!;
    expect(q).toMatchObject({ qualifier: "gcp", form: "provider:value", value: "us-central1" });
    expect(q.provider).toBeUndefined();
  });

  it.each(["us-east-1", "my-bucket", "", "Aws:us-east-1", "aws-cn:prod", ":x", "=x", "1aws:x", " aws:x"])("%j is a plain value", (text) => {
    expect(parseQualified(text)).toBeUndefined();
    expect(qualifierOf(text)).toBeUndefined();
  });

  it("prefixes a value only with a known provider's name and ':'", () => {
    expect(providerPrefixed("aliyun:1234567890")).toEqual({ provider: "aliyun", value: "1234567890" });
    expect(providerPrefixed("team:prod")).toBeUndefined(); // a profile named team:prod
    expect(providerPrefixed("aws=prod")).toBeUndefined();
    expect(providerPrefixed("aws:")).toBeUndefined();
    expect(providerPrefixed("aws:", true)).toEqual({ provider: "aws", value: "" });
  });

  it("reads a region entry: provider:region or provider=region, the qualifier kept when unknown", () => {
    expect(qualifiedRegion("aws:us-east-1")).toEqual({ qualifier: "aws", provider: "aws", region: "us-east-1" });
    expect(qualifiedRegion("aws=all")).toEqual({ qualifier: "aws", provider: "aws", region: "all" });
    expect(qualifiedRegion("gcp:us-central1")).toEqual({ qualifier: "gcp", region: "us-central1" });
    expect(qualifiedRegion("us-east-1")).toBeUndefined();
    expect(qualifiedRegion("aws:")).toBeUndefined();
  });

  it("knows the names of providers/names.ts, and only those", () => {
    for (const n of providerNames) expect(isProviderName(n)).toBe(true);
    expect(isProviderName("gcp")).toBe(false);
    expect(isProviderName("")).toBe(false);
  });
});

describe("the flags built on it", () => {
  it("per-provider values: a provider's own entries win, `aws:` is the zip root", () => {
    expect(valuesFor("aws", ["python3.10", "aws:python3.11"])).toEqual(["python3.11"]);
    expect(valuesFor("aliyun", ["python3.10", "aws:python3.11"])).toEqual(["python3.10"]);
    expect(valueFor("aws", ["python", "aws:"])).toBe("");
    expect(valuesFor("aws", ["team:x"])).toEqual(["team:x"]);
  });

  it.each([
    [["aws:Bad_Region=b"], '--bucket "aws:Bad_Region=b" must be NAME, provider=NAME or provider:region=NAME', "InvalidBucket"],
    [["aws="], '--bucket "aws=" must be NAME, provider=NAME or provider:region=NAME', "InvalidBucket"],
    [["aws:b"], '--bucket "aws:b" must be NAME, provider=NAME or provider:region=NAME', "InvalidBucket"],
    [["gcp=b"], 'unknown provider "gcp"', "UnknownProvider"],
  ])("--bucket %j: %s", (bucket, message, code) => {
    const err = usage(() => parseStaging({ bucket }, {}, all));
    expect(err.message).toContain(message);
    expect(err.code).toBe(code);
  });

  it("--bucket for a provider not selected is named", () => {
    const err = usage(() => parseStaging({ bucket: ["aws:us-east-1=b"] }, {}, [providers.tencent]));
    expect(err.message).toBe("--bucket aws:us-east-1=b names aws, which is not among the selected providers");
    expect(err.code).toBe("UnusedBucket");
  });

  it("--profile: provider:NAME, else one NAME for all (a colon in a NAME is kept)", () => {
    expect(Object.fromEntries(profilesFor(all, ["team:prod", "aws:ci"]))).toEqual({ tencent: "team:prod", aws: "ci", aliyun: "team:prod" });
    expect(usage(() => profilesFor([providers.aws], ["aliyun:x"])).message).toBe("--profile aliyun:x names aliyun, which is not among the selected providers");
  });

  it("--role-arn: provider:ARN or an ARN whose shape names its cloud", () => {
    expect(roleArnsFor(all, ["aws:arn:aws:iam::123456789012:role/ci"]).get("aws")).toBe("arn:aws:iam::123456789012:role/ci");
    expect(roleArnsFor(all, ["arn:aws:iam::123456789012:role/ci"]).get("aws")).toBe("arn:aws:iam::123456789012:role/ci");
  });

  it("--share-account: provider:ID for one provider, ID for all", () => {
    const plan = planGrants({ account: ["aws:123456789012", "111122223333"] }, [providers.aws], undefined, false);
    expect(plan.byProvider.get("aws")).toEqual([
      { kind: "account", id: "123456789012" },
      { kind: "account", id: "111122223333" },
    ]);
  });

  it("emulate --function [PROVIDER:]NAME[=LAYER:VERSION,...]", () => {
    // What it takes: test/commands/lifecycle.test.ts ("parsing").
    for (const bad of ["gcp:api", "Aws:api", "aws:a:b", "aws:", "=deps:1", "api=", "api=deps"]) {
      expect(usage(() => parseSeed(bad)).message).toBe(`--function "${bad}" must be NAME or PROVIDER:NAME, optionally =LAYER:VERSION[,LAYER:VERSION...]`);
    }
  });

  it("emulate --bucket PROVIDER:REGION=NAME", () => {
    expect(parseSeedBucket("tencent:ap-guangzhou=layers-1250000000")).toEqual({ provider: "tencent", region: "ap-guangzhou", name: "layers-1250000000" });
    for (const bad of ["aws=b", "aws:us-east-1", "gcp:r=b", "aws:us-east-1=b_c", "aws:us-east-1=", "aws:R=b"]) {
      expect(usage(() => parseSeedBucket(bad)).message).toBe(`--bucket "${bad}" must be PROVIDER:REGION=NAME`);
    }
  });
});
