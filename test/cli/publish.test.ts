// The CLI as a process: stdout holds exactly the document, stderr the rest, exit codes as documented,
// and no secret from the environment ever shows. What a command returns and reports, without a
// process, is tested in-process in test/commands/publish.test.ts.
import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BIN, baseEnv, hasScript, runCli, REPO } from "../helpers/cli.js";
import { tempDir } from "../helpers/archive.js";
import { expectOneLineError } from "../helpers/cli-expect.js";
import { sharedEmulator } from "../helpers/shared-emulator.js";

const PY_LAYER = path.join(REPO, "examples/layers/python-deps");
const SECRET = "sekrit-value-that-must-never-show-9f8e7d";

const shared = sharedEmulator();

describe("bad input: exit 2, one line, nothing on stdout (each kind of mistake: test/commands/publish.test.ts)", () => {
  it("a missing directory", async () => {
    const r = await runCli(["publish", "/nonexistent/layer", "-p", "tencent", "-n", "x", "--runtime", "python3.9"], { env: shared.env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expectOneLineError(r.stderr, "/nonexistent/layer");
  });

  it("a parse error is a usage error too", async () => {
    const r = await runCli(["publish", "--no-such-flag"], { env: shared.env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
  });
});

describe("cloud failures: exit 1 with the provider's code and request id", () => {
  it("an unknown version", async () => {
    const r = await runCli(["get", "nosuchlayer", "3", "-p", "aws"], { env: shared.env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expectOneLineError(r.stderr, "ResourceNotFoundException", "request id");
  });

  it("a failed target among several is listed as failed, reported on stderr, and exits 1", async () => {
    shared.emu().faults.add({ provider: "aliyun", action: "*", kind: "server-error" });
    const r = await runCli(["publish", PY_LAYER, "-p", "tencent,aliyun", "-n", "partial", "--runtime", "python3.9", "--output", "json"], { env: shared.env() });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { status: string }) => x.status)).toEqual(["published", "failed"]);
    expect(doc.results[1].error).toMatchObject({ code: "InternalServerError", requestId: expect.any(String) });
    // stderr: Aliyun's layout warning (the example is laid out for Tencent), then the one error line.
    const [warning, ...rest] = r.stderr.split("\n");
    expect(warning).toMatch(/^warning: aliyun: .*--prefix python$/);
    expectOneLineError(rest.join("\n"), "aliyun", "InternalServerError", "request id");
  });
});

describe("--debug", () => {
  it("shows a failed target's error object (the SDK's), not only its one line", async () => {
    shared.emu().faults.add({ provider: "aws", action: "*", kind: "server-error" });
    const args = ["get", "nothing", "1", "-p", "aws", "--output", "json", "--timeout", "2"];
    const plain = await runCli(args, { env: shared.env() });
    expect(plain.code).toBe(1);
    expect(plain.stderr).not.toContain("caused by:");
    const r = await runCli(["--debug", ...args], { env: shared.env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^layerctl: aws us-east-1: ServiceException/m);
    expect(r.stderr).toMatch(/caused by: .*ServiceException/);
    expect(r.stderr).toContain("httpStatusCode: 500");
    expect(r.stderr).not.toMatch(/Signature=[0-9a-f]{8}/);
  });
});

describe("secrets", () => {
  it("never appear in any output, even with --debug and a failing call", async () => {
    const leaky = { ...shared.env(), TENCENTCLOUD_SECRET_KEY: SECRET, AWS_SECRET_ACCESS_KEY: SECRET, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET };
    for (const p of ["tencent", "aws", "aliyun"]) {
      for (const extra of [[], ["--debug"]]) {
        const r = await runCli(["publish", PY_LAYER, "-p", p, "-n", "leak", "--runtime", "python3.9", ...extra], { env: leaky });
        expect(r.code).toBe(1);
        expect(r.stdout + r.stderr).not.toContain(SECRET);
        expect(r.stdout + r.stderr).not.toContain(shared.emu().credentials.tencent.secretKey);
      }
    }
  });
});

describe("help and start-up", () => {
  // The CLI is bundled (scripts/build.mjs): SDK code lives in dist/ chunks, and would be in
  // node_modules if a package were left out of the bundle. dist/build-meta.json says which source
  // files each output holds.
  const SDK_SOURCE = /node_modules\/(@aws-sdk|@smithy|tencentcloud-sdk|@alicloud|cos-nodejs-sdk-v5|ali-oss)/;
  /** Files the process loaded, and the source files inside the bundle outputs among them. */
  async function traceLoaded(args: string[], extraEnv: Record<string, string> = {}): Promise<{ files: string[]; sources: string[] }> {
    const meta = JSON.parse(await readFile(path.join(REPO, "dist/build-meta.json"), "utf8")) as { outputs: Record<string, string[]> };
    const trace = path.join(await tempDir(), "trace");
    const r = await runCli(args, { nodeArgs: ["--import", path.join(REPO, "test/helpers/trace-imports.mjs")], env: { LAYERCTL_TRACE_IMPORTS: trace, ...extraEnv } });
    expect(r.code, r.stderr).toBe(0);
    const files = (await readFile(trace, "utf8")).split("\n").map((l) => (l.startsWith("file:") ? fileURLToPath(l) : l));
    expect(files).toContain(path.join(REPO, "dist/cli.cjs")); // the trace sees the bundle's own files
    const sources = Object.entries(meta.outputs)
      .filter(([out]) => files.includes(path.join(REPO, "dist", out)))
      .flatMap(([, inputs]) => inputs);
    return { files, sources };
  }
  async function sdkFilesLoaded(args: string[], extraEnv: Record<string, string> = {}): Promise<string[]> {
    const { files, sources } = await traceLoaded(args, extraEnv);
    return [...files.filter((l) => SDK_SOURCE.test(l)), ...sources.filter((i) => SDK_SOURCE.test(i))];
  }

  it("--help and providers load no cloud SDK", async () => {
    for (const args of [["--help"], ["providers", "--output", "json"], ["publish", "--help"]]) {
      expect(await sdkFilesLoaded(args)).toEqual([]);
    }
  });

  it("--help loads the command table, not the commands or the provider adapters", async () => {
    const { sources } = await traceLoaded(["--help"]);
    expect(sources).toContain("src/commands/index.ts");
    // The publish pipeline and the target runner live in release/ and targets/ (#18): none of them either.
    expect(sources.filter((i) => /^src\/(commands\/(publish|get|pack|emulate)\.ts|providers\/index\.ts|archive\/|release\/|targets\/)/.test(i))).toEqual([]);
  });

  it("--help, --version and help load one file of the bundle, dist/cli.cjs (so Node starts no ESM loader)", async () => {
    const bundleFiles = (files: string[]) => [...new Set(files.filter((f) => f.startsWith(path.join(REPO, "dist/"))))];
    for (const args of [["--help"], ["--version"], ["help"]]) {
      expect(bundleFiles((await traceLoaded(args)).files)).toEqual([path.join(REPO, "dist/cli.cjs")]);
    }
    // A command loads its chunks beside it (so the test above can fail).
    expect(bundleFiles((await traceLoaded(["providers", "--output", "json"])).files).length).toBeGreaterThan(1);
  });

  it("an inline publish with keys in the variables loads no STS SDK", async () => {
    const { files, sources } = await traceLoaded(["publish", PY_LAYER, "-p", "tencent,aws,aliyun", "-n", "trace-sts", "--runtime", "python3.9", "--output", "json"], shared.env());
    // The STS clients credentials use. (The Lambda SDK's bundle holds its own default credential
    // chain, nested STS client included, which a Lambda client carries whatever it is given.)
    const sts = /@aws-sdk\/client-sts|tencentcloud-sdk-nodejs-sts|@alicloud\/sts20150401|src\/providers\/aliyun\/sts\.ts/;
    expect([...files, ...sources].filter((f) => sts.test(f))).toEqual([]);
    // ...while the layer SDKs were loaded (the trace can see them), and a role to assume does load one.
    expect(sources.some((f) => /@aws-sdk\/client-lambda/.test(f))).toBe(true);
    const role = await traceLoaded(["versions", "nothing", "-p", "aws", "--role-arn", "arn:aws:iam::210987654321:role/x", "--output", "json"], shared.env());
    expect(role.sources.some((f) => /@aws-sdk\/client-sts/.test(f))).toBe(true);
  });

  it("the SDK trace sees an SDK when a command loads one (so the test above can fail)", async () => {
    const loaded = await sdkFilesLoaded(["versions", "nothing", "-p", "aws", "--output", "json"], shared.env());
    expect(loaded.length).toBeGreaterThan(0);
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
