// What every emulated cloud must do as the real one does, checked side by side: signature clock
// windows, names that are Object.prototype members, bodies of unauthenticated requests, saved
// state it cannot read, and the variables `layerctl emulate` prints.
import http from "node:http";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@smithy/core/checksum";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetFunctionCommand, GetLayerVersionByArnCommand, GetLayerVersionCommand, LambdaClient, ListLayersCommand, PublishLayerVersionCommand } from "@aws-sdk/client-lambda";
import { emulatorEnv, start, type RunningEmulator } from "../../src/emulator/index.js";
import { lambda, rejection as awsRejection, zipOf } from "./aws/helpers.js";
import { rawCall, tinyZip } from "./tencent/helpers.js";
import { rawRequest, storedZip } from "./aliyun/helpers.js";

let emu: RunningEmulator;

beforeAll(async () => {
  // Each cloud's own defaults: no maxClockSkewMs here.
  emu = await start({ port: 0, tuning: { tencent: { publishDelayMs: 0 } } });
});
afterAll(async () => {
  await emu.close();
});

const minutes = (n: number) => n * 60_000;

describe("signature clock windows", () => {
  it("Tencent TC3: more than 5 minutes off is AuthFailure.SignatureExpire", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const off of [-6, 6]) {
      const res = await rawCall(emu, { timestamp: now + off * 60 });
      expect(res.json.Response.Error.Code).toBe("AuthFailure.SignatureExpire");
    }
    const within = await rawCall(emu, { timestamp: now - 4 * 60 });
    expect(within.json.Response.Error).toBeUndefined();
  });

  it("AWS SigV4: more than 5 minutes off is InvalidSignatureException 'Signature expired'", async () => {
    const late = lambda(emu, { systemClockOffset: -minutes(6) });
    const err = await awsRejection(late.send(new GetLayerVersionCommand({ LayerName: "x", VersionNumber: 1 })));
    expect(err.name).toBe("InvalidSignatureException");
    expect(err.message).toMatch(/^Signature expired: .* - 5 min\.\)$/);
    late.destroy();
    const within = lambda(emu, { systemClockOffset: -minutes(4) });
    const notFound = await awsRejection(within.send(new GetLayerVersionCommand({ LayerName: "x", VersionNumber: 1 })));
    expect(notFound.name).toBe("ResourceNotFoundException");
    within.destroy();
  });

  it("Aliyun ACS3 keeps its documented 15 minutes", async () => {
    const ok = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers", date: new Date(Date.now() - minutes(14)) });
    expect(ok.status).toBe(200);
    const stale = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers", date: new Date(Date.now() - minutes(16)) });
    expect(stale.json.Code).toBe("InvalidTimeStamp.Expired");
  });
});

describe("names that are Object.prototype members are plain names", () => {
  const names = ["constructor", "toString", "hasOwnProperty"];

  it("Tencent: publish, read back and list them; an unknown one is not found", async () => {
    const missing = await rawCall(emu, { action: "GetLayerVersion", body: JSON.stringify({ LayerName: "valueOf", LayerVersion: 1 }) });
    expect(missing.status).toBe(200);
    expect(missing.json.Response.Error.Code).toBe("ResourceNotFound.LayerVersion");
    const zip = tinyZip("proto").toString("base64");
    for (const name of names) {
      const pub = await rawCall(emu, { action: "PublishLayerVersion", body: JSON.stringify({ LayerName: name, CompatibleRuntimes: ["Python3.9"], Content: { ZipFile: zip } }) });
      expect(pub.json.Response.LayerVersion).toBe(1);
      const got = await rawCall(emu, { action: "GetLayerVersion", body: JSON.stringify({ LayerName: name, LayerVersion: 1 }) });
      expect(got.json.Response.LayerName).toBe(name);
    }
    const fn = await rawCall(emu, { action: "GetFunction", body: JSON.stringify({ FunctionName: "constructor" }) });
    expect(fn.json.Response.Error.Code).toBe("ResourceNotFound.Function");
    const region = await rawCall(emu, { action: "ListLayers", region: "constructor" });
    expect(region.json.Response.TotalCount).toBe(0);
    const list = await rawCall(emu, { action: "ListLayers", body: JSON.stringify({ Limit: 100 }) });
    expect(list.json.Response.Layers.map((l: { LayerName: string }) => l.LayerName)).toEqual(expect.arrayContaining(names));
  });

  it("AWS: __proto__ and constructor are layers like any other", async () => {
    const c = lambda(emu);
    const missing = await awsRejection(c.send(new GetLayerVersionCommand({ LayerName: "valueOf", VersionNumber: 1 })));
    expect(missing.name).toBe("ResourceNotFoundException");
    for (const name of ["__proto__", ...names]) {
      const pub = await c.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: zipOf({ "python/p.py": name }) } }));
      expect(pub.Version).toBe(1);
      const got = await c.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 1 }));
      expect(got.LayerArn).toMatch(new RegExp(`:layer:${name}$`));
    }
    expect(({} as Record<string, unknown>).nextVersion).toBeUndefined();
    const fn = await awsRejection(c.send(new GetFunctionCommand({ FunctionName: "__proto__" })));
    expect(fn.name).toBe("ResourceNotFoundException");
    const all = await c.send(new ListLayersCommand({}));
    expect(all.Layers!.map((l) => l.LayerName)).toEqual(expect.arrayContaining(["__proto__", ...names]));
    c.destroy();
  });

  it("Aliyun: publish, read back and list them; an unknown one is not found", async () => {
    const missing = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers/valueOf/versions/1" });
    expect(missing.status).toBe(404);
    expect(missing.json.Code).toBe("LayerVersionNotFound");
    const body = JSON.stringify({ code: { zipFile: storedZip({ "python/p.py": "1" }).toString("base64") }, compatibleRuntime: ["python3.10"] });
    for (const name of names) {
      const pub = await rawRequest(emu, { method: "POST", path: `/2023-03-30/layers/${name}/versions`, body, contentType: "application/json" });
      expect(pub.json.version).toBe(1);
      const got = await rawRequest(emu, { method: "GET", path: `/2023-03-30/layers/${name}/versions/1` });
      expect(got.json.layerName).toBe(name);
    }
    const fn = await rawRequest(emu, { method: "GET", path: "/2023-03-30/functions/__proto__" });
    expect(fn.json.Code).toBe("FunctionNotFound");
  });
});

