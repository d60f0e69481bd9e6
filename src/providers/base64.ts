// The zip as base64, encoded once per zip and shared by every target of a run: the Tencent SDK
// takes ZipFile as a base64 string that we build, and twelve targets used to build twelve 53 MB
// strings for one 40 MB zip. (AWS and Aliyun bodies are built whole once per zip instead:
// ./inline-body.ts, which reuses this string when Tencent has built it.)
const encoded = new WeakMap<Uint8Array, string>();

/** base64 of `bytes`, computed on first use and kept as long as the bytes are. */
export function base64Of(bytes: Uint8Array): string {
  let text = encoded.get(bytes);
  if (text === undefined) {
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
    encoded.set(bytes, text);
  }
  return text;
}

/** The base64 of `bytes` if some target has built it already; never builds it. */
export function peekBase64(bytes: Uint8Array): string | undefined {
  return encoded.get(bytes);
}
