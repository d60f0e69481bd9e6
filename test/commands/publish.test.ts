// publish, get, versions and publish-function in-process, through the command table (the same
// run, render and failures as the CLI): documents, records, warnings, errors and exit codes.
// What only a process can show (exit status, signals, secrets, a terminal) is in test/cli/.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { REPO } from "../helpers/cli.js";
import { runCommand } from "../helpers/invoke.js";
import { tempDir } from "../helpers/archive.js";
import { expectOneLineError } from "../helpers/cli-expect.js";
import { sharedEmulator } from "../helpers/shared-emulator.js";
import { RECORD_KEYS } from "../helpers/record-keys.js";

const PY_LAYER = path.join(REPO, "examples/layers/python-deps");

const shared = sharedEmulator();

const publish = (input: Record<string, unknown>, opts: { env?: Record<string, string | undefined>; format?: string } = {}) =>
  runCommand("publish", { source: PY_LAYER, ...input }, { env: shared.env(), ...opts });

describe("publish", () => {
  it("prints exactly one JSON document with the archive and one record per target", async () => {
    const r = await publish({ provider: ["tencent,aws,aliyun"], name: "jsondoc", runtime: ["python3.9"] });
    expect(r.code).toBe(0);
    // The example is laid out for Tencent (packages at the root): AWS and Aliyun warn, on stderr only.
    const warnings = r.stderr.trimEnd().split("\n");
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^warning: aws: .*--prefix python$/);
    expect(warnings[1]).toMatch(/^warning: aliyun: .*--prefix python$/);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["archive", "results"]);
    expect(doc.archive).toMatchObject({ fileCount: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(doc.results.map((x: { provider: string }) => x.provider)).toEqual(["tencent", "aws", "aliyun"]);
    for (const rec of doc.results) {
      expect(rec).toMatchObject({ layerName: "jsondoc", version: 1, status: "published", state: "Active", codeSha256: doc.archive.sha256, codeSize: doc.archive.zipBytes });
      expect(Object.keys(rec)).toEqual(expect.arrayContaining(RECORD_KEYS));
    }
  });

  it("--output version prints only the version numbers, one line per target", async () => {
    const input = { prefix: "python", provider: ["aws"], name: "vers", runtime: ["python3.12"] };
    expect((await publish(input, { format: "version" })).stdout).toBe("1\n");
    const second = await publish(input, { format: "version" });
    expect(second.stdout).toBe("2\n");
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
  });

  it("--output env prints KEY=value lines for scripts and Makefiles", async () => {
    const r = await publish({ provider: ["aliyun"], name: "envout", runtime: ["python3.10"] }, { format: "env" });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    for (const l of lines) expect(l).toMatch(/^[A-Z0-9_]+=[^\s"'$`\\]*$/);
    expect(lines).toContain("LAYERCTL_VERSION=1");
    expect(lines).toContain("LAYERCTL_PROVIDER=aliyun");
    expect(lines).toContain("LAYERCTL_ALIYUN_CN_HANGZHOU_VERSION=1");
    expect(lines.find((l) => l.startsWith("LAYERCTL_ARN="))).toMatch(/^LAYERCTL_ARN=acs:fc:cn-hangzhou:\d+:layers\/envout\/versions\/1$/);
  });

  it("--output table shows the archive and the version for people", async () => {
    const r = await publish({ provider: ["tencent"], name: "tbl", runtime: ["python3.9"] }, { format: "table" });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sha256\s+[0-9a-f]{64}/);
    expect(r.stdout).toMatch(/PROVIDER\s+REGION\s+LAYER\s+VERSION/);
    expect(r.stdout).toMatch(/tencent\s+ap-guangzhou\s+tbl\s+1\s+published\s+Active/);
  });

  it("runs against the embedded emulator with --emulator and no credentials at all", async () => {
    const r = await publish({ provider: ["tencent"], name: "deps", runtime: ["python3.9"], emulator: true }, { env: {} });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ version: 1, status: "published", state: "Active" });
    expect(r.stderr).toContain("embedded emulator");
  });

  it("--dry-run validates and packs but calls nothing", async () => {
    const before = shared.calls();
    const r = await publish({ provider: ["tencent,aws"], name: "dry", runtime: ["python3.9"], dryRun: true });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results.map((x: { status: string; version: null }) => [x.status, x.version])).toEqual([
      ["planned", null],
      ["planned", null],
    ]);
    expect(shared.calls()).toBe(before);
  });

  it("--dry-run needs no credentials (a PR pipeline without secrets) and says what it did not check", async () => {
    const input = { provider: ["tencent,aws"], name: "dry", runtime: ["python3.9"] };
    const r = await publish({ ...input, dryRun: true }, { env: {}, format: "version" });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("tencent ap-guangzhou planned\naws us-east-1 planned\n");
    const lines = r.stderr.split("\n").filter((l) => l.includes("dry run"));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/dry run: no Tencent Cloud credentials.*credentials and the connection set-up were not/);
    expect(lines[1]).toMatch(/dry run: no AWS credentials/);
    // without --dry-run, one error names both
    const real = await publish(input, { env: {}, format: "table" });
    expect(real.code).toBe(2);
    expectOneLineError(real.stderr, "Tencent Cloud", "AWS");
  });

  it("--skip-unchanged reports the existing version instead of publishing the same zip again", async () => {
    const input = { provider: ["aws"], name: "same", runtime: ["python3.12"], skipUnchanged: true };
    expect(JSON.parse((await publish(input)).stdout).results[0]).toMatchObject({ version: 1, status: "published" });
    expect(JSON.parse((await publish(input)).stdout).results[0]).toMatchObject({ version: 1, status: "unchanged" });
    // description and license are not compared: a build number in the description still skips
    expect(JSON.parse((await publish({ ...input, description: "build 42", license: "MIT" })).stdout).results[0]).toMatchObject({ version: 1, status: "unchanged" });
    // other runtimes are a change: a new version
    expect(JSON.parse((await publish({ ...input, runtime: [...input.runtime, "python3.11"] })).stdout).results[0]).toMatchObject({ version: 2, status: "published" });
  });

  // The fewest round trips each cloud allows: Tencent and AWS list items carry no checksum, so the
  // newest version is read (list, then get); Aliyun's list items carry the CRC-64 and size.
  it("an unchanged re-run makes two calls per Tencent and AWS target and one per Aliyun target", async () => {
    const input = { provider: ["tencent,aws,aliyun"], name: "rerun", runtime: ["python3.10"], skipUnchanged: true };
    expect((await publish(input)).code).toBe(0);
    const before = shared.emu().faults.counts();
    const again = JSON.parse((await publish(input)).stdout);
    expect(again.results.map((r: { status: string }) => r.status)).toEqual(["unchanged", "unchanged", "unchanged"]);
    const after = shared.emu().faults.counts();
    const made = Object.fromEntries(
      Object.entries(after)
        .filter(([k, v]) => v !== (before[k] ?? 0))
        .map(([k, v]) => [k, v - (before[k] ?? 0)]),
    );
    expect(made).toEqual({
      "tencent:ListLayerVersions": 1,
      "tencent:GetLayerVersion": 1,
      "aws:ListLayerVersions": 1,
      "aws:GetLayerVersion": 1,
      "aliyun:ListLayerVersions": 1,
    });
  });

  it("publishes an existing .zip as it is", async () => {
    const dir = await tempDir();
    const zip = path.join(dir, "given.zip");
    const packed = await runCommand("pack", { dir: PY_LAYER, out: zip });
    expect(packed.code).toBe(0);
    const r = await runCommand("publish", { source: zip, provider: ["aws"], name: "fromzip", runtime: ["python3.12"] }, { env: shared.env() });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.archive.sha256).toBe(JSON.parse(packed.stdout).sha256);
    expect(doc.results[0].codeSha256).toBe(doc.archive.sha256);
  });

  it("warns on stderr (not stdout) when the layout does not match the runtime", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "mod.py"), "x = 1\n");
    const r = await runCommand("publish", { source: dir, provider: ["aws"], name: "flat", runtime: ["python3.12"] }, { env: shared.env(), format: "version" });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("1\n");
    expect(r.stderr).toMatch(/warning: .*--prefix python/);
  });
});

