// Download links for the zip of a layer (or function) version: what AWS returns as
// `Content.Location` (GetLayerVersion: "a link to the layer archive in Amazon S3 that is valid for
// 10 minutes"), Tencent as `Location` (GetLayerVersion, a COS link) and Aliyun FC 3.0 as
// `code.location` (GetLayerVersion, an OSS link). Each is a presigned object-store URL: it works
// without the caller's credentials until it expires, then the store refuses it with 403
// AccessDenied. Tencent's and Aliyun's references do not say how long their links last; the
// emulator gives every cloud AWS's documented 10 minutes (tuning `contentUrlTtlMs`).
//
// The links are served by the emulator's one HTTP server under /_layerctl/blobs/<cloud>/, and the
// fault layer sees a download as the cloud's action "DownloadLayerContent" (rules must name it: a
// rule for every action stays with the APIs): throttling, 5xx, resets, stalls, truncated bodies
// and HTML pages apply to downloads too, and "bad-checksum" flips one byte of the body (the bytes
// differ from the stored zip, as a damaged transfer would).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { type ProviderName, providerNames } from "../providers/names.js";
import type { Reply } from "./types.js";

/** The fault layer's name for a download of version content. */
export const DOWNLOAD_ACTION = "DownloadLayerContent";

/** AWS GetLayerVersion: Content.Location "is valid for 10 minutes". */
export const DEFAULT_CONTENT_URL_TTL_MS = 10 * 60 * 1000;

const PATH = new RegExp(`^/_layerctl/blobs/(?:(${providerNames.join("|")})/)?([0-9a-f]{64})\\.zip$`);

export interface ContentRequest {
  provider: ProviderName | null;
  sha256: string;
}

/** Signs and checks the links of one running emulator (the key lives as long as the process). */
export class ContentLinks {
  private readonly key = randomBytes(32);

  url(base: string, provider: ProviderName, sha256: string, now: Date, ttlMs: number): string {
    const expires = Math.floor((now.getTime() + ttlMs) / 1000);
    return `${base}/_layerctl/blobs/${provider}/${sha256}.zip?Expires=${expires}&Signature=${this.sign(provider, sha256, expires)}`;
  }

  /** The blob a path names, or null when the path is not a content link. */
  static parse(rawPath: string): ContentRequest | null {
    const m = PATH.exec(rawPath);
    return m ? { provider: (m[1] as ProviderName | undefined) ?? null, sha256: m[2]! } : null;
  }

  /**
   * null when the link may be used; otherwise the store's refusal. A link without a signature is
   * the older unsigned form (an emulator state written before links were signed): it still works.
   */
  refusal(req: ContentRequest, query: URLSearchParams, now: Date): Reply | null {
    const signature = query.get("Signature");
    const expires = query.get("Expires");
    if (signature === null && expires === null) return null;
    if (req.provider === null || signature === null || expires === null || !/^\d+$/.test(expires))
      return accessDenied("Query-string authentication requires the Signature and Expires parameters");
    const expected = Buffer.from(this.sign(req.provider, req.sha256, Number(expires)));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return accessDenied("The request signature we calculated does not match the signature you provided.");
    if (Number(expires) * 1000 < now.getTime()) return accessDenied("Request has expired");
    return null;
  }

  private sign(provider: string, sha256: string, expires: number): string {
    return createHmac("sha256", this.key).update(`${provider}/${sha256}/${expires}`).digest("hex").slice(0, 40);
  }
}

/**
 * The object stores answer refusals with an XML <Error> document (S3 "AccessDenied / Request has
 * expired", and COS and OSS likewise use AccessDenied for an expired or altered presigned URL).
 */
export function accessDenied(message: string): Reply {
  return xmlError(403, "AccessDenied", message);
}

export function xmlError(status: number, code: string, message: string): Reply {
  const body = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>\n`);
  return { status, headers: { "content-type": "application/xml" }, body };
}

/**
 * The stored bytes as the store serves them: the whole object (200), or one byte range (206 with
 * Content-Range) for `Range: bytes=a-b` / `bytes=a-` / `bytes=-n`; an unsatisfiable range is 416.
 * Other range forms (several ranges) are answered with the whole object, as S3 does.
 */
export function contentReply(bytes: Buffer, range: string | undefined): Reply {
  const headers: Record<string, string> = { "content-type": "application/zip", "accept-ranges": "bytes" };
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
  if (m && (m[1] !== "" || m[2] !== "")) {
    const size = bytes.length;
    let start: number;
    let end: number;
    if (m[1] === "") {
      start = Math.max(0, size - Number(m[2]));
      end = size - 1;
    } else {
      start = Number(m[1]);
      end = m[2] === "" ? size - 1 : Math.min(size - 1, Number(m[2]));
    }
    if (start >= size || start > end) {
      return { status: 416, headers: { ...headers, "content-range": `bytes */${size}` }, body: Buffer.alloc(0) };
    }
    const part = bytes.subarray(start, end + 1);
    return { status: 206, headers: { ...headers, "content-range": `bytes ${start}-${end}/${size}` }, body: part };
  }
  return { status: 200, headers, body: bytes };
}

/** "bad-checksum" on a download: the same length, one byte changed, so only a checksum can tell. */
export function damaged(reply: Reply): Reply {
  if (!Buffer.isBuffer(reply.body) || reply.body.length === 0) return reply;
  const copy = Buffer.from(reply.body);
  copy[copy.length >> 1] = copy[copy.length >> 1]! ^ 0xff;
  return { ...reply, body: copy };
}
