// Record files: what a run published, merged into the file atomically; merging several CI jobs'
// files; a conflict names the target. The --output json documents validate against their schemas.
import { describe, expect, it } from "vitest";
import { chmod, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { CloudError, UsageError } from "../../src/errors.js";
import { recordMergeCommand } from "../../src/commands/record.js";
import { blankRecord } from "../../src/providers/record.js";
import type { LayerVersionRecord } from "../../src/providers/types.js";
import { recordFileSchema } from "../../src/record/schema.js";
import { lockPath, STALE_MS, withRecordLock } from "../../src/record/lock.js";
import { checkRecordFile, emulatorRecordPath, readRecordFile, writeRecordFile } from "../../src/record/write.js";
import { tempDir } from "../helpers/archive.js";

function rec(provider: "aws" | "tencent" | "aliyun", region: string, version: number | null, extra: Partial<LayerVersionRecord> = {}): LayerVersionRecord {
  return { ...blankRecord(provider, region, "deps"), version, codeSha256: `sha${version}`, arn: provider === "tencent" ? null : `arn-${version}`, ...extra };
}

describe("--record", () => {
  it("writes the published and unchanged versions, not failed or planned ones", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "layers.lock.json");
    const t = new Date("2026-01-02T03:04:05.000Z");
    await writeRecordFile(
      file,
      [
        rec("aws", "us-east-1", 3),
        rec("tencent", "ap-guangzhou", 7, { status: "unchanged" }),
        rec("aliyun", "cn-hangzhou", null, { status: "failed", error: { code: "X", message: "m", requestId: null } }),
        rec("aws", "eu-west-1", null, { status: "planned" }),
      ],
      t,
    );
    const written = JSON.parse(await readFile(file, "utf8"));
    expect(recordFileSchema.parse(written)).toEqual(written);
    expect(written).toEqual({
      format: 1,
      layers: {
        deps: {
          aws: { "us-east-1": { version: 3, arn: "arn-3", codeSha256: "sha3", status: "published", time: t.toISOString() } },
          tencent: { "ap-guangzhou": { version: 7, arn: null, codeSha256: "sha7", status: "unchanged", time: t.toISOString() } },
        },
      },
    });
    // atomic: nothing but the file is left in the folder
    expect(await readdir(dir)).toEqual(["layers.lock.json"]);
  });

  it("replaces entries of the same layer/provider/region and keeps the rest", async () => {
    const file = path.join(await tempDir(), "r.json");
    await writeRecordFile(file, [rec("aws", "us-east-1", 3), rec("aws", "eu-west-1", 3)]);
    // a failure in eu-west-1 does not erase the version still in place there
    await writeRecordFile(file, [rec("aws", "us-east-1", 4), rec("aws", "eu-west-1", null, { status: "failed" })]);
    const r = await readRecordFile(file);
    expect(r.layers.deps!.aws).toMatchObject({ "us-east-1": { version: 4 }, "eu-west-1": { version: 3 } });
  });

  it("refuses to merge into a file that is not a record file, naming it", async () => {
    const file = path.join(await tempDir(), "r.json");
    await writeFile(file, JSON.stringify({ format: 1, layers: { deps: { gcp: {} } } }));
    const err = await writeRecordFile(file, [rec("aws", "us-east-1", 1)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toMatch(/r\.json: not a layerctl record file: layers\.deps\.gcp/);
  });
});

describe("the record lock", () => {
  it("lets concurrent writers in one process take turns: nothing is lost", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "r.json");
    await Promise.all(Array.from({ length: 20 }, (_, i) => writeRecordFile(file, [rec("aws", `region-${i}`, i + 1)])));
    const r = await readRecordFile(file);
    expect(Object.keys(r.layers.deps!.aws!).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `region-${i}`).sort());
    // The lock went with the last writer; no temporary file is left.
    expect(await readdir(dir)).toEqual(["r.json"]);
  });

  it("takes over a lock whose writer is gone", async () => {
    const file = path.join(await tempDir(), "r.json");
    // pid 2^22+1 is above Linux's pid_max default: no such process, on this host.
    await writeFile(lockPath(file), JSON.stringify({ pid: 4194305, host: hostname(), time: new Date().toISOString(), token: "gone" }));
    await writeRecordFile(file, [rec("aws", "us-east-1", 1)]);
    expect((await readRecordFile(file)).layers.deps!.aws!["us-east-1"]!.version).toBe(1);
    expect(await readdir(path.dirname(file))).toEqual(["r.json"]);
  });

  it("waits for a live writer, and names it when it does not let go", async () => {
    const file = path.join(await tempDir(), "r.json");
    await writeFile(lockPath(file), JSON.stringify({ pid: process.pid, host: hostname(), time: "2026-01-01T00:00:00.000Z", token: "live" }));
    const err = await withRecordLock(file, async () => "never", { waitMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).code).toBe("RecordLocked");
    expect((err as UsageError).message).toContain(`pid ${process.pid}`);
    expect((err as UsageError).hint).toContain(lockPath(file));
  });

  it("a lock older than the stale limit is taken over whoever holds it", async () => {
    const file = path.join(await tempDir(), "r.json");
    await writeFile(lockPath(file), JSON.stringify({ pid: process.pid, host: hostname(), time: "2026-01-01T00:00:00.000Z", token: "old" }));
    const later = Date.now() + STALE_MS + 1_000;
    expect(await withRecordLock(file, async () => "mine", { now: () => later })).toBe("mine");
  });
});

