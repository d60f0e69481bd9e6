// The CLI as a process: stdout holds exactly the document, stderr the rest, exit codes as documented,
// and no secret from the environment ever shows.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { start, emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { BIN, baseEnv, runCli, REPO } from "../helpers/cli.js";
import { tempDir } from "../helpers/archive.js";

const PY_LAYER = path.join(REPO, "examples/layers/python-deps");
const SECRET = "sekrit-value-that-must-never-show-9f8e7d";

let emu: RunningEmulator;
let env: Record<string, string>;

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0, functions: [{ name: "api" }] });
  env = emulatorEnv(emu.credentials, emu.url);
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => emu.faults.clear());

function calls(): number {
  return Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
}

function expectOneLineError(stderr: string, ...parts: string[]): void {
  const lines = stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^layerctl: /);
  for (const p of parts) expect(lines[0]).toContain(p);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe("publish", () => {
  it("prints exactly one JSON document with the archive and one record per target", async () => {
    const r = await runCli(["publish", PY_LAYER, "-p", "tencent,aws,aliyun", "-n", "jsondoc", "--runtime", "python3.9", "--output", "json"], { env });
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
      expect(Object.keys(rec)).toEqual(
        expect.arrayContaining(["provider", "region", "layerName", "version", "arn", "status", "state", "codeSha256", "codeSize", "compatibleRuntimes", "compatibleArchitectures", "description", "license", "createdAt", "location", "requestId"]),
      );
    }
  });

  it("--output version prints only the version numbers, one line per target", async () => {
    const args = ["publish", PY_LAYER, "--prefix", "python", "-p", "aws", "-n", "vers", "--runtime", "python3.12", "--output", "version"];
    expect((await runCli(args, { env })).stdout).toBe("1\n");
    const second = await runCli(args, { env });
    expect(second.stdout).toBe("2\n");
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
  });

  it("--output env prints KEY=value lines for scripts and Makefiles", async () => {
    const r = await runCli(["publish", PY_LAYER, "-p", "aliyun", "-n", "envout", "--runtime", "python3.10", "--output", "env"], { env });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    for (const l of lines) expect(l).toMatch(/^[A-Z0-9_]+=[^\s"'$`\\]*$/);
    expect(lines).toContain("LAYERCTL_VERSION=1");
    expect(lines).toContain("LAYERCTL_PROVIDER=aliyun");
    expect(lines).toContain("LAYERCTL_ALIYUN_CN_HANGZHOU_VERSION=1");
    expect(lines.find((l) => l.startsWith("LAYERCTL_ARN="))).toMatch(/^LAYERCTL_ARN=acs:fc:cn-hangzhou:\d+:layers\/envout\/versions\/1$/);
  });

  it("--output table shows the archive and the version for people", async () => {
    const r = await runCli(["publish", PY_LAYER, "-p", "tencent", "-n", "tbl", "--runtime", "python3.9", "--output", "table"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sha256\s+[0-9a-f]{64}/);
    expect(r.stdout).toMatch(/PROVIDER\s+REGION\s+LAYER\s+VERSION/);
    expect(r.stdout).toMatch(/tencent\s+ap-guangzhou\s+tbl\s+1\s+published\s+Active/);
  });

  it("runs against the embedded emulator with --emulator and no credentials at all", async () => {
    const r = await runCli(["publish", PY_LAYER, "-p", "tencent", "-n", "deps", "--runtime", "python3.9", "--emulator", "--output", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ version: 1, status: "published", state: "Active" });
    expect(r.stderr).toContain("embedded emulator");
  });

  it("--dry-run validates and packs but calls nothing", async () => {
    const before = calls();
    const r = await runCli(["publish", PY_LAYER, "-p", "tencent,aws", "-n", "dry", "--runtime", "python3.9", "--dry-run", "--output", "json"], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results.map((x: { status: string; version: null }) => [x.status, x.version])).toEqual([
      ["planned", null],
      ["planned", null],
    ]);
    expect(calls()).toBe(before);
  });

  it("--dry-run needs no credentials (a PR pipeline without secrets) and says what it did not check", async () => {
    const r = await runCli(["publish", PY_LAYER, "-p", "tencent,aws", "-n", "dry", "--runtime", "python3.9", "--dry-run", "--output", "version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("tencent ap-guangzhou planned\naws us-east-1 planned\n");
    const lines = r.stderr.split("\n").filter((l) => l.includes("dry run"));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/dry run: no Tencent Cloud credentials.*credentials and the connection set-up were not/);
    expect(lines[1]).toMatch(/dry run: no AWS credentials/);
    // without --dry-run, one error names both
    const real = await runCli(["publish", PY_LAYER, "-p", "tencent,aws", "-n", "dry", "--runtime", "python3.9"]);
    expect(real.code).toBe(2);
    expectOneLineError(real.stderr, "Tencent Cloud", "AWS");
  });

  it("--skip-unchanged reports the existing version instead of publishing the same zip again", async () => {
    const args = ["publish", PY_LAYER, "-p", "aws", "-n", "same", "--runtime", "python3.12", "--skip-unchanged", "--output", "json"];
    expect(JSON.parse((await runCli(args, { env })).stdout).results[0]).toMatchObject({ version: 1, status: "published" });
    expect(JSON.parse((await runCli(args, { env })).stdout).results[0]).toMatchObject({ version: 1, status: "unchanged" });
    // description and license are not compared: a build number in the description still skips
    expect(JSON.parse((await runCli([...args, "--description", "build 42", "--license", "MIT"], { env })).stdout).results[0]).toMatchObject({ version: 1, status: "unchanged" });
    // other runtimes are a change: a new version
    expect(JSON.parse((await runCli([...args, "--runtime", "python3.11"], { env })).stdout).results[0]).toMatchObject({ version: 2, status: "published" });
  });

  it("publishes an existing .zip as it is", async () => {
    const dir = await tempDir();
    const zip = path.join(dir, "given.zip");
    const packed = await runCli(["pack", PY_LAYER, "-o", zip, "--output", "json"]);
    expect(packed.code).toBe(0);
    const r = await runCli(["publish", zip, "-p", "aws", "-n", "fromzip", "--runtime", "python3.12", "--output", "json"], { env });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.archive.sha256).toBe(JSON.parse(packed.stdout).sha256);
    expect(doc.results[0].codeSha256).toBe(doc.archive.sha256);
  });

  it("warns on stderr (not stdout) when the layout does not match the runtime", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "mod.py"), "x = 1\n");
    const r = await runCli(["publish", dir, "-p", "aws", "-n", "flat", "--runtime", "python3.12", "--output", "version"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("1\n");
    expect(r.stderr).toMatch(/warning: .*--prefix python/);
  });
});

describe("read back", () => {
  it("get and versions print the same record shape", async () => {
    await runCli(["publish", PY_LAYER, "-p", "tencent", "-n", "readback", "--runtime", "python3.9", "--output", "version"], { env });
    await runCli(["publish", PY_LAYER, "-p", "tencent", "-n", "readback", "--runtime", "python3.9", "--output", "version"], { env });
    const got = await runCli(["get", "readback", "2", "-p", "tencent", "--output", "json"], { env });
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout).results[0]).toMatchObject({ provider: "tencent", layerName: "readback", version: 2, state: "Active" });
    const list = await runCli(["versions", "readback", "-p", "tencent", "--output", "version"], { env });
    expect(list.stdout).toBe("2\n1\n");
  });

  it("publish-function publishes a function version", async () => {
    const r = await runCli(["publish-function", "api", "-p", "tencent,aws,aliyun", "--description", "rel", "--output", "json"], { env });
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
  const cases: Array<[string, string[], Record<string, string | undefined>, string[]]> = [
    ["unknown provider", ["-p", "gcp"], {}, ["unknown provider \"gcp\"", "tencent"]],
    ["bad layer name", ["-p", "tencent", "-n", "9bad-"], {}, ["invalid layer name", "9bad-"]],
    ["unknown runtime", ["-p", "aws", "--runtime", "cobol85"], {}, ["cobol85", "python3.12"]],
    ["too many runtimes", ["-p", "aws", "--runtime", Array(16).fill(0).map((_, i) => ["python3.9", "python3.10", "python3.11", "python3.12", "nodejs18.x", "nodejs20.x", "java8", "java11", "java17", "java21", "provided.al2", "provided.al2023", "ruby3.2", "nodejs16.x", "python3.8", "java8.al2"][i]).join(",")], {}, ["16 runtimes", "at most 15"]],
    ["malformed endpoint", ["-p", "aws", "--endpoint", "not a url"], {}, ["--endpoint", "not a URL"]],
    ["unknown region", ["-p", "tencent", "-r", "mars-north-1"], {}, ["unknown tencent region", "mars-north-1"]],
    ["a timeout that is not a number", ["-p", "aws", "--timeout", "abc"], {}, ["--timeout", "\"abc\""]],
    ["a timeout too long for timers", ["-p", "aws", "--timeout", "3000000"], {}, ["--timeout", "86400"]],
    ["missing credentials", ["-p", "tencent"], { TENCENTCLOUD_SECRET_ID: undefined, TENCENTCLOUD_SECRET_KEY: undefined }, ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"]],
    // Without an endpoint override, the public endpoint needs the account id.
    ["missing aliyun account id", ["-p", "aliyun"], { LAYERCTL_ENDPOINT_ALIYUN: undefined, ALIBABA_CLOUD_ACCOUNT_ID: undefined }, ["ALIBABA_CLOUD_ACCOUNT_ID"]],
  ];

  it.each(cases)("%s", async (_label, args, envPatch, parts) => {
    const before = calls();
    const base = ["publish", PY_LAYER, "-n", "okname", "--runtime", "python3.9"];
    const r = await runCli([...base, ...args], { env: { ...env, ...envPatch } });
    expect(r.stdout).toBe("");
    expectOneLineError(r.stderr, ...parts);
    expect(r.code).toBe(2);
    expect(calls()).toBe(before);
  });

  it("a zip with no files, and a zip whose paths climb out of the layer", async () => {
    const dir = await tempDir();
    const empty = path.join(dir, "empty.zip");
    await writeFile(empty, Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]));
    const evil = path.join(dir, "evil.zip");
    execFileSync("python3", ["-c", "import zipfile,sys\nwith zipfile.ZipFile(sys.argv[1],'w') as z: z.writestr('../../etc/evil','x')", evil]);
    const before = calls();
    for (const [zip, part] of [[empty, "holds no files"], [evil, 'unsafe path "../../etc/evil"']]) {
      const r = await runCli(["publish", zip!, "-p", "aws", "-n", "zips", "--runtime", "python3.12"], { env });
      expect(r.code).toBe(2);
      expectOneLineError(r.stderr, part!);
    }
    expect(calls()).toBe(before);
  });

  it("with --emulator too, a mistake is the only line on stderr", async () => {
    const r = await runCli(["publish", PY_LAYER, "-p", "tencent", "-n", "x", "--runtime", "python3.12", "--emulator"]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, 'tencent has no runtime "python3.12"', "Python3.10");
  });

  it("a region for a provider that is not selected", async () => {
    const r = await runCli(["publish", PY_LAYER, "-p", "aws", "-r", "aws:eu-west-1,aliyun:cn-shanghai", "-n", "x", "--runtime", "python3.12"], { env });
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, "aliyun:cn-shanghai", "not among the selected providers");
  });

  it("a missing directory", async () => {
    const r = await runCli(["publish", "/nonexistent/layer", "-p", "tencent", "-n", "x", "--runtime", "python3.9"], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expectOneLineError(r.stderr, "/nonexistent/layer");
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
    const before = calls();
    const r = await runCli(["publish", zip, "-p", "tencent", "-n", "big", "--runtime", "python3.9"], { env });
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, "bytes", "tencent", "documented", "50 MB");
    expect(calls()).toBe(before);
  });

  it("a parse error is a usage error too", async () => {
    const r = await runCli(["publish", "--no-such-flag"], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
  });
});