interface Partial {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: any;
}

/**
 * Sends the headers and `sent` bytes of a body, then stops writing without ending the request:
 * resolves with the answer only if the server answers without waiting for the rest.
 */
function partialRequest(url: string, o: { method: string; path: string; headers: Record<string, string>; sent: number }): Promise<Partial> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method: o.method, path: o.path, headers: o.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        req.destroy();
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : undefined });
      });
    });
    req.on("error", reject);
    req.write(Buffer.alloc(o.sent, 0x61));
  });
}

describe("bodies of unauthenticated requests", () => {
  const declared = { "content-type": "application/json", "content-length": String(10 * 1024 * 1024) };

  it("are refused on the signature headers alone, before the body is read", async () => {
    const tencent = await partialRequest(emu.url, {
      method: "POST",
      path: "/",
      headers: { ...declared, "x-tc-action": "PublishLayerVersion", "x-tc-version": "2018-04-16" },
      sent: 64 * 1024,
    });
    expect(tencent.json.Response.Error.Code).toBe("AuthFailure.InvalidAuthorization");
    const aws = await partialRequest(emu.url, { method: "POST", path: "/2018-10-31/layers/big/versions", headers: declared, sent: 64 * 1024 });
    expect(aws.status).toBe(403);
    expect(aws.headers["x-amzn-errortype"]).toBe("MissingAuthenticationTokenException");
    const aliyun = await partialRequest(emu.url, { method: "POST", path: "/2023-03-30/layers/big/versions", headers: declared, sent: 64 * 1024 });
    expect(aliyun.status).toBe(400);
    expect(aliyun.json.Code).toBe("MissingRequiredHeader");
  });

  it("larger than the cloud accepts are refused unread, with the cloud's error", async () => {
    const huge = { "content-type": "application/json", "content-length": String(300 * 1024 * 1024) };
    const tencent = await partialRequest(emu.url, {
      method: "POST",
      path: "/",
      headers: { ...huge, "x-tc-action": "PublishLayerVersion", "x-tc-version": "2018-04-16" },
      sent: 1024,
    });
    expect(tencent.json.Response.Error.Code).toBe("RequestSizeLimitExceeded");
    const aws = await partialRequest(emu.url, { method: "POST", path: "/2018-10-31/layers/big/versions", headers: huge, sent: 1024 });
    expect(aws.status).toBe(413);
    expect(aws.headers["x-amzn-errortype"]).toBe("RequestEntityTooLargeException");
    expect(aws.json.message).toBe("Request must be smaller than 69905067 bytes for the PublishLayerVersion operation");
    const aliyun = await partialRequest(emu.url, { method: "POST", path: "/2023-03-30/layers/big/versions", headers: huge, sent: 1024 });
    expect(aliyun.json.Code).toBe("EntityTooLarge");
  });

  it("that stream past the cap before the signature can be checked are cut off there", async () => {
    const small = await start({ port: 0, tuning: { tencent: { maxRequestBytes: 1024 * 1024 } } });
    try {
      const now = Math.floor(Date.now() / 1000);
      const date = new Date(now * 1000).toISOString().slice(0, 10);
      // Well-formed signature headers with the emulator's key id: the signature itself needs the body.
      const authorization = `TC3-HMAC-SHA256 Credential=${small.credentials.tencent.secretId}/${date}/scf/tc3_request, SignedHeaders=content-type;host, Signature=${"0".repeat(64)}`;
      const res = await partialRequest(small.url, {
        method: "POST",
        path: "/",
        headers: { "content-type": "application/json", "x-tc-action": "PublishLayerVersion", "x-tc-version": "2018-04-16", "x-tc-timestamp": String(now), authorization },
        sent: 2 * 1024 * 1024,
      });
      expect(res.json.Response.Error.Code).toBe("RequestSizeLimitExceeded");
    } finally {
      await small.close();
    }
  });
});

