// Whole-process properties, checked in child processes running the adapter built from src/
// (test/helpers/source-bundle.mjs): importing the adapter loads no SDK, and using it leaves stderr
// clean on Node 20.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, expect, test } from "vitest";
import { sourceBundle } from "../../helpers/source-bundle.mjs";

const root = path.resolve(__dirname, "../../..");
let adapter: string;
let emulator: string;

beforeAll(async () => {
  [adapter, emulator] = await sourceBundle("providers/aws/index.ts", "emulator/index.ts");
});

function runModule(source: string, env: NodeJS.ProcessEnv = process.env): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--input-type=module", "-e", source], { cwd: root, env, timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

const LOADED = `
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const sdkModules = () => Object.keys(require.cache).filter((k) => /[\\\\/]@(aws-sdk|smithy)[\\\\/]/.test(k)).length;
`;

test("importing the adapter and using its synchronous part loads no SDK module", async () => {
  const { stdout } = await runModule(`${LOADED}
const { awsProvider } = await import(${JSON.stringify(adapter)});
awsProvider.resolveRuntimes(["python3.12", "nodejs20"]);
awsProvider.validateLayer({ layerName: "x", runtimes: ["python3.12"], architectures: [], size: 10 });
awsProvider.layoutWarning(["python/"], ["python3.12"]);
const before = sdkModules();
await import("@aws-sdk/client-lambda");
console.log(JSON.stringify({ before, after: sdkModules() }));
`);
  const { before, after } = JSON.parse(stdout);
  expect(before).toBe(0);
  // The probe sees the SDK once it is loaded, so a 0 above means something.
  expect(after).toBeGreaterThan(0);
});

function envWithout(...names: string[]): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const n of names) delete env[n];
  return env;
}

test("connecting and calling leaves stderr empty (no NodeVersionSupportWarning)", async () => {
  const { stdout, stderr } = await runModule(
    `
const { awsProvider } = await import(${JSON.stringify(adapter)});
const { start, emulatorEnv } = await import(${JSON.stringify(emulator)});
const emu = await start({ port: 0, tencentPublishDelayMs: 0 });
const credentials = await awsProvider.resolveCredentials(emulatorEnv(emu.credentials, emu.url), {});
const noop = () => {};
const client = await awsProvider.connect({
  region: "us-east-1", endpoint: emu.url, credentials, requestTimeoutMs: 5000,
  retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  log: { debugEnabled: false, debug: noop, info: noop, warn: noop, error: noop },
});
try { await client.getLayerVersion("absent", 1); } catch (err) { console.log(err.code); }
await emu.close();
`,
    envWithout("AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"),
  );
  expect(stdout.trim()).toBe("ResourceNotFoundException");
  expect(stderr).toBe("");
});

test("resolving a role profile (the chain makes an STS client) leaves stderr empty too; STS unreachable is CredentialsUnavailable", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "layerctl-aws-role-"));
  try {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const sts = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise<void>((r) => server.close(() => r()));
    const config = path.join(dir, "config");
    const credentials = path.join(dir, "credentials");
    await writeFile(
      config,
      `[default]\nendpoint_url = ${sts}\nregion = us-east-1\n[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\nregion = us-east-1\nendpoint_url = ${sts}\n[profile base]\naws_access_key_id = AKIABASEKEY000000000\naws_secret_access_key = base-secret-value\n`,
    );
    await writeFile(credentials, "");
    const env = envWithout(
      "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED",
      "AWS_ENDPOINT_URL",
      "AWS_ENDPOINT_URL_STS",
      "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "AWS_PROFILE",
    );
    Object.assign(env, { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_EC2_METADATA_DISABLED: "true" });
    const { stdout, stderr } = await runModule(
      `
const { awsProvider } = await import(${JSON.stringify(adapter)});
try { await awsProvider.resolveCredentials(process.env, { profile: "deploy" }); console.log("resolved?"); }
catch (err) { console.log(JSON.stringify({ name: err.name, code: err.code, exitCode: err.exitCode })); }
`,
      env,
    );
    expect(JSON.parse(stdout)).toEqual({ name: "CloudError", code: "CredentialsUnavailable", exitCode: 1 });
    expect(stderr).toBe("");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.runIf(Number(process.versions.node.split(".")[0]) < 22)("control: a bare SDK client does print the warning on this Node", async () => {
  const { stderr } = await runModule(
    `const { LambdaClient } = await import("@aws-sdk/client-lambda"); new LambdaClient({ region: "us-east-1" });`,
    envWithout("AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"),
  );
  expect(stderr).toContain("NodeVersionSupportWarning");
});