describe("cloud failures: exit 1 with the provider's code and request id", () => {
  it("an unknown version", async () => {
    const r = await runCli(["get", "nosuchlayer", "3", "-p", "aws"], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expectOneLineError(r.stderr, "ResourceNotFoundException", "request id");
  });

  it("a failed target among several is listed as failed, reported on stderr, and exits 1", async () => {
    emu.faults.add({ provider: "aliyun", action: "*", kind: "server-error" });
    const r = await runCli(["publish", PY_LAYER, "-p", "tencent,aliyun", "-n", "partial", "--runtime", "python3.9", "--output", "json"], { env });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { status: string }) => x.status)).toEqual(["published", "failed"]);
    expect(doc.results[1].error).toMatchObject({ code: "InternalServerError", requestId: expect.any(String) });
    // stderr: Aliyun's layout warning (the example is laid out for Tencent), then the one error line.
    const [warning, ...rest] = r.stderr.split("\n");
    expect(warning).toMatch(/^warning: aliyun: .*--prefix python$/);
    expectOneLineError(rest.join("\n"), "aliyun", "InternalServerError", "request id");
  });

  it("--output version prints nothing when a target failed", async () => {
    emu.faults.add({ provider: "aws", action: "*", kind: "server-error" });
    const r = await runCli(["publish", PY_LAYER, "-p", "tencent,aws", "-n", "partialv", "--runtime", "python3.9", "--output", "version"], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
  });
});

