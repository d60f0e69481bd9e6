// Staging in S3-compatible stores that return no checksum (moto, MinIO, Ceph RGW, older
// LocalStack), as the emulator's S3 answers with s3Checksums off: the upload is checked by the
// ETags (a single PUT's is the MD5, a multipart upload's the MD5 of the parts' MD5s with "-N"),
// then end to end by Lambda's CodeSha256; and --debug says which check was made.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { publishCommand } from "../../../src/release/publish.js";
import { emulatorEnv, start, type RunningEmulator } from "../../../src/emulator/index.js";
import { buildZip } from "../../../src/emulator/zip.js";
import { makeArchive, tempDir } from "../../helpers/archive.js";
import { recordingLogger } from "../../helpers/log.js";

const REGION = "eu-west-1";
const BUCKET = "compat-layers";
let plain: RunningEmulator;
let small: string;
let multipart: string;
let seq = 0;

beforeAll(async () => {
  plain = await start({ port: 0, tuning: { aws: { s3Checksums: false } }, buckets: [{ provider: "aws", name: BUCKET, region: REGION }] });
  const dir = await tempDir();
  small = path.join(dir, "small.zip");
  await writeFile(small, (await makeArchive()).bytes!);
  // Three 8 MiB parts' worth: a multipart upload, though far under Lambda's inline limit.
  multipart = path.join(dir, "multi.zip");
  await writeFile(multipart, buildZip([{ name: "python/blob.bin", data: Buffer.alloc(17 * 1024 * 1024, 0x61) }]));
});
afterAll(async () => {
  await plain?.close();
});
beforeEach(() => plain.faults.clear());

function publish(emu: RunningEmulator, source: string) {
  const log = recordingLogger();
  const env = { ...emulatorEnv(emu.credentials, emu.url), AWS_EC2_METADATA_DISABLED: "true" };
  const run = publishCommand(
    { source, provider: ["aws"], region: [REGION], name: `compat${++seq}`, runtime: ["python3.12"], upload: "storage", bucket: [BUCKET], timeout: "60" },
    { env, log },
  );
  return run.then((doc) => ({ rec: doc.results[0]!, debug: log.lines.filter((l) => l.startsWith("debug: aws s3: ")) }));
}

const layerCalls = (emu: RunningEmulator) => emu.faults.counts()["aws:PublishLayerVersion"] ?? 0;

describe("an S3-compatible store without checksums", () => {
  it("a multipart upload is checked by the parts' ETags and the multipart ETag, then by Lambda's CodeSha256", async () => {
    const { rec, debug } = await publish(plain, multipart);
    expect(rec.error).toBeUndefined();
    expect(rec).toMatchObject({ status: "published", upload: "storage" });
    expect(plain.faults.counts()["aws:UploadPart"]).toBe(3);
    expect(debug).toEqual([expect.stringContaining("upload checked by ETag (MD5); end to end by Lambda's CodeSha256")]);
  });

  it("a single PUT is checked by its ETag, the body's MD5", async () => {
    const { rec, debug } = await publish(plain, small);
    expect(rec).toMatchObject({ status: "published", upload: "storage" });
    expect(debug).toEqual([expect.stringContaining("upload checked by ETag (MD5)")]);
  });

  it.each(["PutObject", "UploadPart", "CompleteMultipartUpload"])("refuses an upload whose %s ETag is not ours, before any layer call", async (action) => {
    plain.faults.add({ provider: "aws", action, kind: "bad-checksum", times: 1 });
    const before = layerCalls(plain);
    const { rec } = await publish(plain, action === "PutObject" ? small : multipart);
    expect(rec).toMatchObject({ status: "failed", error: { code: "ChecksumMismatch" } });
    expect(rec.error!.message).toContain("ETag (MD5)");
    expect(layerCalls(plain)).toBe(before);
  });

  it("S3 itself is checked by its CRC-32s, as before", async () => {
    const s3 = await start({ port: 0, buckets: [{ provider: "aws", name: BUCKET, region: REGION }] });
    try {
      const { rec, debug } = await publish(s3, multipart);
      expect(rec).toMatchObject({ status: "published" });
      expect(debug).toEqual([expect.stringContaining("upload checked by CRC-32;")]);
    } finally {
      await s3.close();
    }
  });
});
