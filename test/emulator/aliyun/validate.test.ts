// Unit checks of the FC emulator's request validation that are too large or too fiddly to send.
import { describe, expect, it } from "vitest";
import { FcError } from "../../../src/emulator/aliyun/errors.js";
import { decodeCode, limits } from "../../../src/emulator/aliyun/validate.js";
import { isZip } from "../../../src/emulator/zip.js";
import { parseAcsDate } from "../../../src/emulator/aliyun/signature.js";
import { crc64Decimal } from "../../../src/archive/crc64.js";
import { storedZip } from "./helpers.js";

function fcError(fn: () => unknown): FcError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FcError) return e;
    throw e;
  }
  throw new Error("expected an FcError");
}

describe("zip sniffing", () => {
  const zip = storedZip({ "a.txt": "a" });
  it("accepts a zip, an empty zip and a zip with an archive comment", () => {
    expect(isZip(zip)).toBe(true);
    expect(isZip(storedZip({}))).toBe(true);
    const withComment = Buffer.concat([zip, Buffer.from("hello")]);
    withComment.writeUInt16LE(5, zip.length - 2);
    expect(isZip(withComment)).toBe(true);
  });
  it("rejects text, a truncated zip and trailing garbage", () => {
    expect(isZip(Buffer.from("PK\x03\x04 but nothing else of a zip file"))).toBe(false);
    expect(isZip(zip.subarray(0, zip.length - 1))).toBe(false);
    expect(isZip(Buffer.concat([zip, Buffer.from("junk")]))).toBe(false);
    expect(isZip(Buffer.alloc(0))).toBe(false);
  });
});

describe("code.zipFile", () => {
  it("answers EntityTooLarge over the documented 100 MB base64 payload", () => {
    const err = fcError(() => decodeCode({ zipFile: "A".repeat(limits.maxZipFileBase64 + 4) }, true));
    expect(err).toMatchObject({ status: 400, code: "EntityTooLarge" });
    expect(err.message).toContain(String(limits.maxZipFileBase64));
  });

  it("takes code.checksum as a decimal CRC-64 only", () => {
    const zip = storedZip({ "b.txt": "b" });
    const crc = crc64Decimal(zip);
    expect(decodeCode({ zipFile: zip.toString("base64"), checksum: crc }, true)!.checksum).toBe(crc);
    const hex = BigInt(crc).toString(16);
    expect(fcError(() => decodeCode({ zipFile: zip.toString("base64"), checksum: `0x${hex}` }, true)).message).toContain("decimal");
  });

  it("rejects zipFile together with an OSS location", () => {
    const zip = storedZip({ "c.txt": "c" });
    expect(fcError(() => decodeCode({ zipFile: zip.toString("base64"), ossBucketName: "b", ossObjectName: "o" }, true)).message).toContain("mutually exclusive");
  });
});

describe("x-acs-date", () => {
  it("parses the SDK's format only", () => {
    expect(parseAcsDate("2024-02-29T23:59:59Z")).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
    expect(parseAcsDate("2023-02-29T00:00:00Z")).toBeNull();
    expect(parseAcsDate("2024-01-01T24:00:00Z")).toBeNull();
    expect(parseAcsDate("2024-01-01T00:00:00.000Z")).toBeNull();
    expect(parseAcsDate("2024-01-01 00:00:00")).toBeNull();
  });
});