describe("lost answers and partial failures", () => {
  it.each([
    ["tencent", "PublishLayerVersion", "python3.9", []],
    ["aws", "PublishLayerVersion", "python3.12", ["--prefix", "python"]],
    ["aliyun", "CreateLayerVersion", "python3.10", ["--prefix", "python"]],
  ])("%s: a publish whose answer is lost reports the version it created, without a duplicate", async (provider, action, runtime, extra) => {
    const name = `lost${provider}`;
    emu.faults.add({ provider: provider as "tencent", action, kind: "lost-response", times: 1 });
    const r = await runCli(["publish", PY_LAYER, ...extra, "-p", provider, "-n", name, "--runtime", runtime, "--output", "json"], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ version: 1, status: "published" });
    expect(r.stderr).toMatch(/^warning: .*answer to the publish was lost.*version 1 holds exactly this zip/m);
    const list = await runCli(["versions", name, "-p", provider, "--output", "version"], { env });
    expect(list.stdout).toBe("1\n");
  });

  it("--timeout bounds a target: no retry starts after it, and the error says a version may exist", async () => {
    emu.faults.add({ provider: "*", action: "*", kind: "hang" });
    const t0 = Date.now();
    const r = await runCli(["publish", PY_LAYER, "-p", "tencent", "-n", "hangs", "--runtime", "python3.10", "--timeout", "1"], { env });
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr, "RequestTimeout", "may still have created a version", "layerctl versions hangs");
    // one request timeout plus start-up; without the deadline this took 4 attempts and a lookup (> 8 s)
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it("get, versions and publish-function report each target, failed ones included", async () => {
    await runCli(["publish", PY_LAYER, "-p", "tencent", "-n", "partialread", "--runtime", "python3.9", "--output", "version"], { env });
    emu.faults.add({ provider: "aws", action: "*", kind: "server-error" });
    const got = await runCli(["get", "partialread", "1", "-p", "tencent,aws", "--output", "json", "--timeout", "5"], { env });
    expect(got.code).toBe(1);
    const doc = JSON.parse(got.stdout);
    expect(doc.results.map((x: { provider: string; status: string; version: number }) => [x.provider, x.status, x.version])).toEqual([
      ["tencent", "published", 1],
      ["aws", "failed", 1],
    ]);
    expectOneLineError(got.stderr, "aws us-east-1", "ServiceException", "request id");

    const fn = await runCli(["publish-function", "api", "-p", "tencent,aws", "--output", "json"], { env });
    expect(fn.code).toBe(1);
    const fdoc = JSON.parse(fn.stdout);
    expect(fdoc.results[0]).toMatchObject({ provider: "tencent", functionName: "api", version: expect.stringMatching(/^\d+$/) });
    expect(fdoc.results[1]).toMatchObject({ provider: "aws", version: null, error: { code: "ServiceException" } });
    expectOneLineError(fn.stderr, "aws us-east-1", "ServiceException");
  });
});

