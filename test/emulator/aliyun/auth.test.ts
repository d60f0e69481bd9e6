// ACS3-HMAC-SHA256 checks, request shape checks and region handling of the FC 3.0 emulator:
// the SDK where it can send the request, hand-signed requests where it cannot.
import { describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../src/emulator/index.js";
import { useEmulator } from "../../helpers/emulator.js";
import { fcClient, rawRequest, rejection, sdk, storedZip } from "./helpers.js";

let emu: RunningEmulator;
const zip = storedZip({ "python/x.py": "x = 1\n" });
const createBody = (name = "raw") => JSON.stringify({ code: { zipFile: zip.toString("base64") }, compatibleRuntime: ["python3.10"], description: name });

useEmulator({ maxClockSkewMs: 60_000 }, (started) => {
  emu = started;
});

/** CreateLayerVersion of `zip` through the SDK's own method (its signature, its chunked body). */
async function createThroughSdk(fc: Awaited<ReturnType<typeof fcClient>>, layer: string) {
  const m = (await sdk()).models;
  return fc.createLayerVersion(
    layer,
    new m.CreateLayerVersionRequest({ body: new m.CreateLayerVersionInput({ code: new m.InputCodeLocation({ zipFile: zip.toString("base64") }) }) }),
  );
}

describe("signature checks through the SDK", () => {
  it("accepts the SDK's own signature (hand-signed requests agree with it)", async () => {
    const ok = await rawRequest(emu, { method: "POST", path: "/2023-03-30/layers/raw/versions", body: createBody(), contentType: "application/json" });
    expect(ok.status).toBe(200);
    expect(ok.json.version).toBe(1);
    const fc = await fcClient(emu);
    expect((await fc.getLayerVersion("raw", "1")).body!.description).toBe("raw");
  });

  // FC's error centre: 403 SignatureNotMatch and 403 InvalidAccessKeyID.
  it("rejects a wrong secret with 403 SignatureNotMatch, showing the string to sign but no secret", async () => {
    const fc = await fcClient(emu, { accessKeySecret: "wrong-secret-value" });
    const err = await rejection(fc.getLayerVersion("raw", "1"));
    expect(err).toMatchObject({ name: "ClientError", code: "SignatureNotMatch", statusCode: 403 });
    expect(err.data.Message).toContain("ACS3-HMAC-SHA256");
    expect(JSON.stringify(err.data)).not.toContain(emu.credentials.aliyun.accessKeySecret);
    expect(err.requestId).toMatch(/[0-9a-f-]{36}/);
  });

  it("rejects an unknown access key id with 403 InvalidAccessKeyID", async () => {
    const fc = await fcClient(emu, { accessKeyId: "LTAIunknownKey000000" });
    const err = await rejection(fc.getLayerVersion("raw", "1"));
    expect(err).toMatchObject({ name: "ClientError", code: "InvalidAccessKeyID", statusCode: 403 });
  });
});

describe("hand-built requests", () => {
  it("rejects a timestamp outside the allowed clock skew", async () => {
    const stale = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers", date: new Date(Date.now() - 5 * 60_000) });
    expect(stale.status).toBe(400);
    expect(stale.json).toMatchObject({ Code: "InvalidTimeStamp.Expired" });
    expect(stale.json.RequestId).toBe(stale.headers["x-acs-request-id"]);
    const future = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers", date: new Date(Date.now() + 5 * 60_000) });
    expect(future.json.Code).toBe("InvalidTimeStamp.Expired");
    const within = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers", date: new Date(Date.now() - 30_000) });
    expect(within.status).toBe(200);
  });

  it("rejects a malformed timestamp", async () => {
    const res = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers", headers: { "x-acs-date": "Mon, 01 Jan 2024 00:00:00 GMT" } });
    expect(res.json.Code).toBe("InvalidTimeStamp.Format");
  });

  it("rejects a request without Authorization, or with a malformed one", async () => {
    const none = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers", noAuth: true });
    expect(none).toMatchObject({ status: 400, json: { Code: "MissingRequiredHeader" } });
    const garbled = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers", headers: { authorization: "Bearer abc" } });
    expect(garbled.json.Code).toBe("IncompleteSignature");
  });

  it("requires every x-acs-* header to be signed", async () => {
    const res = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers", headers: { "x-acs-region-id": "cn-beijing" }, unsigned: ["x-acs-region-id"] });
    expect(res.json.Code).toBe("IncompleteSignature");
    expect(res.json.Message).toContain("x-acs-region-id");
  });

  it("rejects a body that does not match x-acs-content-sha256", async () => {
    const res = await rawRequest(emu, {
      method: "POST",
      path: "/2023-03-30/layers/raw/versions",
      body: createBody(),
      contentType: "application/json",
      contentSha256: "0".repeat(64),
    });
    expect(res.json.Code).toBe("SignatureNotMatch");
    expect(res.json.Message).toContain("x-acs-content-sha256");
  });

  it("rejects a replayed nonce", async () => {
    const first = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers", nonce: "fixed-nonce-1" });
    expect(first.status).toBe(200);
    const replay = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers", nonce: "fixed-nonce-1" });
    expect(replay).toMatchObject({ status: 400, json: { Code: "SignatureNonceUsed" } });
  });

  it("rejects bad JSON and a body that is not JSON", async () => {
    const bad = await rawRequest(emu, { method: "POST", path: "/2023-03-30/layers/raw/versions", body: "{not json", contentType: "application/json" });
    expect(bad).toMatchObject({ status: 400, json: { Code: "InvalidArgument" } });
    expect(bad.json.Message).toContain("JSON");
    const array = await rawRequest(emu, { method: "POST", path: "/2023-03-30/layers/raw/versions", body: "[]", contentType: "application/json" });
    expect(array.json.Code).toBe("InvalidArgument");
  });

  it("rejects a wrong content type", async () => {
    const res = await rawRequest(emu, { method: "POST", path: "/2023-03-30/layers/raw/versions", body: createBody(), contentType: "text/plain" });
    expect(res).toMatchObject({ status: 400, json: { Code: "InvalidArgument" } });
    expect(res.json.Message).toContain("text/plain");
  });

  it("answers an unknown FC path with PathNotSupported, after authentication", async () => {
    const res = await rawRequest(emu, { method: "GET", path: "/2023-03-30/triggers" });
    expect(res).toMatchObject({ status: 400, json: { Code: "PathNotSupported" } });
    const unsigned = await rawRequest(emu, { method: "GET", path: "/2023-03-30/triggers", noAuth: true });
    expect(unsigned.json.Code).toBe("MissingRequiredHeader");
  });

  it("accepts a chunked body (as the SDK sends it)", async () => {
    const resp = await createThroughSdk(await fcClient(emu), "chunked");
    expect(resp.body!.version).toBe(1);
  });
});

describe("region", () => {
  it("defaults to cn-hangzhou when neither the host nor a header names one", async () => {
    const layer = (await createThroughSdk(await fcClient(emu), "regional")).body!;
    expect(layer.layerVersionArn).toMatch(/^acs:fc:cn-hangzhou:/);
  });

  it("takes the region from a signed x-acs-region-id header, and keeps regions apart", async () => {
    const layer = (await createThroughSdk(await fcClient(emu, { region: "cn-shanghai" }), "regional")).body!;
    expect(layer.version).toBe(1);
    expect(layer.layerVersionArn).toBe(`acs:fc:cn-shanghai:${emu.credentials.aliyun.accountId}:layers/regional/versions/1`);
  });

  it("takes the region from a Host of the real endpoint form, checking the account", async () => {
    const account = emu.credentials.aliyun.accountId;
    const res = await rawRequest(emu, {
      method: "POST",
      path: "/2023-03-30/layers/hosted/versions",
      body: createBody(),
      contentType: "application/json",
      host: `${account}.cn-beijing.fc.aliyuncs.com`,
    });
    expect(res.status).toBe(200);
    expect(res.json.layerVersionArn).toBe(`acs:fc:cn-beijing:${account}:layers/hosted/versions/1`);
    const other = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers", host: "999.cn-beijing.fc.aliyuncs.com" });
    expect(other).toMatchObject({ status: 403, json: { Code: "AccessDenied" } });
  });
});
