// Test helpers for the FC 3.0 emulator: real SDK clients pointed at it, tiny valid zips, and a
// hand-rolled ACS3 signer for the requests the SDK cannot be made to send (stale clock, bad
// body, wrong content type, replays).
import http from "node:http";
import { createHash, createHmac, randomUUID } from "node:crypto";
import type { RunningEmulator } from "../../../src/emulator/index.js";
import { loadAliyunSdk, type AliyunSdk, type FcClientInstance } from "../../../src/providers/aliyun/sdk.js";

/** A stored (uncompressed) zip of the given files (the emulator's own deterministic writer). */
export { zipOf as storedZip } from "../../helpers/archive.js";

export interface ClientOptions {
  accessKeyId?: string;
  accessKeySecret?: string;
  /** Sent as x-acs-region-id (signed), as layerctl's adapter does for custom endpoints. */
  region?: string;
  timeoutMs?: number;
}

export async function sdk(): Promise<AliyunSdk> {
  return loadAliyunSdk();
}

/** The official FC 3.0 client, configured as a user would for a local endpoint. */
export async function fcClient(emu: RunningEmulator, o: ClientOptions = {}): Promise<FcClientInstance> {
  const s = await sdk();
  const url = new URL(emu.url);
  const config = new s.Config({
    accessKeyId: o.accessKeyId ?? emu.credentials.aliyun.accessKeyId,
    accessKeySecret: o.accessKeySecret ?? emu.credentials.aliyun.accessKeySecret,
    endpoint: url.host,
    protocol: "http",
    connectTimeout: o.timeoutMs ?? 5_000,
    readTimeout: o.timeoutMs ?? 5_000,
    globalParameters: o.region ? new s.GlobalParameters({ headers: { "x-acs-region-id": o.region } }) : undefined,
  });
  return new s.Client(config);
}

/** The error an SDK promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Record<string, any>> {
  return p.then(
    (v) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(v)?.slice(0, 200)}`);
    },
    (e: Record<string, any>) => e,
  );
}

export interface RawRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: Buffer | string;
  contentType?: string;
  /** Extra headers; x-acs-* ones are signed. */
  headers?: Record<string, string>;
  date?: Date;
  nonce?: string;
  accessKeyId?: string;
  accessKeySecret?: string;
  /** Override the signed x-acs-content-sha256 (to send a body that does not match it). */
  contentSha256?: string;
  /** Host header to send and sign (default 127.0.0.1:PORT). */
  host?: string;
  /** Leave these headers out of SignedHeaders. */
  unsigned?: string[];
  /** Do not send an Authorization header at all. */
  noAuth?: boolean;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: any;
  text: string;
}

function acsDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function encode(v: string): string {
  return encodeURIComponent(v).replace(/!/g, "%21").replace(/'/g, "%27").replace(/\(/g, "%28").replace(/\)/g, "%29").replace(/\*/g, "%2A");
}

/** Builds, signs (ACS3-HMAC-SHA256, written from the published algorithm) and sends one request. */
export function rawRequest(emu: RunningEmulator, r: RawRequest): Promise<RawResponse> {
  const url = new URL(emu.url);
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body);
  const headers: Record<string, string> = {
    host: r.host ?? url.host,
    "x-acs-action": "Raw",
    "x-acs-version": "2023-03-30",
    "x-acs-date": acsDate(r.date ?? new Date()),
    "x-acs-signature-nonce": r.nonce ?? randomUUID(),
    "x-acs-content-sha256": r.contentSha256 ?? createHash("sha256").update(body).digest("hex"),
    ...(r.contentType ? { "content-type": r.contentType } : {}),
    ...r.headers,
  };
  const query = r.query ?? {};
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${k}=${encode(query[k]!)}`)
    .join("&");
  const signed = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .filter((h) => (h === "host" || h === "content-type" || h.startsWith("x-acs-")) && !(r.unsigned ?? []).includes(h))
    .sort();
  const canonicalHeaders = signed.map((h) => `${h}:${headers[h]!.trim()}\n`).join("");
  const canonical = [r.method, r.path, canonicalQuery, canonicalHeaders, signed.join(";"), headers["x-acs-content-sha256"]].join("\n");
  const toSign = `ACS3-HMAC-SHA256\n${createHash("sha256").update(canonical).digest("hex")}`;
  const signature = createHmac("sha256", r.accessKeySecret ?? emu.credentials.aliyun.accessKeySecret)
    .update(toSign)
    .digest("hex");
  if (!r.noAuth && !("authorization" in (r.headers ?? {}))) {
    headers.authorization = `ACS3-HMAC-SHA256 Credential=${r.accessKeyId ?? emu.credentials.aliyun.accessKeyId},SignedHeaders=${signed.join(";")},Signature=${signature}`;
  }
  const qs = new URLSearchParams(query).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: r.method, path: r.path + (qs ? `?${qs}` : ""), headers: { ...headers, "content-length": String(body.length) }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: any;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json, text });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
