// Config, record and schema commands as a process: exit codes, one stderr line, the documents on stdout
// validating against the published schemas.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { start, emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { attachDocumentSchema, layerDocumentSchema, publishDocumentSchema } from "../../src/record/output-schema.js";
import { recordFileSchema } from "../../src/record/schema.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/archive.js";

let emu: RunningEmulator;
let env: Record<string, string>;
let root: string;

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0, functionUpdateDelayMs: 0, functions: [{ name: "api" }] });
  env = emulatorEnv(emu.credentials, emu.url);
  root = await tempDir("layerctl-cli-config-");
  await mkdir(path.join(root, "deps/python"), { recursive: true });
  await writeFile(path.join(root, "deps/python/mod.py"), "x = 1\n");
  await writeFile(
    path.join(root, ".layerctlrc.yaml"),
    [
      "layers:",
      "  - name: clideps",
      "    dir: deps",
      "    runtimes: [python3.10]",
      "    providers: [aws, aliyun]",
      "    record: out/layers.lock.json",
      "    attach: {functions: [api]}",
      "",
    ].join("\n"),
  );
  await mkdir(path.join(root, "out"));
});
afterAll(async () => {
  await emu?.close();
});

describe("publish from the config (process)", () => {
  it("publishes every configured layer, writes the record, and the document matches the output schema", async () => {
    const r = await runCli(["publish", "--output", "json"], { env, cwd: path.join(root, "deps") });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = publishDocumentSchema.parse(JSON.parse(r.stdout));
    expect(doc.results.map((x) => [x.provider, x.layerName, x.version])).toEqual([
      ["aws", "clideps", 1],
      ["aliyun", "clideps", 1],
    ]);
    expect(doc.attachments!.map((a) => [a.provider, a.functionName, a.status])).toEqual([
      ["aws", "api", "attached"],
      ["aliyun", "api", "attached"],
    ]);
    expect(doc.recordFiles).toEqual([path.join(root, "out/layers.lock.json")]);
    const record = recordFileSchema.parse(JSON.parse(await readFile(path.join(root, "out/layers.lock.json"), "utf8")));
    expect(record.layers.clideps!.aws!["us-east-1"]!.version).toBe(1);
  });

  it("a schema error is exit 2 with one line naming the file and key, and no call", async () => {
    const bad = await tempDir();
    await writeFile(path.join(bad, "layerctl.config.json"), JSON.stringify({ layers: [{ name: "x", dir: ".", runtimes: "python3.10" }] }));
    const before = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
    const r = await runCli(["publish", "-p", "aws"], { env, cwd: bad });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^layerctl: layerctl\.config\.json: layers\[0\] \(x\) runtimes: expected a list of runtime ids/)]);
    expect(Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0)).toBe(before);
  });

  it("no source and no config is exit 2", async () => {
    const r = await runCli(["publish", "-p", "aws"], { env, cwd: await tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^layerctl: no layer directory given and no config file found; give a directory/);
  });
});

describe("record merge and schema (process)", () => {
  it("a conflict is exit 1 naming the target; -o writes the merged file", async () => {
    const dir = await tempDir();
    const entry = (version: number) => ({ version, arn: null, codeSha256: null, status: "published", time: "2026-01-01T00:00:00.000Z" });
    await writeFile(path.join(dir, "a.json"), JSON.stringify({ format: 1, layers: { deps: { tencent: { "ap-guangzhou": entry(1) } } } }));
    await writeFile(path.join(dir, "b.json"), JSON.stringify({ format: 1, layers: { deps: { tencent: { "ap-guangzhou": entry(2) } } } }));
    await writeFile(path.join(dir, "c.json"), JSON.stringify({ format: 1, layers: { deps: { aws: { "us-east-1": entry(4) } } } }));
    const conflict = await runCli(["record", "merge", "a.json", "b.json"], { env, cwd: dir });
    expect(conflict.code).toBe(1);
    expect(conflict.stdout).toBe("");
    expect(conflict.stderr).toMatch(/^layerctl: RecordConflict: records conflict on deps tencent ap-guangzhou: version 1 in a\.json, version 2 in b\.json/);
    const ok = await runCli(["record", "merge", "a.json", "c.json", "-o", "all.json"], { env, cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe("");
    expect(JSON.parse(await readFile(path.join(dir, "all.json"), "utf8")).layers.deps).toMatchObject({
      tencent: { "ap-guangzhou": { version: 1 } },
      aws: { "us-east-1": { version: 4 } },
    });
  });

  it("schema output names every document; get and attach documents validate against it", async () => {
    const schema = JSON.parse((await runCli(["schema", "output"], { env })).stdout);
    expect(Object.keys(schema.$defs)).toEqual([
      "publishDocument",
      "layerDocument",
      "functionDocument",
      "attachDocument",
      "versionActionDocument",
      "layerSummaryDocument",
      "shareDocument",
      "providersDocument",
      "packDocument",
      "statusDocument",
      "downloadDocument",
      "copyDocument",
      "checkDocument",
      "buildDocument",
      "recordFile",
    ]);
    const got = await runCli(["get", "clideps", "1", "-p", "aws", "--output", "json"], { env });
    expect(layerDocumentSchema.safeParse(JSON.parse(got.stdout)).success).toBe(true);
    const att = await runCli(["attach", "clideps:1", "-f", "api", "-p", "aws", "--output", "json"], { env });
    expect(attachDocumentSchema.safeParse(JSON.parse(att.stdout)).success).toBe(true);
  });
});
