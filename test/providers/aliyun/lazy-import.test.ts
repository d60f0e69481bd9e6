// Loading the adapter must not load the SDK (~250 ms): only connect() may. Checked in a fresh
// Node process on the adapter built from src/ (test/helpers/source-bundle.mjs).
import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sourceBundle } from "../../helpers/source-bundle.mjs";

const root = path.resolve(__dirname, "../../..");
let entry: string;

beforeAll(async () => {
  entry = fileURLToPath((await sourceBundle("providers/aliyun/index.ts"))[0]);
});

// Prints the @alicloud/@darabonba modules in the CommonJS cache after `steps`.
function loadedSdkModules(steps: string): string[] {
  const script = `
    const { createRequire } = await import("node:module");
    const require = createRequire(${JSON.stringify(entry)});
    const { aliyunProvider } = await import(${JSON.stringify(entry)});
    ${steps}
    const loaded = Object.keys(require.cache).filter((f) => /[\\\\/]node_modules[\\\\/]@(alicloud|darabonba)[\\\\/]/.test(f));
    process.stdout.write(JSON.stringify(loaded));
  `;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  return JSON.parse(out) as string[];
}

describe("lazy SDK import", () => {
  it("importing the adapter and using its synchronous parts loads no SDK module", () => {
    const loaded = loadedSdkModules(`
      aliyunProvider.resolveRuntimes(["python3.12"]);
      aliyunProvider.validateLayer({ layerName: "x", runtimes: ["python3.12"], architectures: [], size: 1 });
      await aliyunProvider.resolveCredentials({ ALIBABA_CLOUD_ACCESS_KEY_ID: "a", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "b" }, {});
    `);
    expect(loaded).toEqual([]);
  });

  it("connect() loads it (so the check above can fail)", () => {
    const loaded = loadedSdkModules(`
      const credentials = await aliyunProvider.resolveCredentials({ ALIBABA_CLOUD_ACCESS_KEY_ID: "a", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "b" }, {});
      await aliyunProvider.connect({ region: "cn-hangzhou", endpoint: "http://127.0.0.1:9", credentials, requestTimeoutMs: 100, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, log: { debug() {}, info() {}, warn() {}, error() {}, debugEnabled: false } });
    `);
    expect(loaded.some((f) => f.includes("fc20230330"))).toBe(true);
    expect(loaded.some((f) => f.includes("openapi-core"))).toBe(true);
    // Keys from the variables and an endpoint that needs no account id: no STS SDK.
    expect(loaded.filter((f) => f.includes("sts20150401"))).toEqual([]);
  });
});
