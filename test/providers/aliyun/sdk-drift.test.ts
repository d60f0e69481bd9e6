// Drift guard: our CreateLayerVersion (src/providers/aliyun/client.ts createLayerVersion) is a copy
// of the generated createLayerVersionWithOptions that hands the SDK's callApi the JSON body as
// bytes. An SDK upgrade that changes the generated method (a header, the path, the API version,
// the body's fields) would make the two differ, and our emulator would not notice: it checks our
// request against itself. So both go to a server that only records them, through the same client
// settings, and must be the same request: method, path and query, every header but the
// per-request nonce, date and signature (the list of signed headers included), and body bytes.
import { RuntimeOptions } from "@darabonba/typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crc64Decimal } from "../../../src/archive/crc64.js";
import { endpointFor, fcConfig } from "../../../src/providers/aliyun/client.js";
import { asAliyunCredentials } from "../../../src/providers/aliyun/credentials.js";
import { aliyunProvider } from "../../../src/providers/aliyun/index.js";
import { loadAliyunSdk } from "../../../src/providers/aliyun/sdk.js";
import type { ConnectOptions } from "../../../src/providers/types.js";
import { makeArchive } from "../../helpers/archive.js";
import { type RecordedRequest, type RecordingServer, recordingServer } from "../../helpers/recording-server.js";

const quiet = { debugEnabled: false, debug() {}, info() {}, warn() {}, error() {} };
const PER_REQUEST = new Set(["x-acs-signature-nonce", "x-acs-date", "authorization"]);

/** Everything of a request that must not depend on which of the two paths built it. */
function comparable(r: RecordedRequest) {
  const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=[0-9a-f]{64}$/.exec(String(r.headers.authorization));
  return {
    method: r.method,
    url: r.url,
    headers: Object.fromEntries(Object.entries(r.headers).filter(([name]) => !PER_REQUEST.has(name))),
    credential: auth?.[1],
    signedHeaders: auth?.[2],
  };
}

let server: RecordingServer;
let zip: Buffer;
let crc: string;

beforeAll(async () => {
  zip = (await makeArchive({ "python/drift.py": "DRIFT = 1\n".repeat(50) })).bytes;
  crc = crc64Decimal(zip);
  // What FC answers a CreateLayerVersion (the fields our adapter reads, and the SDK's).
  const layer = {
    acl: "0",
    code: { location: "https://fc.example/layer.zip", repositoryType: "OSS" },
    codeChecksum: crc,
    codeSize: zip.length,
    compatibleRuntime: ["python3.10"],
    createTime: "2026-01-02T03:04:05Z",
    description: "drift",
    layerName: "drift",
    layerVersionArn: "acs:fc:cn-hangzhou:1234567890123456:layers/drift/versions/1",
    license: "MIT",
    version: 1,
  };
  server = await recordingServer({ status: 200, headers: { "content-type": "application/json", "x-acs-request-id": "drift-request" }, body: JSON.stringify(layer) });
});
afterAll(() => server.close());

async function connectOptions(): Promise<ConnectOptions> {
  const credentials = await aliyunProvider.resolveCredentials({ ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIdriftKey", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "drift-secret" }, {});
  return { region: "cn-hangzhou", endpoint: server.url, credentials, requestTimeoutMs: 10_000, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, log: quiet };
}

/** The two requests: ours (publishLayer), then the generated method's with the same input. */
async function bothRequests(staged?: { bucket: string; key: string }): Promise<[RecordedRequest, RecordedRequest]> {
  const opts = await connectOptions();
  const ours = await aliyunProvider.connect(opts);
  await ours.publishLayer(
    {
      layerName: "drift",
      archive: { bytes: zip, sha256: "", size: zip.length },
      runtimes: ["python3.10"],
      architectures: [],
      description: "drift",
      license: "MIT",
      staged: staged && { ...staged, region: "cn-hangzhou", crc64: crc },
    },
    { wait: true, waitTimeoutMs: 1000, pollIntervalMs: 5 },
  );

  const sdk = await loadAliyunSdk();
  const creds = asAliyunCredentials(opts.credentials);
  const client = new sdk.Client(fcConfig(sdk, opts, creds, endpointFor(opts, creds)));
  const m = sdk.models;
  const code = staged
    ? new m.InputCodeLocation({ ossBucketName: staged.bucket, ossObjectName: staged.key, checksum: crc })
    : new m.InputCodeLocation({ zipFile: zip.toString("base64"), checksum: crc });
  const request = new m.CreateLayerVersionRequest({
    body: new m.CreateLayerVersionInput({ code, compatibleRuntime: ["python3.10"], description: "drift", license: "MIT" }),
  });
  await client.createLayerVersionWithOptions("drift", request, {}, new RuntimeOptions({}));
  const sent = server.requests.splice(0);
  expect(sent).toHaveLength(2);
  return [sent[0], sent[1]];
}

describe("CreateLayerVersion: ours and the SDK's generated method send the same request", () => {
  it("for an inline zip", async () => {
    const [mine, theirs] = await bothRequests();
    expect(comparable(mine)).toEqual(comparable(theirs));
    expect(comparable(mine).signedHeaders).toContain("x-acs-content-sha256");
    expect(mine.body.equals(theirs.body)).toBe(true);
    // The zip itself is in there (the comparison above is not between two empty bodies).
    expect(mine.body.includes(zip.toString("base64"))).toBe(true);
  });

  it("for a zip staged in OSS", async () => {
    const [mine, theirs] = await bothRequests({ bucket: "drift-bucket", key: "layerctl/drift/abc.zip" });
    expect(comparable(mine)).toEqual(comparable(theirs));
    expect(mine.body.equals(theirs.body)).toBe(true);
    expect(JSON.parse(mine.body.toString("utf8")).code).toEqual({ ossBucketName: "drift-bucket", ossObjectName: "layerctl/drift/abc.zip", checksum: crc });
  });
});
