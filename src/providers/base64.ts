// The zip as base64, encoded once per zip and shared by every target of a run: the Tencent and
// Aliyun SDKs take ZipFile as a base64 string that we build, and twelve targets used to build
// twelve 53 MB strings for one 40 MB zip. (AWS needs none: its SDK's JSON codec writes the
// base64 straight into each request's body bytes, and takes the zip as bytes.)
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