describe("--debug", () => {
  it("shows a failed target's error object (the SDK's), not only its one line", async () => {
    emu.faults.add({ provider: "aws", action: "*", kind: "server-error" });
    const args = ["get", "nothing", "1", "-p", "aws", "--output", "json", "--timeout", "2"];
    const plain = await runCli(args, { env });
    expect(plain.code).toBe(1);
    expect(plain.stderr).not.toContain("caused by:");
    const r = await runCli(["--debug", ...args], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^layerctl: aws us-east-1: ServiceException/m);
    expect(r.stderr).toMatch(/caused by: .*ServiceException/);
    expect(r.stderr).toContain("httpStatusCode: 500");
    expect(r.stderr).not.toMatch(/Signature=[0-9a-f]{8}/);
  });
});

describe("secrets", () => {
  it("never appear in any output, even with --debug and a failing call", async () => {
    const leaky = { ...env, TENCENTCLOUD_SECRET_KEY: SECRET, AWS_SECRET_ACCESS_KEY: SECRET, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET };
    for (const p of ["tencent", "aws", "aliyun"]) {
      for (const extra of [[], ["--debug"]]) {
        const r = await runCli(["publish", PY_LAYER, "-p", p, "-n", "leak", "--runtime", "python3.9", ...extra], { env: leaky });
        expect(r.code).toBe(1);
        expect(r.stdout + r.stderr).not.toContain(SECRET);
        expect(r.stdout + r.stderr).not.toContain(emu.credentials.tencent.secretKey);
      }
    }
  });
});

