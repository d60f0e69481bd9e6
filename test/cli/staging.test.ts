// Staging through object storage, with the CLI as the subject: exit codes, the one-line errors,
// stderr progress lines, and which SDK modules a run loads (the storage SDKs only when staging).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { publishDocumentSchema } from "../../src/record/output-schema.js";
import { tempDir } from "../helpers/archive.js";
import { REPO, runCli } from "../helpers/cli.js";
import { withBundleSources } from "../helpers/bundle-trace.js";
import { useEmulator } from "../helpers/emulator.js";

const PY_LAYER = path.join(REPO, "examples/layers/python-deps");
const STORAGE_SDKS = /@aws-sdk\/client-s3|cos-nodejs-sdk-v5|ali-oss/;

let emu: RunningEmulator;
let env: Record<string, string>;

useEmulator(
  {
    buckets: [
      { provider: "aws", name: "cli-layers", region: "us-east-1" },
      { provider: "tencent", name: "cli-layers-1250000000", region: "ap-guangzhou" },
      { provider: "aliyun", name: "cli-layers", region: "cn-hangzhou" },
    ],
  },
  (started) => {
    emu = started;
  },
);
beforeAll(async () => {
  env = emulatorEnv(emu.credentials, emu.url);
});
beforeEach(() => emu.faults.clear());

function calls(): number {
  return Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
}

async function traced(args: string[], extraEnv: Record<string, string> = {}) {
  const trace = path.join(await tempDir(), "trace");
  const r = await runCli(args, { nodeArgs: ["--import", path.join(REPO, "test/helpers/trace-imports.mjs")], env: { ...env, ...extraEnv, LAYERCTL_TRACE_IMPORTS: trace } });
  return { ...r, loaded: withBundleSources(await readFile(trace, "utf8")) };
}

/** Arguments of a JSON publish of the example layer to the three clouds through their stores (the Tencent bucket named; `extra` after). */
function stagedPublish(name: string, ...extra: string[]): string[] {
  return [
    "publish",
    PY_LAYER,
    "-p",
    "tencent,aws,aliyun",
    "-n",
    name,
    "--runtime",
    "python3.9",
    "--upload",
    "storage",
    "--output",
    "json",
    "--bucket",
    "tencent=cli-layers-1250000000",
    ...extra,
  ];
}

/** The stderr lines that are neither a warning nor a "staged" line: no SDK chatter may be among them. */
function otherStderrLines(stderr: string): string[] {
  return stderr
    .trimEnd()
    .split("\n")
    .filter((l) => !/^warning: /.test(l) && !/ staged /.test(l));
}

