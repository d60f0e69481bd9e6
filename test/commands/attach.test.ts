// layerctl attach and publish --attach, in-process through the command functions, against the emulator.
import { beforeAll, describe, expect, it } from "vitest";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../../src/errors.js";
import { attachCommand } from "../../src/commands/attach.js";
import { parseLayerRef } from "../../src/release/attach-options.js";
import { preparePublish, publishCommand } from "../../src/release/publish.js";
import { publishWithConfig } from "../../src/release/publish-config.js";
import { publishDocumentSchema } from "../../src/record/output-schema.js";
import { writeRecordFile } from "../../src/record/write.js";
import { runCommand } from "../helpers/invoke.js";
import { emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { silentLogger, type Logger } from "../../src/output/log.js";
import { tempDir } from "../helpers/archive.js";
import { useEmulator } from "../helpers/emulator.js";

let emu: RunningEmulator;
let env: NodeJS.ProcessEnv;
let dir: string;

useEmulator(
  {
    functionUpdateDelayMs: 0,
    functions: [
      { name: "api" },
      { name: "worker" },
      // At the limit of five layers (every cloud's): no room for another.
      { name: "full", layers: ["l1", "l2", "l3", "l4", "l5"].map((name) => ({ name, version: 1 })) },
    ],
  },
  (started) => {
    emu = started;
  },
);
beforeAll(async () => {
  env = { ...emulatorEnv(emu.credentials, emu.url), AWS_EC2_METADATA_DISABLED: "true" };
  dir = await tempDir();
  await mkdir(path.join(dir, "python"), { recursive: true });
  await writeFile(path.join(dir, "python", "mod.py"), "x = 1\n");
});

function collecting(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warn: (m: string) => void warnings.push(m), warnings };
}

describe("attach", () => {
  it("parses <layer>:<version> and <layer>:latest, and refuses anything else before any call", () => {
    expect(parseLayerRef("deps:3")).toEqual({ layerName: "deps", version: 3 });
    expect(parseLayerRef("deps:latest")).toEqual({ layerName: "deps", version: "latest" });
    expect(parseLayerRef("arn:aws:lambda:us-east-1:123456789012:layer:deps:4")).toEqual({ layerName: "arn:aws:lambda:us-east-1:123456789012:layer:deps", version: 4 });
    for (const bad of ["deps", "deps:", ":3", "deps:0", "deps:x"]) expect(() => parseLayerRef(bad)).toThrow(UsageError);
  });

  it("refuses a missing --function and a bad alias as usage errors, with no call made", async () => {
    const before = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
    await expect(attachCommand({ layer: "deps:1", provider: ["aws"], function: [] }, { env, log: silentLogger })).rejects.toMatchObject({ code: "MissingFunction", exitCode: 2 });
    await expect(attachCommand({ layer: "deps:1", provider: ["aws"], function: ["api"], alias: "12" }, { env, log: silentLogger })).rejects.toMatchObject({
      code: "InvalidAlias",
      exitCode: 2,
    });
    expect(Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0)).toBe(before);
  });

  it("attaches the newest version to every function of every target", async () => {
    await publishCommand({ source: dir, name: "cmdlatest", runtime: ["python3.10"], provider: ["aws,aliyun"], prefix: "python" }, { env, log: silentLogger });
    await publishCommand({ source: dir, name: "cmdlatest", runtime: ["python3.10"], provider: ["aws,aliyun"], prefix: "python", description: "v2" }, { env, log: silentLogger });
    const doc = await attachCommand({ layer: "cmdlatest:latest", provider: ["aws,aliyun"], function: ["api,worker"], publishVersion: true }, { env, log: silentLogger });
    expect(doc.results.map((r) => [r.provider, r.functionName, r.version, r.status])).toEqual([
      ["aws", "api", 2, "attached"],
      ["aws", "worker", 2, "attached"],
      ["aliyun", "api", 2, "attached"],
      ["aliyun", "worker", 2, "attached"],
    ]);
    expect(doc.results.every((r) => r.functionVersion !== null)).toBe(true);
  });

  it("fails every function of a target whose layer version does not exist, keeping the cloud's code", async () => {
    const doc = await attachCommand({ layer: "cmdlatest:9", provider: ["aws"], function: ["api"] }, { env, log: silentLogger });
    expect(doc.results).toHaveLength(1);
    expect(doc.results[0]).toMatchObject({ status: "failed", version: 9, error: { code: "ResourceNotFoundException" } });
    const none = await attachCommand({ layer: "never-published:latest", provider: ["tencent"], function: ["api"] }, { env, log: silentLogger });
    expect(none.results[0]).toMatchObject({ status: "failed", version: null, error: { code: "LayerNotFound" } });
  });

  it("--from-record with --region aws:all takes every aws region the record has, and no other cloud's", async () => {
    const published = await publishCommand(
      { source: dir, name: "cmdrecall", runtime: ["python3.10"], provider: ["aws,tencent"], region: ["aws:us-east-1,aws:eu-west-1,tencent:ap-guangzhou"], prefix: "python" },
      { env, log: silentLogger },
    );
    const file = path.join(dir, "cmdrecall.lock.json");
    await writeRecordFile(file, published.results);
    const doc = await attachCommand({ layer: "cmdrecall", fromRecord: file, region: ["aws:all"], function: ["api"], dryRun: true }, { env, log: silentLogger });
    expect(doc.results.map((r) => [r.provider, r.region, r.version])).toEqual([
      ["aws", "us-east-1", 1],
      ["aws", "eu-west-1", 1],
    ]);
    // The one grammar of --region: provider=region means provider:region here too.
    for (const region of ["aws:eu-west-1", "aws=eu-west-1", "eu-west-1"]) {
      const one = await attachCommand({ layer: "cmdrecall", fromRecord: file, region: [region], function: ["api"], dryRun: true }, { env, log: silentLogger });
      expect(one.results.map((r) => [r.provider, r.region])).toEqual([["aws", "eu-west-1"]]);
    }
  });

  it("warns that --namespace means nothing where functions have none", async () => {
    const log = collecting();
    await attachCommand({ layer: "cmdlatest:1", provider: ["aws"], function: ["api"], namespace: "prod" }, { env, log });
    expect(log.warnings).toEqual(["aws functions have no namespace; --namespace is ignored"]);
  });
});

