// Signature checks and request-shape errors: through the SDK where it can produce the case, and
// hand-built TC3 requests where it cannot. Every API error is HTTP 200 with Response.Error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start, type RunningEmulator } from "../../../src/emulator/index.js";
import { rawCall, sdkClient, sdkError } from "./helpers.js";

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0, maxClockSkewMs: 5 * 60_000 });
});
afterAll(async () => {
  await emu.close();
});

function expectError(res: { status: number; json: any }, code: string): void {
  expect(res.status).toBe(200);
  expect(res.json.Response.Error.Code).toBe(code);
  expect(typeof res.json.Response.Error.Message).toBe("string");
  expect(res.json.Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
}

describe("through the SDK", () => {
  it("accepts the SDK's signature whatever host label it signs for (service from the scope)", async () => {
    await sdkClient(emu).ListLayers({});
    await sdkClient(emu, { host: "localhost" }).ListLayers({});
  });

  it("rejects a wrong secret with AuthFailure.SignatureFailure", async () => {
    const err = await sdkError(sdkClient(emu, { secretKey: "wrong-secret-value" }).ListLayers({}));
    expect(err.code).toBe("AuthFailure.SignatureFailure");
    expect(err.requestId).toBeTruthy();
    expect(err.message).not.toContain("wrong-secret-value");
  });

  it("rejects an unknown key id with AuthFailure.SecretIdNotFound", async () => {
    const err = await sdkError(sdkClient(emu, { secretId: "AKIDunknown000000000000000000000" }).ListLayers({}));
    expect(err.code).toBe("AuthFailure.SecretIdNotFound");
  });
});

describe("hand-built requests", () => {
  it("answers a correctly signed request", async () => {
    const res = await rawCall(emu, { action: "ListLayers", body: "{}" });
    expect(res.status).toBe(200);
    expect(res.json.Response).toMatchObject({ Layers: [], TotalCount: 0 });
  });

  it("signs the host without its port, as the SDK does", async () => {
    const withPort = new URL(emu.url).host;
    expectError(await rawCall(emu, { signedHost: withPort }), "AuthFailure.SignatureFailure");
  });

  it("rejects a body changed after signing", async () => {
    const res = await rawCall(emu, { body: '{"Limit":1}' });
    expect(res.json.Response.Error).toBeUndefined();
    // Same signature machinery, but the signature is computed over a different body.
    expect((await fetchWithSignatureOf(emu, '{"Limit":2}', '{"Limit":2}')).json.Response.Error).toBeUndefined();
    const tampered = await fetchWithSignatureOf(emu, "{}", '{"Limit":2}');
    expectError(tampered, "AuthFailure.SignatureFailure");
  });

  it("rejects a timestamp outside the allowed clock skew with AuthFailure.SignatureExpire", async () => {
    const old = Math.floor(Date.now() / 1000) - 10 * 60;
    expectError(await rawCall(emu, { timestamp: old }), "AuthFailure.SignatureExpire");
    const future = Math.floor(Date.now() / 1000) + 10 * 60;
    expectError(await rawCall(emu, { timestamp: future }), "AuthFailure.SignatureExpire");
    // within the window is fine
    const recent = Math.floor(Date.now() / 1000) - 60;
    expect((await rawCall(emu, { timestamp: recent })).json.Response.Error).toBeUndefined();
  });

  it("rejects a missing or malformed Authorization header with AuthFailure.InvalidAuthorization", async () => {
    expectError(await rawCall(emu, { authorization: null }), "AuthFailure.InvalidAuthorization");
    expectError(await rawCall(emu, { authorization: "HMAC-SHA1 whatever" }), "AuthFailure.InvalidAuthorization");
    expectError(await rawCall(emu, { authorization: "TC3-HMAC-SHA256 Credential=abc, SignedHeaders=content-type;host, Signature=00" }), "AuthFailure.InvalidAuthorization");
  });

  it("rejects an unknown key id and a wrong secret", async () => {
    expectError(await rawCall(emu, { secretId: "AKIDnobody" }), "AuthFailure.SecretIdNotFound");
    expectError(await rawCall(emu, { secretKey: "not-the-secret" }), "AuthFailure.SignatureFailure");
  });

  it("rejects a body that is not JSON, or not an object, with InvalidParameter", async () => {
    expectError(await rawCall(emu, { body: "{not json" }), "InvalidParameter");
    expectError(await rawCall(emu, { body: "[1,2]" }), "InvalidParameter");
  });

  it("rejects a content type other than application/json with InvalidParameter", async () => {
    expectError(await rawCall(emu, { contentType: "text/plain", body: "{}" }), "InvalidParameter");
    expect((await rawCall(emu, { contentType: "application/json; charset=utf-8" })).json.Response.Error).toBeUndefined();
  });

  it("rejects unknown actions and versions with InvalidAction, missing headers with MissingParameter", async () => {
    expectError(await rawCall(emu, { action: "DescribeEverything" }), "InvalidAction");
    expectError(await rawCall(emu, { version: "2017-01-01" }), "InvalidAction");
    expectError(await rawCall(emu, { action: null }), "MissingParameter");
    expectError(await rawCall(emu, { version: null }), "MissingParameter");
  });

  it("leaves requests that are not API 3.0 calls to the router (404)", async () => {
    const res = await fetch(`${emu.url}/somewhere`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
  });
});

/** Signs `signedBody` but sends `sentBody`. */
async function fetchWithSignatureOf(emu: RunningEmulator, signedBody: string, sentBody: string) {
  const signed = await captureHeaders(emu, signedBody);
  const res = await fetch(emu.url + "/", { method: "POST", headers: signed, body: sentBody });
  return { status: res.status, json: (await res.json()) as any };
}

async function captureHeaders(emu: RunningEmulator, body: string): Promise<Record<string, string>> {
  // Reuse rawCall's signing by pointing it at a throwaway server that records the headers.
  const http = await import("node:http");
  let seen: Record<string, string> = {};
  const server = http.createServer((req, res) => {
    seen = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !["host", "content-length", "connection"].includes(k))) as Record<string, string>;
    res.end('{"Response":{}}');
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  try {
    const port = (server.address() as { port: number }).port;
    await rawCall({ ...emu, url: `http://127.0.0.1:${port}` }, { body });
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
  return seen;
}