describe("help and start-up", () => {
  it("--help and providers load no cloud SDK", async () => {
    const dir = await tempDir();
    for (const args of [["--help"], ["providers", "--output", "json"], ["publish", "--help"]]) {
      const trace = path.join(dir, `${args[0]}.trace`);
      const r = await runCli(args, { nodeArgs: ["--import", path.join(REPO, "test/helpers/trace-imports.mjs")], env: { LAYERCTL_TRACE_IMPORTS: trace } });
      expect(r.code).toBe(0);
      const loaded = await readFile(trace, "utf8");
      expect(loaded).toContain("commander");
      expect(loaded).not.toMatch(/@aws-sdk|tencentcloud|@alicloud/);
    }
  });

  it("documents exit codes in --help and has examples in every sub-command", async () => {
    const r = await runCli(["--help"]);
    expect(r.stdout).toContain("Exit codes:");
    for (const cmd of ["pack", "publish", "get", "versions", "publish-function", "providers", "emulate"]) {
      const h = await runCli([cmd, "--help"]);
      expect(h.code).toBe(0);
      expect(h.stdout).toContain("Examples:");
    }
  });

  it("providers lists runtimes, limits and credential variables", async () => {
    const r = await runCli(["providers", "--output", "json"]);
    const doc = JSON.parse(r.stdout);
    expect(doc.providers.map((p: { name: string }) => p.name)).toEqual(["tencent", "aws", "aliyun"]);
    for (const p of doc.providers) {
      expect(p.runtimes.length).toBeGreaterThan(3);
      expect(p.credentialVariables.length).toBeGreaterThan(1);
      expect(p.limits.maxZipBytes).toBeGreaterThan(1_000_000);
    }
  });
});

describe.runIf(hasScript())("on a terminal", () => {
  it("NO_COLOR turns colour off, even on a terminal", async () => {
    const { spawnSync } = await import("node:child_process");
    const cmd = `${process.execPath} ${BIN} pack ${PY_LAYER} -o ${path.join(await tempDir(), "c.zip")}`;
    const colour = spawnSync("script", ["-qec", cmd, "/dev/null"], { env: baseEnv({ TERM: "xterm", NO_COLOR: undefined }), encoding: "utf8", timeout: 20_000 });
    expect(colour.stdout).toContain("\u001b[1m");
    const plain = spawnSync("script", ["-qec", cmd, "/dev/null"], { env: baseEnv({ TERM: "xterm", NO_COLOR: "1" }), encoding: "utf8", timeout: 20_000 });
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/sha256\s+[0-9a-f]{64}/);
    expect(plain.stdout).not.toContain("\u001b[");
  });

  // `script` gives the CLI a real pseudo-terminal (which reports 0 columns, as CI ptys often do).
  it("prints a table and finishes, spinner or not", async () => {
    const { spawnSync } = await import("node:child_process");
    const cmd = `${process.execPath} ${BIN} publish ${PY_LAYER} -p aws -n tty --runtime python3.12 --emulator`;
    const r = spawnSync("script", ["-qec", cmd, "/dev/null"], { env: baseEnv({ TERM: "xterm" }), encoding: "utf8", timeout: 20_000, maxBuffer: 1 << 20 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/PROVIDER\s+REGION\s+LAYER\s+VERSION/);
    expect(r.stdout).toMatch(/aws\s+us-east-1\s+tty\s+1\s+published/);
  });
});

function hasScript(): boolean {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