describe("staging from the command line", () => {
  it("an inline publish loads no storage SDK", async () => {
    const r = await traced(["publish", PY_LAYER, "-p", "tencent,aws,aliyun", "-n", "inlinetrace", "--runtime", "python3.9", "--output", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results.map((x: { upload: string }) => x.upload)).toEqual(["inline", "inline", "inline"]);
    expect(r.loaded).toMatch(/tencentcloud|@aws-sdk\/client-lambda/);
    expect(r.loaded).not.toMatch(STORAGE_SDKS);
  });

  it("a staged publish loads the storage SDKs, prints one line per target on stderr, and records where it staged", async () => {
    const r = await traced(stagedPublish("stagedcli"), { LAYERCTL_BUCKET_AWS: "cli-layers", LAYERCTL_BUCKET_ALIYUN: "aliyun:cn-hangzhou=cli-layers" });
    expect(r.code).toBe(0);
    // The document keeps its published schema (upload and staged included).
    const doc = publishDocumentSchema.parse(JSON.parse(r.stdout));
    for (const rec of doc.results) {
      expect(rec).toMatchObject({ status: "published", upload: "storage" });
      // The layer, its zip and something unique to the run: two runs never share a staged object.
      expect(rec.staged!.key).toMatch(new RegExp(`^layerctl/stagedcli/${doc.archive!.sha256}-[0-9a-f]{8}\\.zip$`));
    }
    expect(doc.results.map((x) => x.staged?.bucket)).toEqual(["cli-layers-1250000000", "cli-layers", "cli-layers"]);
    const staged = r.stderr.split("\n").filter((l) => / staged /.test(l));
    expect(staged).toHaveLength(3);
    // Nothing else: no SDK chatter (layout warnings aside).
    expect(otherStderrLines(r.stderr)).toEqual([]);
    expect(r.loaded).toMatch(/@aws-sdk\/client-s3/);
    expect(r.loaded).toMatch(/cos-nodejs-sdk-v5/);
    expect(r.loaded).toMatch(/ali-oss/);
  });

  it("keeps stderr to its own lines when the stores reset an upload and it is retried", async () => {
    for (const p of ["tencent", "aws", "aliyun"] as const) emu.faults.add({ provider: p, action: "PutObject", kind: "reset", times: 1 });
    const r = await runCli(stagedPublish("resetcli", "--bucket", "cli-layers"), { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results.map((x: { status: string }) => x.status)).toEqual(["published", "published", "published"]);
    expect(otherStderrLines(r.stderr)).toEqual([]);
    expect(emu.faults.counts()["aws:PutObject"]).toBeGreaterThanOrEqual(2);
  });

  it("per-provider prefixes publish in groups, each taking only its own providers' buckets", async () => {
    const r = await runCli(
      [
        "publish",
        PY_LAYER,
        "-p",
        "aws,tencent",
        "-n",
        "grouped",
        "--runtime",
        "python3.9",
        "--prefix",
        "aws:python",
        "--upload",
        "storage",
        "--bucket",
        "tencent=cli-layers-1250000000",
        "--bucket",
        "aws=cli-layers",
        "--dry-run",
        "--output",
        "json",
      ],
      { env },
    );
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout).results as Array<{ provider: string; staged: { bucket: string } }>;
    expect(Object.fromEntries(results.map((x) => [x.provider, x.staged.bucket]))).toEqual({ aws: "cli-layers", tencent: "cli-layers-1250000000" });
  });

  it("over the inline limit with no bucket: exit 2, one line naming --bucket and the variable, no call", async () => {
    const before = calls();
    const r = await runCli(["publish", PY_LAYER, "-p", "aws", "-n", "nobucket", "--runtime", "python3.9", "--upload", "storage"], { env });
    expect(r.code).toBe(2);
    const lines = r.stderr
      .trimEnd()
      .split("\n")
      .filter((l) => !l.startsWith("warning:"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^layerctl: .*--bucket.*LAYERCTL_BUCKET_AWS/);
    expect(calls()).toBe(before);
  });

  it("refuses a Tencent bucket without its APPID suffix before any call", async () => {
    const before = calls();
    const r = await runCli(["publish", PY_LAYER, "-p", "tencent", "-n", "noappid", "--runtime", "python3.9", "--upload", "storage", "--bucket", "tencent=layers"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/APPID/);
    expect(calls()).toBe(before);
  });

  it("--upload rejects an unknown mode", async () => {
    const bad = await runCli(["publish", PY_LAYER, "-p", "aws", "-n", "x", "--runtime", "python3.9", "--upload", "sideways"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("sideways");
  });

  it("--emulator serves the stores too (buckets exist on first use) and --dry-run says which way each target goes", async () => {
    const dry = await runCli(
      ["publish", PY_LAYER, "-p", "aws,aliyun", "-n", "dry", "--runtime", "python3.9", "--upload", "storage", "--bucket", "aws=dry-{region}", "--dry-run", "--output", "json"],
      { env },
    );
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.stdout).results;
    expect(planned[0]).toMatchObject({ status: "planned", upload: "storage", staged: { bucket: "dry-us-east-1" } });
    expect(planned[1]).toMatchObject({ status: "planned", upload: "storage" });

    const r = await runCli(
      ["publish", PY_LAYER, "-p", "aws", "-n", "emustage", "--runtime", "python3.9", "--upload", "storage", "--bucket", "emu-layers", "--emulator", "--output", "json"],
      {
        env: { HOME: "/nonexistent-layerctl-home" },
      },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ status: "published", upload: "storage", staged: { bucket: "emu-layers" } });
  });
});
