// Large inline uploads (a few MB of base64 in a JSON body) through HTTP, hand-built so that the
// body can be anything: well-formed, with an escape or a foreign byte in the blob, malformed
// around it, sent chunked or with a content-length that promises more than comes. Each is
// answered with the cloud's code and the exact message that parsing the whole body gives.
import net from "node:net";
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@smithy/core/checksum";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { crc64Decimal } from "../../src/archive/crc64.js";
import { buildZip } from "../../src/emulator/zip.js";
import { useEmulator } from "../helpers/emulator.js";
import { rawRequest } from "./aliyun/helpers.js";

let emu: RunningEmulator;
useEmulator({}, (e) => {
  emu = e;
});

const ZIP = buildZip([{ name: "python/blob.bin", data: randomBytes(3 * 1024 * 1024) }]);
const B64 = ZIP.toString("base64");
const sha256 = (b: Buffer, enc: "hex" | "base64") => createHash("sha256").update(b).digest(enc);

/** JSON.parse's own message for a body (what the emulator quotes), or fails the test if it parses. */
function parseError(body: Buffer): string {
  try {
    JSON.parse(body.toString("utf8"));
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("the body parses");
}

/** `before`, the blob's text as raw bytes, `after`. */
const around = (before: string, text: string | Buffer, after: string) =>
  Buffer.concat([Buffer.from(before), typeof text === "string" ? Buffer.from(text, "latin1") : text, Buffer.from(after)]);

interface Answer {
  status: number;
  json: any;
}

/**
 * Writes a whole HTTP/1.1 request on a socket (so the framing is exactly ours) and reads the
 * first answer. `sendExtra`: bytes written right after the body, ending with the request that
 * closes the connection (llhttp refuses anything after a `connection: close` request).
 */
function sendRaw(head: string[], body: Buffer, framing: "length" | "chunked" | { declaredExtra: number } | { sendExtra: Buffer }): Promise<Answer> {
  const u = new URL(emu.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(u.port), u.hostname);
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const headEnd = text.indexOf("\r\n\r\n") + 4;
      const length = Number(/\r\ncontent-length: (\d+)\r\n/i.exec(text.slice(0, headEnd))?.[1] ?? 0);
      const payload = Buffer.from(text.slice(headEnd, headEnd + length), "latin1").toString("utf8");
      resolve({ status, json: payload ? JSON.parse(payload) : undefined });
    });
    const extra = framing !== "length" && framing !== "chunked" && "sendExtra" in framing ? framing.sendExtra : undefined;
    const lines = extra ? [...head] : [...head, "connection: close"];
    if (framing === "chunked") {
      lines.push("transfer-encoding: chunked");
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
      for (let i = 0; i < body.length; i += 1_000_000) {
        const piece = body.subarray(i, i + 1_000_000);
        socket.write(`${piece.length.toString(16)}\r\n`);
        socket.write(piece);
        socket.write("\r\n");
      }
      socket.end("0\r\n\r\n");
    } else {
      const declared = body.length + (framing !== "length" && "declaredExtra" in framing ? framing.declaredExtra : 0);
      lines.push(`content-length: ${declared}`);
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
      // Ending our side after a short body: the server sees the connection end mid-body.
      socket.end(extra ? Buffer.concat([body, extra]) : body);
    }
  });
}

// --- AWS Lambda: PublishLayerVersion, {"Content":{"ZipFile":"<base64>"}} -------------------------

