import { beforeAll, describe, expect, test } from "vitest";
import { GetLayerVersionCommand, ListEventSourceMappingsCommand, PublishLayerVersionCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@smithy/core/checksum";
import type { RunningEmulator } from "../../../src/emulator/index.js";
import { REGION, lambda, rejection, useLambda, zipOf } from "./helpers.js";

let emu: RunningEmulator;
let client: LambdaClient;

useLambda({ maxClockSkewMs: 5 * 60 * 1000 }, (e, c) => {
  emu = e;
  client = c;
});
beforeAll(async () => {
  await client.send(new PublishLayerVersionCommand({ LayerName: "auth-layer", Content: { ZipFile: zipOf({ "python/a.py": "1" }) } }));
});

const get = () => new GetLayerVersionCommand({ LayerName: "auth-layer", VersionNumber: 1 });

describe("signature checks through the SDK", () => {
  test("a wrong secret is InvalidSignatureException 403", async () => {
    const c = lambda(emu, { credentials: { accessKeyId: emu.credentials.aws.accessKeyId, secretAccessKey: "wrong-secret" } });
    const err = await rejection(c.send(get()));
    expect(err.name).toBe("InvalidSignatureException");
    expect(err.$metadata.httpStatusCode).toBe(403);
    expect(err.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
    expect(err.message).not.toContain("wrong-secret");
    c.destroy();
  });

  test("an unknown access key id is UnrecognizedClientException 403", async () => {
    const c = lambda(emu, { credentials: { accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: emu.credentials.aws.secretAccessKey } });
    const err = await rejection(c.send(get()));
    expect(err.name).toBe("UnrecognizedClientException");
    expect(err.$metadata.httpStatusCode).toBe(403);
    expect(err.message).toBe("The security token included in the request is invalid.");
    c.destroy();
  });

  test("a clock outside the allowed skew is InvalidSignatureException 'Signature expired' / 'not yet current'", async () => {
    const late = lambda(emu, { systemClockOffset: -6 * 60 * 1000 });
    const expired = await rejection(late.send(get()));
    expect(expired.name).toBe("InvalidSignatureException");
    expect(expired.$metadata.httpStatusCode).toBe(403);
    expect(expired.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    late.destroy();
    const early = lambda(emu, { systemClockOffset: 6 * 60 * 1000 });
    const future = await rejection(early.send(get()));
    expect(future.name).toBe("InvalidSignatureException");
    expect(future.message).toMatch(/^Signature not yet current: /);
    early.destroy();
    const within = lambda(emu, { systemClockOffset: -4 * 60 * 1000 });
    expect((await within.send(get())).Version).toBe(1);
    within.destroy();
  });

  test("the signature covers the body: a body changed after signing is refused", async () => {
    const c = lambda(emu);
    c.middlewareStack.add(
      (next) => async (args) => {
        const req = args.request as { body: Uint8Array | string };
        const text = typeof req.body === "string" ? req.body : Buffer.from(req.body).toString("utf8");
        expect(text).toContain('"tampered"');
        req.body = text.replace('"tampered"', '"TAMPERED"');
        return next(args);
      },
      { step: "finalizeRequest", priority: "low" },
    );
    const err = await rejection(c.send(new PublishLayerVersionCommand({ LayerName: "tampered", Content: { ZipFile: zipOf({ a: "1" }) }, Description: "tampered" })));
    expect(err.name).toBe("InvalidSignatureException");
    c.destroy();
  });

  test("an operation the emulator does not serve is UnknownOperationException", async () => {
    const err = await rejection(client.send(new ListEventSourceMappingsCommand({})));
    expect(err.name).toBe("UnknownOperationException");
    expect(err.$metadata.httpStatusCode).toBe(404);
  });
});

describe("hand-built requests", () => {
  const signer = () =>
    new SignatureV4({
      service: "lambda",
      region: REGION,
      sha256: Sha256,
      credentials: { accessKeyId: emu.credentials.aws.accessKeyId, secretAccessKey: emu.credentials.aws.secretAccessKey },
    });

  async function signedFetch(method: string, path: string, query: Record<string, string>, body: string | undefined, headers: Record<string, string>) {
    const url = new URL(emu.url);
    const request = {
      method,
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path,
      query,
      headers: { host: url.host, ...headers },
      body,
    };
    const signed = await signer().sign(request);
    const qs = new URLSearchParams(query).toString().replace(/\+/g, "%20");
    return fetch(`${emu.url}${path}${qs ? `?${qs}` : ""}`, { method, headers: signed.headers as Record<string, string>, body });
  }

  test("no Authorization header is MissingAuthenticationTokenException", async () => {
    const res = await fetch(`${emu.url}/2018-10-31/layers/auth-layer/versions/1`);
    expect(res.status).toBe(403);
    expect(res.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({ message: "Missing Authentication Token" });
  });

  test("a malformed Authorization header is IncompleteSignatureException", async () => {
    const res = await fetch(`${emu.url}/2018-10-31/layers/auth-layer/versions/1`, {
      headers: { authorization: "AWS4-HMAC-SHA256 Credential=AKIA/20240101/eu-west-1/lambda/aws4_request", "x-amz-date": "20240101T000000Z" },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("x-amzn-errortype")).toBe("IncompleteSignatureException");
    expect((await res.json()).message).toBe("Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.");
  });

  test("the official signer's request with odd characters in path and query verifies", async () => {
    const ok = await signedFetch("GET", "/2018-10-31/layers/auth-layer/versions", { MaxItems: "5", CompatibleRuntime: "python3.12" }, undefined, {});
    expect(ok.status).toBe(200);
    // A layer ARN in the path: ':' travels as %3A and is signed as %253A.
    const arnPath = `/2018-10-31/layers/${encodeURIComponent(`arn:aws:lambda:${REGION}:123456789012:layer:auth-layer`)}/versions/1`;
    const byArn = await signedFetch("GET", arnPath, {}, undefined, {});
    expect(byArn.status).toBe(200);
    expect((await byArn.json()).Version).toBe(1);
    const byArnQuery = await signedFetch("GET", "/2018-10-31/layers", { find: "LayerVersion", Arn: `arn:aws:lambda:${REGION}:123456789012:layer:auth-layer:1` }, undefined, {});
    expect(byArnQuery.status).toBe(200);
  });

  test("a body that is not JSON is InvalidRequestContentException", async () => {
    const res = await signedFetch("POST", "/2018-10-31/layers/json-layer/versions", {}, "{not json", { "content-type": "application/json" });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toBe("InvalidRequestContentException");
    const body = await res.json();
    expect(body.Type).toBe("User");
    expect(body.message).toMatch(/^Could not parse request body into json: /);
  });

  test("a member of the wrong JSON type is InvalidRequestContentException", async () => {
    const res = await signedFetch("POST", "/2018-10-31/layers/json-layer/versions", {}, JSON.stringify({ Content: "zip", CompatibleRuntimes: "python3.12" }), {
      "content-type": "application/json",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toBe("InvalidRequestContentException");
  });

  test("ZipFile that is not base64 is InvalidRequestContentException", async () => {
    const res = await signedFetch("POST", "/2018-10-31/layers/json-layer/versions", {}, JSON.stringify({ Content: { ZipFile: "***not base64***" } }), {
      "content-type": "application/json",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toBe("InvalidRequestContentException");
    expect((await res.json()).message).toContain("base64");
  });

  test("a body that is not application/json is UnsupportedMediaTypeException 415", async () => {
    const res = await signedFetch("POST", "/2018-10-31/layers/json-layer/versions", {}, "Content=zip", { "content-type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(415);
    expect(res.headers.get("x-amzn-errortype")).toBe("UnsupportedMediaTypeException");
  });

  test("a request without X-Amz-Date or Date is IncompleteSignatureException", async () => {
    const url = new URL(emu.url);
    const signed = await signer().sign({
      method: "GET",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: "/2018-10-31/layers/auth-layer/versions/1",
      query: {},
      headers: { host: url.host },
    });
    const headers = { ...(signed.headers as Record<string, string>) };
    delete headers["x-amz-date"];
    const res = await fetch(`${emu.url}/2018-10-31/layers/auth-layer/versions/1`, { headers });
    expect(res.status).toBe(403);
    expect(res.headers.get("x-amzn-errortype")).toBe("IncompleteSignatureException");
    expect((await res.json()).message).toBe("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  });
});
