// `layerctl --help` must not pay for the SDK: importing the built adapter loads none of it, and
// connect() does (which proves the probe can see it). Runs against dist/: build first.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const built = path.resolve("dist/providers/tencent/index.js");

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
    expect(existsSync(built), `${built} is missing: run \`npm run build\` first`).toBe(true);
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", probe, built], { cwd: path.resolve(".") });
    const result = JSON.parse(stdout.trim()) as { afterImport: number; afterResolve: number; afterConnect: number };
    expect(result.afterImport).toBe(0);
    expect(result.afterResolve).toBe(0);
    expect(result.afterConnect).toBeGreaterThan(0);
  });
});