describe("publish --attach", () => {
  it("attaches the version just published, one record per target and function", async () => {
    const doc = await publishCommand(
      { source: dir, name: "cmdpub", runtime: ["python3.10"], provider: ["tencent,aws"], attach: ["api"], alias: "live" },
      { env, log: silentLogger },
    );
    expect(doc.results.map((r) => r.version)).toEqual([1, 1]);
    expect(doc.attachments).toEqual([
      expect.objectContaining({ provider: "tencent", functionName: "api", layerName: "cmdpub", version: 1, status: "attached", alias: "live", namespace: "default" }),
      expect.objectContaining({ provider: "aws", functionName: "api", layerName: "cmdpub", version: 1, status: "attached", alias: "live", namespace: null }),
    ]);
  });

  it("--dry-run lists what would be attached in each target, and calls nothing", async () => {
    const before = JSON.stringify(emu.faults.counts());
    const input = { source: dir, name: "cmddry", runtime: ["python3.10"], provider: ["tencent,aws"], attach: ["api,worker"], namespace: "ns1", alias: "live", dryRun: true };
    const doc = await publishCommand(input, { env, log: silentLogger });
    expect(publishDocumentSchema.parse(doc)).toEqual(doc);
    expect(doc.results.map((r) => r.status)).toEqual(["planned", "planned"]);
    expect(doc.attachments).toBeUndefined();
    const planned = { layerName: "cmddry", publishVersion: true, alias: "live" };
    expect(doc.plannedAttachments).toEqual([
      { provider: "tencent", region: "ap-guangzhou", functionName: "api", namespace: "ns1", ...planned },
      { provider: "tencent", region: "ap-guangzhou", functionName: "worker", namespace: "ns1", ...planned },
      { provider: "aws", region: "us-east-1", functionName: "api", namespace: null, ...planned },
      { provider: "aws", region: "us-east-1", functionName: "worker", namespace: null, ...planned },
    ]);
    expect(JSON.stringify(emu.faults.counts())).toBe(before);

    // Without --alias or --publish-version no function version is planned; without --attach there is no such member.
    const bare = await publishCommand({ ...input, provider: ["aws"], attach: ["api"], namespace: undefined, alias: undefined }, { env, log: silentLogger });
    expect(bare.plannedAttachments).toEqual([
      { provider: "aws", region: "us-east-1", functionName: "api", namespace: null, layerName: "cmddry", publishVersion: false, alias: null },
    ]);
    expect("plannedAttachments" in (await publishCommand({ ...input, attach: [] }, { env, log: silentLogger }))).toBe(false);

    // For people: a table of the planned attachments under the planned versions.
    const table = await runCommand("publish", { ...input, region: ["us-east-1,eu-west-1"], provider: ["aws"], attach: ["api"] }, { env, format: "table" });
    expect(table.code).toBe(0);
    const rows = table.stdout.split("\n").filter((l) => / api /.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/))).toEqual([
      ["aws", "us-east-1", "api", "cmddry", "planned", "new", "live"],
      ["aws", "eu-west-1", "api", "cmddry", "planned", "new", "live"],
    ]);
    expect(JSON.stringify(emu.faults.counts())).toBe(before);
  });

  it("--dry-run with per-provider prefixes lists the planned attachments of every zip", async () => {
    const doc = await publishWithConfig(
      { cwd: dir, source: dir, name: "cmddryprefix", runtime: ["python3.10"], provider: ["tencent,aws"], prefix: "aws:python,tencent:", attach: ["api"], dryRun: true },
      { env, log: silentLogger },
      preparePublish,
    );
    expect(doc.archives).toHaveLength(2);
    expect(doc.plannedAttachments!.map((p) => [p.provider, p.functionName, p.publishVersion])).toEqual([
      ["tencent", "api", false],
      ["aws", "api", false],
    ]);
  });

  it("refuses --attach with --no-wait before anything is packed or sent", async () => {
    await expect(
      publishCommand({ source: dir, name: "x", runtime: ["python3.10"], provider: ["tencent"], attach: ["api"], wait: false }, { env, log: silentLogger }),
    ).rejects.toMatchObject({ code: "ConflictingOptions", exitCode: 2 });
  });

  it("checks every function of every target before publishing: a missing one is exit 2 and nothing is published", async () => {
    const before = { ...emu.faults.counts() };
    const err = await publishCommand(
      { source: dir, name: "cmdmissing", runtime: ["python3.10"], provider: ["aws,tencent"], attach: ["api,ghost"] },
      { env, log: silentLogger },
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).code).toBe("MissingFunction");
    expect((err as UsageError).message).toBe(
      "--attach: function ghost does not exist in aws us-east-1; function ghost does not exist in tencent ap-guangzhou; nothing was published",
    );
    const after = emu.faults.counts();
    for (const creating of ["aws:PublishLayerVersion", "tencent:PublishLayerVersion"]) expect(after[creating] ?? 0).toBe(before[creating] ?? 0);
  });

  it("a function with no room for the layer is found before publishing: exit 2, nothing published", async () => {
    const before = emu.faults.counts()["aws:PublishLayerVersion"] ?? 0;
    const err = await publishCommand({ source: dir, name: "cmdfull", runtime: ["python3.10"], provider: ["aws"], attach: ["api,full"] }, { env, log: silentLogger }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      code: "LayerLimitReached",
      exitCode: 2,
      message: "--attach: function full in aws us-east-1 already uses 5 layers, the most aws allows; nothing was published",
    });
    expect(emu.faults.counts()["aws:PublishLayerVersion"] ?? 0).toBe(before);
  });

  it("no churn: an attach that changes nothing publishes no function version and moves no alias (Tencent, Aliyun, AWS)", async () => {
    await publishCommand({ source: dir, name: "cmdchurn", runtime: ["python3.10"], provider: ["tencent,aliyun,aws"], prefix: "python" }, { env, log: silentLogger });
    const input = { layer: "cmdchurn:1", provider: ["tencent,aliyun,aws"], function: ["worker"], alias: "live" };
    const first = await attachCommand(input, { env, log: silentLogger });
    expect(first.results.map((r) => [r.provider, r.status, r.functionVersion !== null])).toEqual([
      ["tencent", "attached", true],
      ["aliyun", "attached", true],
      ["aws", "attached", true],
    ]);
    const writes = [
      "tencent:PublishVersion",
      "aliyun:PublishFunctionVersion",
      "aws:PublishVersion",
      "tencent:UpdateAlias",
      "aliyun:UpdateAlias",
      "aws:UpdateAlias",
      "tencent:CreateAlias",
      "aliyun:CreateAlias",
      "aws:CreateAlias",
    ];
    const counts = () => writes.map((w) => emu.faults.counts()[w] ?? 0);
    const before = counts();
    const again = await attachCommand(input, { env, log: silentLogger });
    expect(counts()).toEqual(before);
    // The same function versions and alias, reported as unchanged.
    expect(again.results.map((r) => [r.provider, r.status, r.functionVersion, r.alias])).toEqual(first.results.map((r) => [r.provider, "unchanged", r.functionVersion, "live"]));
  });
});
