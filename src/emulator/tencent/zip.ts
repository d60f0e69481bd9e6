// What SCF accepts as inline code: strict base64 (the service decodes with Python's binascii,
// hence the error code's name) of something that really is a zip.

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decoded bytes, or null when the text is not padded, canonical base64. */
export function decodeBase64Strict(text: string): Buffer | null {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return null;
  return Buffer.from(text, "base64");
}

const LOCAL_HEADER = 0x04034b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
// The EOCD record is 22 bytes plus a comment of at most 65,535 bytes.
const MAX_EOCD_DISTANCE = 22 + 0xffff;

/** A zip starts with a local file header (or is an empty archive) and ends with an EOCD record. */
export function looksLikeZip(bytes: Buffer): boolean {
  if (bytes.length < 22) return false;
  const first = bytes.readUInt32LE(0);
  if (first !== LOCAL_HEADER && first !== END_OF_CENTRAL_DIRECTORY) return false;
  const stop = Math.max(0, bytes.length - MAX_EOCD_DISTANCE);
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (bytes.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) return true;
  }
  return false;
}