async function lambdaPublish(name: string, body: Buffer, framing: Parameters<typeof sendRaw>[2] = "length"): Promise<Answer> {
  const u = new URL(emu.url);
  const path = `/2018-10-31/layers/${name}/versions`;
  const signer = new SignatureV4({ service: "lambda", region: "us-east-1", sha256: Sha256, credentials: emu.credentials.aws });
  // Signed over the body as sent, so that only what is under test can fail.
  const signed = await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: u.hostname,
    port: Number(u.port),
    path,
    headers: { host: u.host, "content-type": "application/json" },
    body,
  });
  const head = [`POST ${path} HTTP/1.1`, ...Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}`)];
  return sendRaw(head, body, framing);
}

const lambdaBody = (text: string | Buffer, after = '"},"CompatibleRuntimes":["python3.12"]}') => around('{"Description":"déjà","Content":{"ZipFile":"', text, after);
const lambdaJsonError = (body: Buffer) => `Could not parse request body into json: ${parseError(body)}`;

describe("Lambda PublishLayerVersion with a large inline zip", () => {
  it("publishes it: CodeSha256 and CodeSize of the zip", async () => {
    const res = await lambdaPublish("big", lambdaBody(B64));
    expect(res.status).toBe(201);
    expect(res.json.Content).toMatchObject({ CodeSha256: sha256(ZIP, "base64"), CodeSize: ZIP.length });
    expect(res.json.Description).toBe("déjà");
    expect(res.json.CompatibleRuntimes).toEqual(["python3.12"]);
  });

  it("publishes the same zip written with an escaped slash in its base64", async () => {
    const slash = B64.indexOf("/");
    const res = await lambdaPublish("escaped", lambdaBody(`${B64.slice(0, slash)}\\/${B64.slice(slash + 1)}`));
    expect(res.status).toBe(201);
    expect(res.json.Content.CodeSha256).toBe(sha256(ZIP, "base64"));
  });

  it("publishes it sent chunked (no content-length)", async () => {
    const res = await lambdaPublish("chunked", lambdaBody(B64), "chunked");
    expect(res.status).toBe(201);
    expect(res.json.Content.CodeSha256).toBe(sha256(ZIP, "base64"));
  });

  it("refuses a character outside base64 in the blob as illegal base64", async () => {
    const res = await lambdaPublish("foreign", lambdaBody(`${B64.slice(0, 1000)}.${B64.slice(1001)}`));
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      Type: "User",
      message: "Could not parse request body into json: Failed to decode VALUE_STRING as base64 (MIME-NO-LINEFEEDS): illegal base64 in member 'ZipFile'",
    });
  });

  it("refuses a JSON escape in the blob for a character whose low byte is base64", async () => {
    // "\u0144" is JSON for U+0144, whose low byte 0x44 is "D": Lambda's decoder refuses it.
    const res = await lambdaPublish("escaped-wide", lambdaBody(`${B64.slice(0, 1000)}\\u0144${B64.slice(1001)}`));
    expect(res.status).toBe(400);
    expect(res.json.message).toBe("Could not parse request body into json: Failed to decode VALUE_STRING as base64 (MIME-NO-LINEFEEDS): illegal base64 in member 'ZipFile'");
  });

  it.each([
    ["a raw control character in the blob", lambdaBody(`${B64.slice(0, 1000)}\u0001${B64.slice(1001)}`)],
    ["a missing comma after the blob", lambdaBody(B64, '"} "CompatibleRuntimes":["python3.12"]}')],
    ["an unclosed object", lambdaBody(B64, '"},"CompatibleRuntimes":["python3.12"]')],
    ["an unterminated blob", lambdaBody(B64, "")],
  ])("answers %s with JSON.parse's message for the whole body", async (_name, body) => {
    const res = await lambdaPublish("malformed", body);
    expect(res.status).toBe(400);
    expect(res.json.message).toBe(lambdaJsonError(body));
  });
});

// --- Aliyun FC 3.0: CreateLayerVersion, {"code":{"zipFile":"<base64>"}} -------------------------

const fcBody = (text: string | Buffer, after = '"},"compatibleRuntime":["python3.10"],"description":"déjà"}') => around('{"code":{"zipFile":"', text, after);
const fcCreate = (name: string, body: Buffer) => rawRequest(emu, { method: "POST", path: `/2023-03-30/layers/${name}/versions`, body, contentType: "application/json" });

describe("FC CreateLayerVersion with a large inline zip", () => {
  it("creates it: codeChecksum (CRC-64) and codeSize of the zip", async () => {
    const res = await fcCreate("big", fcBody(B64));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ codeChecksum: crc64Decimal(ZIP), codeSize: ZIP.length, description: "déjà", compatibleRuntime: ["python3.10"] });
  });

  it("creates the same zip written with an escaped slash in its base64", async () => {
    const slash = B64.indexOf("/");
    const res = await fcCreate("escaped", fcBody(`${B64.slice(0, slash)}\\/${B64.slice(slash + 1)}`));
    expect(res.status).toBe(200);
    expect(res.json.codeChecksum).toBe(crc64Decimal(ZIP));
  });

  it("refuses a character outside base64 in the blob", async () => {
    const res = await fcCreate("foreign", fcBody(`${B64.slice(0, 1000)}.${B64.slice(1001)}`));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ Code: "InvalidArgument", Message: "code.zipFile is not valid base64" });
  });

  it.each([
    ["a raw control character in the blob", fcBody(`${B64.slice(0, 1000)}\u0001${B64.slice(1001)}`)],
    ["a missing comma after the blob", fcBody(B64, '"} "compatibleRuntime":["python3.10"]}')],
    ["trailing garbage", fcBody(B64, '"},"compatibleRuntime":["python3.10"]}}')],
    ["an unterminated blob", fcBody(B64, "")],
  ])("answers %s with JSON.parse's message for the whole body", async (_name, body) => {
    const res = await fcCreate("malformed", body);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ Code: "InvalidArgument", Message: `the request body is not valid JSON: ${parseError(body)}` });
  });
});

describe("a content-length that says less than comes", () => {
  it("ends the body where it says: what follows is the next request", async () => {
    // A body cut inside its blob, signed as it is; after it on the connection, a request of its own.
    const body = lambdaBody(B64).subarray(0, 2_000_000);
    const res = await lambdaPublish("cut", body, { sendExtra: Buffer.from("GET /2018-10-31/layers HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n") });
    expect(res.status).toBe(400);
    expect(res.json.message).toBe(lambdaJsonError(body));
  });
});

describe("a content-length that promises more than comes", () => {
  it("is Node's own 400 for the broken request (no cloud answer), and the emulator serves on", async () => {
    const res = await lambdaPublish("short", lambdaBody(B64), { declaredExtra: 100 });
    expect(res).toEqual({ status: 400, json: undefined });
    const next = await lambdaPublish("after-short", lambdaBody(B64));
    expect(next.status).toBe(201);
  });
});
