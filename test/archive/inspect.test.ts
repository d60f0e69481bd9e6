import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inspectZip, pack } from "../../src/archive/index.js";
import { UsageError } from "../../src/errors.js";
import { buildZip } from "../../src/emulator/zip.js";
import { hasTool, tempDir, writeTree } from "./helpers.js";

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const src = writeTree(path.join(work, "src"), {
  "python/a.py": "a = 1\n",
  "python/pkg/b.py": "b = 2\n".repeat(100),
  "bin/tool": { exec: "#!/bin/sh\n" },
  "bin/alias": { link: "tool" },
});

describe("inspectZip", () => {
  it("summarises a packed zip exactly as pack did", async () => {
    const zip = path.join(work, "layer.zip");
    const packed = await pack({ dir: src, output: zip });
    expect(await inspectZip(path.relative(process.cwd(), zip))).toEqual(packed);
  });

  it.runIf(hasTool("zip"))("reads zips from other tools (Info-ZIP)", async () => {
    const zip = path.join(work, "infozip.zip");
    expect(spawnSync("zip", ["-r", "-y", "-q", zip, "."], { cwd: src }).status).toBe(0);
    const got = await inspectZip(zip);
    expect(got.archive).toMatchObject({ path: zip, fileCount: 4, uncompressedBytes: 6 + 600 + 10 + 4 });
    expect(got.topLevel).toEqual(["bin", "python"]);
  });

  it.each([
    ["a text file", "notes.txt", "just text, long enough to be mistaken for nothing at all"],
    ["a truncated zip", "cut.zip", "truncate"],
    ["a folder", "folder.zip", "mkdir"],
  ])("refuses %s", async (_what, name, content) => {
    const p = path.join(work, name);
    if (content === "mkdir") fs.mkdirSync(p);
    else if (content === "truncate") fs.writeFileSync(p, fs.readFileSync(path.join(work, "layer.zip")).subarray(0, -30));
    else fs.writeFileSync(p, content);
    await expect(inspectZip(p)).rejects.toThrow(UsageError);
    await expect(inspectZip(p)).rejects.toThrow(`${p} is not a zip file`);
  });

  it("refuses a missing path", async () => {
    await expect(inspectZip(path.join(work, "missing.zip"))).rejects.toThrow(/missing\.zip does not exist/);
  });
});

describe("inspectZip refuses zips the cloud could not extract faithfully", () => {
  const files = [
    { name: "python/a.py", data: Buffer.from("a = 1\n") },
    { name: "python/b.py", data: Buffer.from("b = 2\n") },
  ];
  /** Offsets of the central records of buildZip's stored zips. */
  function centralAt(zip: Buffer, index: number): number {
    let p = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    for (let i = 0; i < index; i++) p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    return p;
  }
  async function refusal(name: string, zip: Buffer): Promise<UsageError> {
    const p = path.join(work, name);
    fs.writeFileSync(p, zip);
    const err = await inspectZip(p).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }

  it("accepts the untouched zip", async () => {
    const p = path.join(work, "fine.zip");
    fs.writeFileSync(p, buildZip(files));
    expect((await inspectZip(p)).archive.fileCount).toBe(2);
  });

  it("a damaged entry (bad CRC)", async () => {
    const zip = buildZip(files);
    zip[30 + "python/a.py".length] ^= 0xff; // first byte of a.py's data
    const err = await refusal("badcrc.zip", zip);
    expect(err.code).toBe("CorruptZip");
    expect(err.message).toMatch(/"python\/a\.py" fails its CRC-32 check/);
  });

  it("an entry that declares fewer bytes than it holds", async () => {
    const zip = buildZip(files);
    const c = centralAt(zip, 1);
    zip.writeUInt32LE(3, c + 24); // uncompressed size 3 instead of 6
    expect((await refusal("short.zip", zip)).message).toMatch(/"python\/b\.py" unpacks to more than the 3 bytes/);
  });

  it("a deflated entry that declares more bytes than it holds", async () => {
    const zip = path.join(work, "packed.zip");
    await pack({ dir: src, output: zip });
    const bytes = fs.readFileSync(zip);
    // Find b.py's central record and raise its declared size.
    let p = centralAt(bytes, 0);
    while (bytes.toString("utf8", p + 46, p + 46 + bytes.readUInt16LE(p + 28)) !== "python/pkg/b.py")
      p += 46 + bytes.readUInt16LE(p + 28) + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
    bytes.writeUInt32LE(601, p + 24);
    expect((await refusal("long.zip", bytes)).message).toMatch(/"python\/pkg\/b\.py" unpacks to 600 bytes, not the 601 it declares/);
  });

  it("two entries with one name", async () => {
    const err = await refusal("dup.zip", buildZip([...files, { name: "python/a.py", data: Buffer.from("other\n") }]));
    expect(err.code).toBe("DuplicateZipEntry");
    expect(err.message).toMatch(/holds "python\/a\.py" twice/);
  });

  it("a non-ASCII name without the UTF-8 flag", async () => {
    const zip = buildZip([{ name: "café.py", data: Buffer.from("x\n") }]);
    zip.writeUInt16LE(0, 6); // local flags
    zip.writeUInt16LE(0, centralAt(zip, 0) + 8); // central flags
    expect((await refusal("latin.zip", zip)).code).toBe("NonUtf8ZipName");
  });
});