describe("AWS partitions", () => {
  it("China regions (cn-*) build aws-cn ARNs", async () => {
    const c = lambda(emu, { region: "cn-north-1" });
    const pub = await c.send(new PublishLayerVersionCommand({ LayerName: "china", Content: { ZipFile: zipOf({ "python/c.py": "1" }) } }));
    expect(pub.LayerArn).toBe("arn:aws-cn:lambda:cn-north-1:123456789012:layer:china");
    expect(pub.LayerVersionArn).toBe("arn:aws-cn:lambda:cn-north-1:123456789012:layer:china:1");
    const byArn = await c.send(new GetLayerVersionByArnCommand({ Arn: pub.LayerVersionArn! }));
    expect(byArn.Version).toBe(1);
    c.destroy();
    const global = lambda(emu, { region: "eu-west-1" });
    const other = await global.send(new PublishLayerVersionCommand({ LayerName: "global", Content: { ZipFile: zipOf({ "python/g.py": "1" }) } }));
    expect(other.LayerArn).toBe("arn:aws:lambda:eu-west-1:123456789012:layer:global");
    global.destroy();
  });
});

describe("the variables `layerctl emulate` prints", () => {
  it("are each cloud's keys and endpoint, AWS_ENDPOINT_URL_LAMBDA included", () => {
    const env = emulatorEnv(emu.credentials, emu.url);
    expect(Object.keys(env).sort()).toEqual(
      [
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "TENCENTCLOUD_SESSION_TOKEN",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL_LAMBDA",
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ALIBABA_CLOUD_SECURITY_TOKEN",
        "ALIBABA_CLOUD_ACCOUNT_ID",
        "LAYERCTL_ENDPOINT_TENCENT",
        "LAYERCTL_ENDPOINT_AWS",
        "LAYERCTL_ENDPOINT_ALIYUN",
        // The object stores answer on the same port.
        "LAYERCTL_STORAGE_ENDPOINT_TENCENT",
        "LAYERCTL_STORAGE_ENDPOINT_AWS",
        "LAYERCTL_STORAGE_ENDPOINT_ALIYUN",
        // So do the STS APIs (AWS_ENDPOINT_URL_STS is the SDKs' own variable).
        "LAYERCTL_STS_ENDPOINT_TENCENT",
        "AWS_ENDPOINT_URL_STS",
        "LAYERCTL_STS_ENDPOINT_ALIYUN",
        // Every spelling of a Tencent session token layerctl reads, empty: none from the shell rides along.
        "TENCENTCLOUD_TOKEN",
        "TENCENTCLOUD_SECURITY_TOKEN",
      ].sort(),
    );
    expect(env.AWS_ENDPOINT_URL_LAMBDA).toBe(emu.url);
    expect(env.LAYERCTL_STORAGE_ENDPOINT_AWS).toBe(emu.url);
    expect(env.AWS_ENDPOINT_URL_STS).toBe(emu.url);
    expect(env.TENCENTCLOUD_TOKEN).toBe("");
  });

  it("let an AWS client with no endpoint configured reach the emulator", async () => {
    const saved = process.env.AWS_ENDPOINT_URL_LAMBDA;
    process.env.AWS_ENDPOINT_URL_LAMBDA = emulatorEnv(emu.credentials, emu.url).AWS_ENDPOINT_URL_LAMBDA;
    try {
      const c = new LambdaClient({
        region: "eu-west-1",
        credentials: { accessKeyId: emu.credentials.aws.accessKeyId, secretAccessKey: emu.credentials.aws.secretAccessKey },
        maxAttempts: 1,
      });
      const err = await awsRejection(c.send(new GetLayerVersionCommand({ LayerName: "not-there", VersionNumber: 1 })));
      expect(err.name).toBe("ResourceNotFoundException");
      c.destroy();
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_LAMBDA;
      else process.env.AWS_ENDPOINT_URL_LAMBDA = saved;
    }
  });
});

describe("routing", () => {
  it("a path label with a bad % escape names no operation, on every path-routed cloud", async () => {
    const aliyun = await rawRequest(emu, { method: "GET", path: "/2023-03-30/layers/%ZZ/versions/1" });
    expect(aliyun.status).toBe(400);
    expect(aliyun.json.Code).toBe("PathNotSupported");
    const url = new URL(emu.url);
    const path = "/2018-10-31/layers/%ZZ/versions/1";
    const signed = await new SignatureV4({
      service: "lambda",
      region: "eu-west-1",
      sha256: Sha256,
      credentials: { accessKeyId: emu.credentials.aws.accessKeyId, secretAccessKey: emu.credentials.aws.secretAccessKey },
    }).sign({ method: "GET", protocol: "http:", hostname: url.hostname, port: Number(url.port), path, query: {}, headers: { host: url.host } });
    const aws = await fetch(`${emu.url}${path}`, { headers: signed.headers as Record<string, string> });
    expect(aws.status).toBe(404);
    expect(aws.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
  });
});
