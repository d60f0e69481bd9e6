// Shared by the Tencent emulator tests: the official SDK client pointed at the emulator, and a
// hand-built TC3 request for the negative paths the SDK cannot produce.
import { createHash, createHmac } from "node:crypto";
import { expect } from "vitest";
import * as tencentSdk from "tencentcloud-sdk-nodejs-scf";
import type { RunningEmulator } from "../../../src/emulator/index.js";
import { buildZip } from "../../../src/emulator/zip.js";

type ScfModule = typeof import("tencentcloud-sdk-nodejs-scf");
const scf = ((tencentSdk as unknown as ScfModule).scf ?? (tencentSdk as unknown as { default: ScfModule }).default.scf).v20180416;
export type ScfClient = InstanceType<typeof scf.Client>;

export interface ClientOptions {
  secretId?: string;
  secretKey?: string;
  region?: string;
  /** seconds, as the SDK takes it */
  reqTimeout?: number;
  /** Host label the SDK derives the signing service from; default the IP (service "127"). */
  host?: string;
}

export function sdkClient(emu: RunningEmulator, o: ClientOptions = {}): ScfClient {
  const port = new URL(emu.url).port;
  return new scf.Client({
    credential: { secretId: o.secretId ?? emu.credentials.tencent.secretId, secretKey: o.secretKey ?? emu.credentials.tencent.secretKey },
    region: o.region ?? "ap-guangzhou",
    profile: { httpProfile: { endpoint: `${o.host ?? "127.0.0.1"}:${port}`, protocol: "http://", reqTimeout: o.reqTimeout ?? 5 } },
  });
}

/** The SDK's exception, as the tests look at it. */
export interface SdkError extends Error {
  code?: string;
  requestId?: string;
  httpCode?: number;
}

export async function sdkError(p: Promise<unknown>): Promise<SdkError> {
  const err = await p.then(
    () => {
      throw new Error("expected the SDK to throw");
    },
    (e: unknown) => e as SdkError,
  );
  expect(err.constructor.name).toBe("TencentCloudSDKHttpException");
  return err;
}

export interface RawRequest {
  action?: string | null;
  version?: string | null;
  body?: string | Buffer;
  contentType?: string;
  secretId?: string;
  secretKey?: string;
  /** Unix seconds */
  timestamp?: number;
  service?: string;
  /** Signed host value; default the hostname without port, as the SDK signs it. */
  signedHost?: string;
  /** Replace the Authorization header entirely (null: leave it out). */
  authorization?: string | null;
  region?: string;
}

/** A TC3-HMAC-SHA256 request signed the way the SDK signs (content-type and host only). */
export async function rawCall(emu: RunningEmulator, r: RawRequest = {}): Promise<{ status: number; json: any; text: string }> {
  const url = new URL(emu.url);
  const body = r.body ?? "{}";
  const contentType = r.contentType ?? "application/json";
  const timestamp = r.timestamp ?? Math.floor(Date.now() / 1000);
  const secretId = r.secretId ?? emu.credentials.tencent.secretId;
  const secretKey = r.secretKey ?? emu.credentials.tencent.secretKey;
  const service = r.service ?? "scf";
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const canonical = ["POST", "/", "", `content-type:${contentType}\nhost:${r.signedHost ?? url.hostname}\n`, "content-type;host", sha256(body)].join("\n");
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256(canonical)}`;
  const kDate = hmac(`TC3${secretKey}`, date);
  const signature = createHmac("sha256", hmac(hmac(kDate, service), "tc3_request"))
    .update(toSign)
    .digest("hex");
  const headers: Record<string, string> = {
    "Content-Type": contentType,
    "X-TC-Timestamp": String(timestamp),
    "X-TC-Region": r.region ?? "ap-guangzhou",
  };
  if (r.action !== null) headers["X-TC-Action"] = r.action ?? "ListLayers";
  if (r.version !== null) headers["X-TC-Version"] = r.version ?? "2018-04-16";
  const auth =
    r.authorization === undefined
      ? `TC3-HMAC-SHA256 Credential=${secretId}/${date}/${service}/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`
      : r.authorization;
  if (auth !== null) headers.Authorization = auth;
  const res = await fetch(emu.url + "/", { method: "POST", headers, body: typeof body === "string" ? body : new Uint8Array(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // left undefined: the test looks at text
  }
  return { status: res.status, json, text };
}

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/** The smallest valid zip: an end-of-central-directory record only. */
export const EMPTY_ZIP = Buffer.from("504b0506000000000000000000000000000000000000", "hex");

/** A zip with one stored file, distinct per `tag`. */
export function tinyZip(tag: string): Buffer {
  return buildZip([{ name: `f-${tag}.txt`, data: Buffer.from(tag) }]);
}

export function sha256Hex(b: Buffer): string {
  return createHash("sha256").update(b).digest("hex");
}