describe("read back", () => {
  it("get and versions print the same record shape", async () => {
    await publish({ provider: ["tencent"], name: "readback", runtime: ["python3.9"] }, { format: "version" });
    await publish({ provider: ["tencent"], name: "readback", runtime: ["python3.9"] }, { format: "version" });
    const got = await runCommand("get", { name: "readback", version: "2", provider: ["tencent"] }, { env: shared.env() });
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout).results[0]).toMatchObject({ provider: "tencent", layerName: "readback", version: 2, state: "Active" });
    const list = await runCommand("versions", { name: "readback", provider: ["tencent"] }, { env: shared.env(), format: "version" });
    expect(list.stdout).toBe("2\n1\n");
  });

  it("publish-function publishes a function version", async () => {
    const r = await runCommand("publish-function", { functionName: "api", provider: ["tencent,aws,aliyun"], description: "rel" }, { env: shared.env() });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { functionName: string; version: string }) => [x.functionName, x.version])).toEqual([
      ["api", "1"],
      ["api", "1"],
      ["api", "1"],
    ]);
  });
});

describe("bad input: one line, exit 2, no call made", () => {
  const AWS_RUNTIMES = [
    "python3.9",
    "python3.10",
    "python3.11",
    "python3.12",
    "nodejs18.x",
    "nodejs20.x",
    "java8",
    "java11",
    "java17",
    "java21",
    "provided.al2",
    "provided.al2023",
    "ruby3.2",
    "nodejs16.x",
    "python3.8",
    "java8.al2",
  ];
  const cases: Array<[string, Record<string, unknown>, Record<string, string | undefined>, string[]]> = [
    ["unknown provider", { provider: ["gcp"] }, {}, ['unknown provider "gcp"', "tencent"]],
    ["bad layer name", { provider: ["tencent"], name: "9bad-" }, {}, ["invalid layer name", "9bad-"]],
    ["unknown runtime", { provider: ["aws"], runtime: ["python3.9", "cobol85"] }, {}, ["cobol85", "python3.12"]],
    ["too many runtimes", { provider: ["aws"], runtime: ["python3.9", AWS_RUNTIMES.join(",")] }, {}, ["16 runtimes", "at most 15"]],
    ["malformed endpoint", { provider: ["aws"], endpoint: "not a url" }, {}, ["--endpoint", "not a URL"]],
    ["a region without the provider's region shape", { provider: ["tencent"], region: ["mars-north-1"] }, {}, ['unknown tencent region "mars-north-1"']],
    ["a timeout that is not a number", { provider: ["aws"], timeout: "abc" }, {}, ["--timeout", '"abc"']],
    ["a timeout too long for timers", { provider: ["aws"], timeout: "3000000" }, {}, ["--timeout", "86400"]],
    ["a concurrency of zero", { provider: ["aws"], concurrency: "0" }, {}, ["--concurrency", '"0"']],
    [
      "missing credentials",
      { provider: ["tencent"] },
      { TENCENTCLOUD_SECRET_ID: undefined, TENCENTCLOUD_SECRET_KEY: undefined },
      ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"],
    ],
    // (Without ALIBABA_CLOUD_ACCOUNT_ID the public endpoint's account id is asked of STS
    // GetCallerIdentity: test/conformance/credentials.test.ts.)
  ];

  it.each(cases)("%s", async (_label, input, envPatch, parts) => {
    const before = shared.calls();
    // As `publish <layer> -n okname --runtime python3.9 ...`: a repeated --runtime adds to the list.
    const r = await publish({ name: "okname", runtime: ["python3.9"], ...input }, { env: { ...shared.env(), ...envPatch } });
    expect(r.stdout).toBe("");
    expectOneLineError(r.stderr, ...parts);
    expect(r.code).toBe(2);
    expect(shared.calls()).toBe(before);
  });

  it("a zip with no files, and a zip whose paths climb out of the layer", async () => {
    const dir = await tempDir();
    const empty = path.join(dir, "empty.zip");
    await writeFile(empty, Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]));
    const evil = path.join(dir, "evil.zip");
    execFileSync("python3", ["-c", "import zipfile,sys\nwith zipfile.ZipFile(sys.argv[1],'w') as z: z.writestr('../../etc/evil','x')", evil]);
    const before = shared.calls();
    for (const [zip, part] of [
      [empty, "holds no files"],
      [evil, 'unsafe path "../../etc/evil"'],
    ]) {
      const r = await runCommand("publish", { source: zip, provider: ["aws"], name: "zips", runtime: ["python3.12"] }, { env: shared.env(), format: "table" });
      expect(r.code).toBe(2);
      expectOneLineError(r.stderr, part!);
    }
    expect(shared.calls()).toBe(before);
  });

  it("with --emulator too, a mistake is the only line on stderr", async () => {
    const r = await publish({ provider: ["tencent"], name: "x", runtime: ["python3.12"], emulator: true }, { env: {}, format: "table" });
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, 'tencent has no runtime "python3.12"', "Python3.10");
  });

  it("a region for a provider that is not selected", async () => {
    const r = await publish({ provider: ["aws"], region: ["aws:eu-west-1,aliyun:cn-shanghai"], name: "x", runtime: ["python3.12"] }, { format: "table" });
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, "aliyun:cn-shanghai", "not among the selected providers");
  });

  it("a zip over the provider's inline limit", async () => {
    const dir = await tempDir();
    const big = path.join(dir, "big");
    await mkdir(big);
    // Random bytes do not compress: a stored zip just over Tencent's limit.
    const { tencentProvider } = await import("../../src/providers/tencent/index.js");
    await writeFile(path.join(big, "blob.bin"), randomBytes(tencentProvider.limits.maxZipBytes + 1024));
    const zip = path.join(dir, "big.zip");
    execFileSync("zip", ["-0", "-q", "-j", zip, path.join(big, "blob.bin")]);
    const before = shared.calls();
    const r = await runCommand("publish", { source: zip, provider: ["tencent"], name: "big", runtime: ["python3.9"], upload: "inline" }, { env: shared.env(), format: "table" });
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, "bytes", "tencent", "documented", "50 MB");
    // By default such a zip is staged in COS, which needs a bucket: still one line, before any call.
    const auto = await runCommand("publish", { source: zip, provider: ["tencent"], name: "big", runtime: ["python3.9"] }, { env: shared.env(), format: "table" });
    expect(auto.code).toBe(2);
    expectOneLineError(auto.stderr, "bytes", "tencent", "COS", "--bucket", "LAYERCTL_BUCKET_TENCENT");
    expect(shared.calls()).toBe(before);
  });
});

