// The emulator's side of fleets, spoken to by the official SDKs (and plain HTTP for download links):
// the three region-listing operations as their references shape them, and download links that
// behave as presigned object-store URLs (expiry, tampering, byte ranges, faults).
import { AccountClient, ListRegionsCommand } from "@aws-sdk/client-account";
import { GetLayerVersionCommand, LambdaClient, PublishLayerVersionCommand } from "@aws-sdk/client-lambda";
import { CommonClient } from "tencentcloud-sdk-nodejs-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start, type RunningEmulator } from "../../src/emulator/index.js";
import { makeArchive } from "../helpers/archive.js";

let emu: RunningEmulator;
let now = Date.now();

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0, now: () => new Date(now), tuning: { aws: { regions: ["us-east-1", "eu-west-1", "af-south-1"] } } });
});
afterAll(async () => {
  await emu?.close();
});

function account(region = "us-east-1"): AccountClient {
  const { accessKeyId, secretAccessKey } = emu.credentials.aws;
  return new AccountClient({ region, endpoint: emu.url, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
}

describe("AWS Account ListRegions", () => {
  it("lists the partition's regions with their opt-in status, paged by NextToken", async () => {
    const client = account();
    const seen: Array<{ RegionName?: string; RegionOptStatus?: string }> = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await client.send(new ListRegionsCommand({ MaxResults: 10, NextToken: token }));
      seen.push(...(out.Regions ?? []));
      token = out.NextToken;
      pages++;
    } while (token);
    expect(pages).toBeGreaterThan(1);
    const status = Object.fromEntries(seen.map((r) => [r.RegionName, r.RegionOptStatus]));
    expect(status["us-east-1"]).toBe("ENABLED_BY_DEFAULT");
    expect(status["af-south-1"]).toBe("ENABLED"); // an opt-in region the account enabled
    expect(status["ap-east-1"]).toBe("DISABLED"); // one it did not
    expect(status["us-west-2"]).toBe("DISABLED"); // not among the account's regions here
    // Only the commercial partition: China and GovCloud have accounts of their own.
    expect(Object.keys(status).some((r) => r.startsWith("cn-") || r.startsWith("us-gov-"))).toBe(false);
    client.destroy();
  });

  it("filters by RegionOptStatusContains and refuses a MaxResults out of range", async () => {
    const client = account();
    const out = await client.send(new ListRegionsCommand({ RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"] }));
    expect(out.Regions?.map((r) => r.RegionName).sort()).toEqual(["af-south-1", "eu-west-1", "us-east-1"]);
    await expect(client.send(new ListRegionsCommand({ MaxResults: 51 }))).rejects.toMatchObject({ name: "ValidationException" });
    client.destroy();
  });

  it("is signed for service account, not lambda", async () => {
    const { accessKeyId } = emu.credentials.aws;
    const res = await fetch(`${emu.url}/listRegions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-amz-date": new Date(now).toISOString().replace(/[-:]|\.\d{3}/g, ""),
        authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${new Date(now).toISOString().slice(0, 10).replace(/-/g, "")}/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00`,
      },
      body: "{}",
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("x-amzn-errortype")).toBe("InvalidSignatureException");
  });
});

describe("Tencent Region Management System DescribeRegions (2022-06-27)", () => {
  function region(): InstanceType<typeof CommonClient> {
    const { secretId, secretKey } = emu.credentials.tencent;
    const url = new URL(emu.url);
    return new CommonClient("region.tencentcloudapi.com", "2022-06-27", {
      credential: { secretId, secretKey },
      region: "ap-guangzhou",
      profile: { httpProfile: { endpoint: url.host, protocol: "http://" } },
    });
  }

  it("lists SCF's regions with their state", async () => {
    const out = (await region().request("DescribeRegions", { Product: "scf" })) as { TotalCount: number; RegionSet: Array<{ Region: string; RegionState: string }> };
    expect(out.TotalCount).toBe(out.RegionSet.length);
    expect(out.RegionSet.map((r) => r.Region)).toContain("ap-guangzhou");
    expect(out.RegionSet.every((r) => r.RegionState === "AVAILABLE")).toBe(true);
  });

  it("needs Product, and is not an action of SCF's own version", async () => {
    await expect(region().request("DescribeRegions", {})).rejects.toMatchObject({ code: "MissingParameter" });
    const { secretId, secretKey } = emu.credentials.tencent;
    const url = new URL(emu.url);
    const scf = new CommonClient("scf.tencentcloudapi.com", "2018-04-16", {
      credential: { secretId, secretKey },
      region: "ap-guangzhou",
      profile: { httpProfile: { endpoint: url.host, protocol: "http://" } },
    });
    await expect(scf.request("DescribeRegions", { Product: "scf" })).rejects.toMatchObject({ code: "InvalidAction" });
  });
});

describe("download links", () => {
  let location: string;
  let zip: Awaited<ReturnType<typeof makeArchive>>;

  beforeAll(async () => {
    zip = await makeArchive({ "lib/link.txt": "a download link\n" });
    const { accessKeyId, secretAccessKey } = emu.credentials.aws;
    const lambda = new LambdaClient({ region: "us-east-1", endpoint: emu.url, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
    await lambda.send(new PublishLayerVersionCommand({ LayerName: "links", Content: { ZipFile: zip.bytes } }));
    location = (await lambda.send(new GetLayerVersionCommand({ LayerName: "links", VersionNumber: 1 }))).Content!.Location!;
    lambda.destroy();
  });

  it("serves the zip, and byte ranges of it", async () => {
    expect(Buffer.from(await (await fetch(location)).arrayBuffer())).toEqual(zip.bytes);
    const part = await fetch(location, { headers: { range: "bytes=0-3" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 0-3/${zip.size}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(zip.bytes.subarray(0, 4));
    expect((await fetch(location, { headers: { range: `bytes=${zip.size}-` } })).status).toBe(416);
  });

  it("refuses an altered link and an expired one with the store's 403 AccessDenied", async () => {
    const altered = location.replace(/Expires=(\d+)/, (_, e: string) => `Expires=${Number(e) + 60}`);
    const res = await fetch(altered);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("<Code>AccessDenied</Code>");
    const saved = now;
    now += 11 * 60 * 1000; // AWS: valid for 10 minutes
    try {
      const expired = await fetch(location);
      expect(expired.status).toBe(403);
      expect(await expired.text()).toContain("Request has expired");
    } finally {
      now = saved;
    }
  });

  it("is a cloud action to the fault layer: DownloadLayerContent", async () => {
    emu.faults.add({ provider: "aws", action: "DownloadLayerContent", kind: "bad-checksum", times: 1 });
    const damaged = Buffer.from(await (await fetch(location)).arrayBuffer());
    expect(damaged.length).toBe(zip.size);
    expect(damaged).not.toEqual(zip.bytes);
    emu.faults.add({ provider: "aws", action: "DownloadLayerContent", kind: "server-error", times: 1 });
    expect((await fetch(location)).status).toBe(500);
    expect(Buffer.from(await (await fetch(location)).arrayBuffer())).toEqual(zip.bytes);
    // A rule for every action is the APIs': a download is not faulted by it, nor counted.
    emu.faults.add({ provider: "aws", action: "*", kind: "server-error", times: 1 });
    expect(Buffer.from(await (await fetch(location)).arrayBuffer())).toEqual(zip.bytes);
    expect(emu.faults.counts()["aws:DownloadLayerContent"]).toBeUndefined();
    emu.faults.clear();
  });
});
