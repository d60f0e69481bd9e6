// Which way each target goes and where it stages: decided before any call, from --upload,
// --bucket, LAYERCTL_BUCKET_* and each provider's limits (data on Provider.storage).
import { usageErrorOf } from "../helpers/cli-expect.js";
import { describe, expect, it } from "vitest";
import { parseStaging, planTarget } from "../../src/release/staging.js";
import type { Target } from "../../src/targets/resolve.js";
import { UsageError } from "../../src/errors.js";
import { providers } from "../../src/providers/index.js";

const all = Object.values(providers);
const target = (name: keyof typeof providers, region: string, endpoint?: string): Target => ({ provider: providers[name], region, endpoint, credentials: { source: "test" } });
const over = new UsageError("too big", { code: "ZipTooLarge" });
const sizes = { zip: 60_000_000 };

const usage = usageErrorOf;

describe("bucket rules", () => {
  it("picks provider:region over provider over a plain name, and fills in {region}", () => {
    const opts = parseStaging({ bucket: ["plain-bucket", "aws=aws-{region}", "aws:eu-west-1=dublin"] }, {}, all);
    expect(planTarget(opts, target("aws", "eu-west-1"), sizes, over, {}, false)).toMatchObject({ upload: "storage", bucket: "dublin" });
    expect(planTarget(opts, target("aws", "us-east-2"), sizes, over, {}, false)).toMatchObject({ bucket: "aws-us-east-2" });
    expect(planTarget(opts, target("aliyun", "cn-shanghai"), sizes, over, {}, false)).toMatchObject({ bucket: "plain-bucket" });
  });

  it("takes LAYERCTL_BUCKET_* per provider, and flags win over it", () => {
    const env = { LAYERCTL_BUCKET_AWS: "from-env-{region}", LAYERCTL_BUCKET_ALIYUN: "aliyun:cn-beijing=beijing-env" };
    const opts = parseStaging({ bucket: ["aws:us-east-1=from-flag"] }, env, all);
    expect(planTarget(opts, target("aws", "us-east-1"), sizes, over, env, false)).toMatchObject({ bucket: "from-flag" });
    expect(planTarget(opts, target("aws", "us-west-2"), sizes, over, env, false)).toMatchObject({ bucket: "from-env-us-west-2" });
    expect(planTarget(opts, target("aliyun", "cn-beijing"), sizes, over, env, false)).toMatchObject({ bucket: "beijing-env" });
    // Not in cn-beijing: FC's temporary bucket (no bucket named).
    expect(planTarget(opts, target("aliyun", "cn-shanghai"), sizes, over, env, false)).toEqual({ upload: "storage", bucket: undefined, endpoint: undefined });
  });

  it.each([
    [["aws:us-east-1"], "InvalidBucket"],
    [["gcp=bucket"], "UnknownProvider"],
    [["x=y=z"], "UnknownProvider"],
  ])("refuses %j", (bucket, code) => {
    expect(usage(() => parseStaging({ bucket }, {}, all)).code).toBe(code);
  });

  it("refuses a bucket for a provider that is not selected, and an env variable naming another provider", () => {
    expect(usage(() => parseStaging({ bucket: ["tencent=x-1250000000"] }, {}, [providers.aws])).code).toBe("UnusedBucket");
    expect(usage(() => parseStaging({}, { LAYERCTL_BUCKET_AWS: "aliyun=x" }, [providers.aws, providers.aliyun])).code).toBe("InvalidBucket");
  });

  it("refuses --upload values it does not know, and --bucket with --upload inline", () => {
    expect(usage(() => parseStaging({ upload: "s3" }, {}, all)).code).toBe("InvalidOption");
    expect(usage(() => parseStaging({ upload: "inline", bucket: ["b"] }, {}, all)).code).toBe("ConflictingOptions");
  });
});

describe("which way", () => {
  const opts = (upload?: string) => parseStaging({ upload, bucket: ["aws=my-layers", "tencent=layers-1250000000", "aliyun=my-layers"] }, {}, all);

  it("auto: inline while the zip fits, staged beyond", () => {
    expect(planTarget(opts(), target("aws", "us-east-1"), sizes, null, {}, false)).toEqual({ upload: "inline" });
    expect(planTarget(opts(), target("aws", "us-east-1"), sizes, over, {}, false)).toMatchObject({ upload: "storage" });
    expect(planTarget(opts("storage"), target("aws", "us-east-1"), sizes, null, {}, false)).toMatchObject({ upload: "storage" });
  });

  it("inline: a zip over the limit stays the provider's ZipTooLarge, pointing at staging", () => {
    const err = usage(() => planTarget(parseStaging({ upload: "inline" }, {}, all), target("tencent", "ap-guangzhou"), sizes, over, {}, false));
    expect(err.code).toBe("ZipTooLarge");
    expect(err.hint).toContain("COS");
  });

  it("checks the store's zip limit after staging (Aliyun: 500 MB; AWS and Tencent have only the unzipped one)", () => {
    const aliyun = usage(() => planTarget(opts(), target("aliyun", "cn-hangzhou"), { zip: 500 * 1024 * 1024 + 1 }, over, {}, false));
    expect(aliyun.code).toBe("ZipTooLarge");
    expect(aliyun.hint).toContain("500 MB");
    expect(planTarget(opts(), target("aliyun", "cn-hangzhou"), { zip: 500 * 1024 * 1024 }, over, {}, false)).toMatchObject({ upload: "storage" });
    expect(planTarget(opts(), target("aws", "us-east-1"), { zip: 2 * 1024 ** 3 }, over, {}, false)).toMatchObject({ upload: "storage" });
  });

  it("checks the bucket name as the store spells it (Tencent: with -APPID)", () => {
    const err = usage(() => planTarget(parseStaging({ bucket: ["tencent=layers"] }, {}, all), target("tencent", "ap-guangzhou"), sizes, over, {}, false));
    expect(err.code).toBe("InvalidBucket");
    expect(err.hint).toContain("APPID");
    expect(usage(() => planTarget(parseStaging({ bucket: ["Bad_Bucket"] }, {}, all), target("aws", "us-east-1"), sizes, over, {}, false)).code).toBe("InvalidBucket");
  });

  it("endpoints: --storage-endpoint, then the provider's variables, then the embedded emulator", () => {
    const t = target("aws", "us-east-1", "http://127.0.0.1:1");
    expect(planTarget(parseStaging({ bucket: ["b-1"], storageEndpoint: "http://127.0.0.1:2" }, {}, all), t, sizes, over, {}, true)).toMatchObject({
      endpoint: "http://127.0.0.1:2",
    });
    const env = { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:3", AWS_ENDPOINT_URL: "http://127.0.0.1:4" };
    expect(planTarget(parseStaging({ bucket: ["b-1"] }, env, all), t, sizes, over, env, true)).toMatchObject({ endpoint: "http://127.0.0.1:3" });
    expect(planTarget(parseStaging({ bucket: ["b-1"] }, {}, all), t, sizes, over, {}, true)).toMatchObject({ endpoint: "http://127.0.0.1:1" });
    expect(planTarget(parseStaging({ bucket: ["b-1"] }, {}, all), t, sizes, over, {}, false)).toMatchObject({ endpoint: undefined });
  });
});