describe("checking a record file before anything is published", () => {
  it("accepts a missing file in a writable folder, and a valid record", async () => {
    const dir = await tempDir();
    await checkRecordFile(path.join(dir, "new.json"));
    await writeRecordFile(path.join(dir, "ok.json"), [rec("aws", "us-east-1", 1)]);
    await checkRecordFile(path.join(dir, "ok.json"));
  });

  it.each([
    ["a directory", async (f: string) => mkdir(f), /is not a file/],
    ["damaged JSON", async (f: string) => writeFile(f, "{ not json"), /not valid JSON/],
    ["not a record file", async (f: string) => writeFile(f, JSON.stringify({ hello: 1 })), /not a layerctl record file/],
    ["in a missing folder", async () => {}, /folder of record file .* does not exist/],
  ])("refuses %s with a usage error", async (what, make, message) => {
    const dir = await tempDir();
    const file = what === "in a missing folder" ? path.join(dir, "no-such", "r.json") : path.join(dir, "r.json");
    await make(file);
    const err = await checkRecordFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toMatch(message);
  });

  // Root may write anywhere: a read-only file or folder refuses nothing to it.
  it.skipIf(process.getuid?.() === 0)("refuses a read-only file and a read-only folder (skipped as root: root writes anywhere)", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "r.json");
    await writeRecordFile(file, [rec("aws", "us-east-1", 1)]);
    await chmod(file, 0o444);
    await expect(checkRecordFile(file)).rejects.toMatchObject({ code: "RecordNotWritable" });
    await chmod(file, 0o644);
    await chmod(dir, 0o555);
    await expect(checkRecordFile(file)).rejects.toMatchObject({ code: "RecordNotWritable" });
    await chmod(dir, 0o755);
  });
});

