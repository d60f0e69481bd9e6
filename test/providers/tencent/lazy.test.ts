// `layerctl --help` must not pay for the SDK: importing the adapter (built from src/ by
// test/helpers/source-bundle.mjs) loads none of it, and connect() does (which proves the probe can
// see it).
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { sourceBundle } from "../../helpers/source-bundle.mjs";

const run = promisify(execFile);

const probe = `
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
const mod = await import(pathToFileURL(process.argv[1]).href);
const req = createRequire(import.meta.url);
const loaded = () => Object.keys(req.cache).filter((k) => k.includes("tencentcloud-sdk-nodejs")).length;
const afterImport = loaded();
// Keys from the variables need no SDK (no STS) to be resolved.
const credentials = await mod.tencentProvider.resolveCredentials({ TENCENTCLOUD_SECRET_ID: "AKIDx", TENCENTCLOUD_SECRET_KEY: "k" }, {});
const afterResolve = loaded();
await mod.tencentProvider.connect({
  region: "ap-guangzhou", endpoint: "http://127.0.0.1:9", requestTimeoutMs: 1000,
  credentials,
  retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  log: { debug() {}, info() {}, warn() {}, error() {}, debugEnabled: false },
});
console.log(JSON.stringify({ afterImport, afterResolve, afterConnect: loaded() }));
`;

describe("lazy SDK loading", () => {
  it("does not load tencentcloud-sdk-nodejs-* until connect()", async () => {
    const built = fileURLToPath((await sourceBundle("providers/tencent/index.ts"))[0]);
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", probe, built], { cwd: path.resolve(".") });
    const result = JSON.parse(stdout.trim()) as { afterImport: number; afterResolve: number; afterConnect: number };
    expect(result.afterImport).toBe(0);
    expect(result.afterResolve).toBe(0);
    expect(result.afterConnect).toBeGreaterThan(0);
  });
});
