// Drift guard: PublishLayerVersion's shared inline body (src/providers/aws/inline-body.ts) swaps the
// SDK's serialized body for one built once per zip. It must stay the request the SDK itself makes
// for that zip: an SDK upgrade that serializes differently, or moves where the body is measured
// and signed, must fail here rather than on the cloud. The same command is sent with and without
// the middleware to the SDK's lowest public hook, a requestHandler that records the request as
// signed and answers it, and both must match in method, host, path, query, every header but the
// per-request date, signature and invocation id (the signed header list included), and body bytes.
import { Readable } from "node:stream";
import { LambdaClient, PublishLayerVersionCommand } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { shareInlineBody } from "../../../src/providers/aws/inline-body.js";
import { quietAwsSdk } from "../../../src/providers/aws/sdk-env.js";
import { sharedBody, ZIP_MARKER } from "../../../src/providers/inline-body.js";
import { makeArchive } from "../../helpers/archive.js";

interface Sent {
  method: string;
  hostname: string;
  path: string;
  query: unknown;
  headers: Record<string, string>;
  body: Buffer;
}

const PER_REQUEST = new Set(["x-amz-date", "authorization", "amz-sdk-invocation-id"]);

function bytesOf(body: unknown): Buffer {
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new Error(`unexpected request body: ${typeof body}`);
}

/** A Lambda client whose transport records each request as signed and answers it as Lambda would. */
function recordingClient(sent: Sent[]): LambdaClient {
  quietAwsSdk();
  const answer = JSON.stringify({
    LayerArn: "arn:aws:lambda:us-east-1:123456789012:layer:drift",
    LayerVersionArn: "arn:aws:lambda:us-east-1:123456789012:layer:drift:1",
    Version: 1,
    Content: { CodeSha256: "", CodeSize: 1, Location: "https://example.com/layer.zip" },
    CompatibleRuntimes: ["python3.12"],
    CreatedDate: "2026-01-02T03:04:05.000+0000",
  });
  return new LambdaClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIADRIFTKEY0000000", secretAccessKey: "drift-secret" },
    maxAttempts: 1,
    requestHandler: {
      async handle(request: { method: string; hostname: string; path: string; query: unknown; headers: Record<string, string>; body: unknown }) {
        sent.push({ method: request.method, hostname: request.hostname, path: request.path, query: request.query, headers: { ...request.headers }, body: bytesOf(request.body) });
        return {
          response: {
            statusCode: 201,
            reason: "Created",
            headers: { "content-type": "application/json", "x-amzn-requestid": "drift-request" },
            body: Readable.from([Buffer.from(answer)]),
          },
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    },
  });
}

/** Everything of a request that must not depend on the middleware. */
function comparable(r: Sent) {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^,]+), SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(r.headers.authorization ?? "");
  return {
    method: r.method,
    hostname: r.hostname,
    path: r.path,
    query: r.query,
    headers: Object.fromEntries(Object.entries(r.headers).filter(([name]) => !PER_REQUEST.has(name.toLowerCase()))),
    credential: auth && [auth[1], auth[2]],
    signedHeaders: auth?.[3],
  };
}

describe("PublishLayerVersion with the shared inline body sends what the SDK alone sends", () => {
  it("for a small zip", async () => {
    const archive = await makeArchive({ "python/drift.py": "DRIFT = 1\n".repeat(50) });
    const zip = archive.bytes;
    const input = { LayerName: "drift", CompatibleRuntimes: ["python3.12" as const], Description: "drift", LicenseInfo: "MIT" };
    const sent: Sent[] = [];
    const client = recordingClient(sent);
    await client.send(new PublishLayerVersionCommand({ ...input, Content: { ZipFile: zip } }));
    const shared = new PublishLayerVersionCommand({ ...input, Content: { ZipFile: ZIP_MARKER } });
    shareInlineBody(shared, sharedBody(archive, "aws"));
    await client.send(shared);
    client.destroy();

    expect(sent).toHaveLength(2);
    const [sdkAlone, withMiddleware] = sent;
    expect(comparable(withMiddleware)).toEqual(comparable(sdkAlone));
    expect(comparable(sdkAlone).signedHeaders).toContain("content-length");
    expect(withMiddleware.body.equals(sdkAlone.body)).toBe(true);
    // The zip is in there (the comparison above is not between two empty bodies).
    expect(JSON.parse(sdkAlone.body.toString("utf8")).Content.ZipFile).toBe(zip.toString("base64"));
  });
});