describe("cloud failures", () => {
  it("--output version prints nothing when a target failed", async () => {
    shared.emu().faults.add({ provider: "aws", action: "*", kind: "server-error" });
    const r = await publish({ provider: ["tencent,aws"], name: "partialv", runtime: ["python3.9"] }, { format: "version" });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
  });
});

describe("lost answers and partial failures", () => {
  it.each([
    ["tencent", "PublishLayerVersion", "python3.9", {}],
    ["aws", "PublishLayerVersion", "python3.12", { prefix: "python" }],
    ["aliyun", "CreateLayerVersion", "python3.10", { prefix: "python" }],
  ])("%s: a publish whose answer is lost reports the version it created, without a duplicate", async (provider, action, runtime, extra) => {
    const name = `lost${provider}`;
    shared.emu().faults.add({ provider: provider as "tencent", action, kind: "lost-response", times: 1 });
    const r = await publish({ ...extra, provider: [provider], name, runtime: [runtime] });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ version: 1, status: "published" });
    expect(r.stderr).toMatch(/^warning: .*answer to the publish was lost.*version 1 holds exactly this zip/m);
    const list = await runCommand("versions", { name, provider: [provider] }, { env: shared.env(), format: "version" });
    expect(list.stdout).toBe("1\n");
  });

  it("--timeout bounds a target: no retry starts after it, and the error says a version may exist", async () => {
    shared.emu().faults.add({ provider: "*", action: "*", kind: "hang" });
    const t0 = Date.now();
    const r = await publish({ provider: ["tencent"], name: "hangs", runtime: ["python3.10"], timeout: "1" }, { format: "table" });
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr, "RequestTimeout", "a version may exist", "layerctl versions hangs");
    // one request timeout plus start-up; without the deadline this took 4 attempts and a lookup (> 8 s)
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it("get, versions and publish-function report each target, failed ones included", async () => {
    await publish({ provider: ["tencent"], name: "partialread", runtime: ["python3.9"] }, { format: "version" });
    shared.emu().faults.add({ provider: "aws", action: "*", kind: "server-error" });
    const got = await runCommand("get", { name: "partialread", version: "1", provider: ["tencent,aws"], timeout: "5" }, { env: shared.env() });
    expect(got.code).toBe(1);
    const doc = JSON.parse(got.stdout);
    expect(doc.results.map((x: { provider: string; status: string; version: number }) => [x.provider, x.status, x.version])).toEqual([
      ["tencent", "published", 1],
      ["aws", "failed", 1],
    ]);
    expectOneLineError(got.stderr, "aws us-east-1", "ServiceException", "request id");

    const fn = await runCommand("publish-function", { functionName: "api", provider: ["tencent,aws"] }, { env: shared.env() });
    expect(fn.code).toBe(1);
    const fdoc = JSON.parse(fn.stdout);
    expect(fdoc.results[0]).toMatchObject({ provider: "tencent", functionName: "api", version: expect.stringMatching(/^\d+$/) });
    expect(fdoc.results[1]).toMatchObject({ provider: "aws", version: null, error: { code: "ServiceException" } });
    expectOneLineError(fn.stderr, "aws us-east-1", "ServiceException");
  });
});
