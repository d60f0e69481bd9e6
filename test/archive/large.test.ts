import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { inspectZip, pack } from "../../src/archive/index.js";
import { MAX_32, localHeader, writeCentralHeader, type CentralFields } from "../../src/archive/zip-format.js";
import { ZipFileWriter } from "../../src/archive/zip-writer.js";
import { hasTool, readZip, tempDir, writeTree } from "./helpers.js";

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("size limits", () => {
  it("deflates large files in chunks, and stores the ones deflate cannot shrink", async () => {
    const text = Buffer.from(Array.from({ length: 600_000 }, (_, i) => `${i} ${(i * 7919) % 10007}\n`).join(""));
    const noise = randomBytes(5 * 1024 * 1024 + 3);
    const src = writeTree(path.join(work, "large"), { "text.txt": text, "noise.bin": noise, "small.txt": "s" });
    const zip = path.join(work, "large.zip");
    const result = await pack({ dir: src, output: zip });
    const entries = await readZip(zip);
    const text8 = entries.find((e) => e.name === "text.txt")!;
    const noise0 = entries.find((e) => e.name === "noise.bin")!;
    expect(text.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(text8.method).toBe(8);
    expect(text8.data.equals(text)).toBe(true);
    expect(noise0.method).toBe(0);
    expect(noise0.data.equals(noise)).toBe(true);
    // Stored means no growth: the zip is the noise plus the deflated text plus headers.
    expect(result.archive.zipBytes).toBeLessThan(noise.length + text.length / 2);
    if (hasTool("unzip")) expect(spawnSync("unzip", ["-tq", zip], { encoding: "utf8" }).stdout).toMatch(/No errors detected/);
  });

  it("packs many small files in order", async () => {
    const spec: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) spec[`d${i % 20}/f${i}.txt`] = `file ${i}\n`;
    const src = writeTree(path.join(work, "many"), spec);
    const zip = path.join(work, "many.zip");
    const result = await pack({ dir: src, output: zip });
    expect(result.archive.fileCount).toBe(2000);
    const entries = await readZip(zip, false);
    expect(entries).toHaveLength(2020);
    expect(entries.filter((e) => e.name.endsWith("/"))).toHaveLength(20);
    expect(entries.find((e) => e.name === "d17/f1237.txt")!.size).toBe("file 1237\n".length);
  });

  it("switches to zip64 end records past 65,535 entries", async () => {
    const zip = path.join(work, "zip64.zip");
    const writer = ZipFileWriter.create(zip);
    const count = 70_000;
    for (let i = 0; i < count; i++) {
      const fields = { name: Buffer.from(`f${i}`), method: 0, crc: 0, compressedSize: 0, size: 0, dosDateTime: 0x210000 };
      const offset = writer.position;
      writer.append(localHeader(fields));
      writer.addCentral({ ...fields, mode: 0o100644, offset });
    }
    writer.finish();
    const summary = await inspectZip(zip);
    expect(summary.archive.fileCount).toBe(count);
    const independent = await yauzl.openPromise(zip, { lazyEntries: true });
    expect(independent.entryCount).toBe(count);
    independent.close();
    if (hasTool("unzip")) expect(spawnSync("unzip", ["-Z", "-t", zip], { encoding: "utf8" }).stdout).toMatch(/^70000 files/);
  });

  it("writes zip64 sizes and offsets in the extra field when they pass 4 GiB", () => {
    const big = 5 * 2 ** 30;
    const local = localHeader({ name: Buffer.from("big"), method: 8, crc: 1, compressedSize: big - 1, size: big, dosDateTime: 0x210000 });
    expect(local.readUInt32LE(18)).toBe(MAX_32);
    expect(local.readUInt16LE(30 + 3)).toBe(1);
    expect(Number(local.readBigUInt64LE(30 + 3 + 4))).toBe(big);
    expect(Number(local.readBigUInt64LE(30 + 3 + 12))).toBe(big - 1);

    const fields: CentralFields = { name: Buffer.from("late"), method: 0, crc: 0, compressedSize: 10, size: 10, dosDateTime: 0x210000, mode: 0o100644, offset: 6 * 2 ** 30 };
    const central = Buffer.alloc(200);
    const end = writeCentralHeader(central, 0, fields);
    expect(central.readUInt32LE(20)).toBe(10); // sizes fit: only the offset moves to zip64
    expect(central.readUInt32LE(42)).toBe(MAX_32);
    expect(central.readUInt16LE(46 + 4 + 2)).toBe(8);
    expect(Number(central.readBigUInt64LE(46 + 4 + 4))).toBe(6 * 2 ** 30);
    expect(end).toBe(46 + 4 + 12);
  });
});
