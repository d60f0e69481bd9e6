// The Lambda client's SHA-256 (its `sha256` option, which the SigV4 signer uses for the payload
// hash and for HMACs): node:crypto, as the SDK's default, except that a shared inline body
// (../inline-body.ts) is hashed once however many regions it is sent to. Three AWS targets of a
// 40 MB zip hashed the same 53 MB body three times on the main thread before any upload began.
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import type { Checksum, SourceData } from "@smithy/types";
import { isSharedBody, sharedBodySha256 } from "../inline-body.js";

/** As @smithy/hash-node turns SourceData into bytes. */
function bytesOf(data: SourceData, encoding?: BufferEncoding): Buffer {
  if (typeof data === "string") return Buffer.from(data, encoding ?? "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

export class PayloadSha256 implements Checksum {
  private hash: Hash | Hmac | undefined;
  /** The one update so far, when it was a whole shared body: its digest is known or kept. */
  private shared: ArrayBufferView | undefined;

  constructor(private readonly secret?: SourceData) {}

  update(data: SourceData, encoding?: BufferEncoding): void {
    if (this.secret === undefined && this.hash === undefined && this.shared === undefined && ArrayBuffer.isView(data) && isSharedBody(data)) {
      this.shared = data;
      return;
    }
    this.started().update(bytesOf(data, encoding));
  }

  async digest(): Promise<Uint8Array> {
    if (this.shared && this.hash === undefined) return sharedBodySha256(this.shared);
    return this.started().digest();
  }

  reset(): void {
    this.hash = undefined;
    this.shared = undefined;
  }

  private started(): Hash | Hmac {
    if (!this.hash) {
      this.hash = this.secret === undefined ? createHash("sha256") : createHmac("sha256", bytesOf(this.secret));
      if (this.shared) this.hash.update(bytesOf(this.shared));
    }
    return this.hash;
  }
}