describe("record merge", () => {
  async function files(...runs: LayerVersionRecord[][]): Promise<string[]> {
    const dir = await tempDir();
    const out: string[] = [];
    for (const [i, results] of runs.entries()) {
      const f = path.join(dir, `job${i}.json`);
      await writeRecordFile(f, results, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
      out.push(f);
    }
    return out;
  }

  it("merges the files of several jobs", async () => {
    const [a, b] = await files([rec("aws", "us-east-1", 3)], [rec("tencent", "ap-guangzhou", 5), rec("aws", "us-east-1", 3)]);
    const { record, written } = await recordMergeCommand({ files: [a!, b!] });
    expect(written).toBeNull();
    expect(record.layers.deps).toMatchObject({ aws: { "us-east-1": { version: 3 } }, tencent: { "ap-guangzhou": { version: 5 } } });
  });

  it("writes -o atomically", async () => {
    const [a, b] = await files([rec("aws", "us-east-1", 3)], [rec("aliyun", "cn-hangzhou", 2)]);
    const out = path.join(path.dirname(a!), "all.json");
    const { written } = await recordMergeCommand({ files: [a!, b!], out });
    expect(written).toBe(out);
    expect(Object.keys((await readRecordFile(out)).layers.deps!)).toEqual(["aws", "aliyun"]);
  });

  it("a conflict (same target, different version) is exit 1 naming the target and both files", async () => {
    const [a, b] = await files([rec("aws", "us-east-1", 3)], [rec("aws", "us-east-1", 4)]);
    const err = await recordMergeCommand({ files: [a!, b!] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).exitCode).toBe(1);
    expect((err as CloudError).code).toBe("RecordConflict");
    expect((err as CloudError).message).toBe(`records conflict on deps aws us-east-1: version 3 in ${a}, version 4 in ${b}`);
  });
});

describe("no churn", () => {
  it("a run that finds the same versions leaves the file byte for byte as it was (and does not write it)", async () => {
    const file = path.join(await tempDir(), "layers.lock.json");
    await writeRecordFile(file, [rec("aws", "us-east-1", 3), rec("tencent", "ap-guangzhou", 7)], new Date("2026-01-01T00:00:00.000Z"));
    const before = await readFile(file);
    const { mtimeMs } = await stat(file);
    // The next run finds them unchanged, later.
    await writeRecordFile(
      file,
      [rec("aws", "us-east-1", 3, { status: "unchanged" }), rec("tencent", "ap-guangzhou", 7, { status: "unchanged" })],
      new Date("2026-02-01T00:00:00.000Z"),
    );
    expect((await readFile(file)).equals(before)).toBe(true);
    expect((await stat(file)).mtimeMs).toBe(mtimeMs);
  });

  it("a new version is written with its time, and keeps the one it replaced as previous", async () => {
    const file = path.join(await tempDir(), "layers.lock.json");
    await writeRecordFile(file, [rec("aws", "us-east-1", 3)], new Date("2026-01-01T00:00:00.000Z"));
    await writeRecordFile(file, [rec("aws", "us-east-1", 4)], new Date("2026-02-01T00:00:00.000Z"));
    expect((await readRecordFile(file)).layers.deps!.aws!["us-east-1"]).toEqual({
      version: 4,
      arn: "arn-4",
      codeSha256: "sha4",
      status: "published",
      time: "2026-02-01T00:00:00.000Z",
      previous: { version: 3, arn: "arn-3" },
    });
  });

  it("padding (--align-version) is kept with its entry: unchanged, re-read with other fields, and never carried to a new version", async () => {
    const file = path.join(await tempDir(), "layers.lock.json");
    await writeRecordFile(file, [rec("aws", "us-east-1", 3, { padding: [1, 2] })], new Date("2026-01-01T00:00:00.000Z"));
    const before = await readFile(file);
    expect(JSON.parse(before.toString()).layers.deps.aws["us-east-1"].padding).toEqual([1, 2]);
    // Found again (aligned, nothing to publish): the entry as it was, padding and time.
    await writeRecordFile(file, [rec("aws", "us-east-1", 3, { status: "unchanged" })], new Date("2026-02-01T00:00:00.000Z"));
    expect((await readFile(file)).equals(before)).toBe(true);
    // The same version read with a field that differs (here its ARN): still the padding below it.
    await writeRecordFile(file, [rec("aws", "us-east-1", 3, { status: "unchanged", arn: "arn-3-read" })], new Date("2026-03-01T00:00:00.000Z"));
    expect((await readRecordFile(file)).layers.deps!.aws!["us-east-1"]).toMatchObject({ version: 3, arn: "arn-3-read", padding: [1, 2] });
    // A new version has padding of its own, or none.
    await writeRecordFile(file, [rec("aws", "us-east-1", 4)], new Date("2026-04-01T00:00:00.000Z"));
    const entry = (await readRecordFile(file)).layers.deps!.aws!["us-east-1"]!;
    expect(entry).toMatchObject({ version: 4, previous: { version: 3, arn: "arn-3-read" } });
    expect(entry.padding).toBeUndefined();
  });

  it("an --emulator run records beside the real file", () => {
    expect(emulatorRecordPath("/p/layers.lock.json")).toBe("/p/layers.lock.emulator.json");
    expect(emulatorRecordPath("/p/versions")).toBe("/p/versions.emulator");
  });
});
