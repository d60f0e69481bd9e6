// Input publish must refuse before any call: each case is a UsageError (exit 2) and the emulator
// counts no request.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishCommand, type PublishInput } from "../../src/release/publish.js";
import { buildZip } from "../../src/emulator/zip.js";
import { emulatorEnv, start, type RunningEmulator } from "../../src/emulator/index.js";
import { UsageError } from "../../src/errors.js";
import { silentLogger } from "../../src/output/log.js";
import { awsProvider } from "../../src/providers/aws/index.js";
import { tencentProvider } from "../../src/providers/tencent/index.js";
import { tempDir, writeTree } from "../archive/helpers.js";

let emu: RunningEmulator;
let env: NodeJS.ProcessEnv;
const work = tempDir();
const layer = writeTree(path.join(work, "layer"), { "nodejs/node_modules/m/index.js": "exports.x = 1;\n" });

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0 });
  env = { ...emulatorEnv(emu.credentials, emu.url), AWS_EC2_METADATA_DISABLED: "true" };
});
afterAll(async () => {
  await emu?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

function calls(): number {
  return Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
}

async function refused(input: Partial<PublishInput>): Promise<UsageError> {
  const before = calls();
  const err = await publishCommand({ source: layer, name: "deps", provider: ["aws"], runtime: ["nodejs20"], ...input }, { env, log: silentLogger }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  expect(calls()).toBe(before);
  return err as UsageError;
}

describe("publish refuses before any call", () => {
  it("an --arch that exists nowhere, for providers without architectures too", async () => {
    for (const provider of ["aws", "tencent", "aliyun"]) {
      const err = await refused({ provider: [provider], runtime: [provider === "tencent" ? "nodejs18" : "nodejs20"], arch: ["amd64"] });
      expect(err.code).toBe("InvalidArchitecture");
      expect(err.hint).toContain("did you mean x86_64");
    }
    // a real architecture on a provider without any is still only a warning
    expect(tencentProvider.validateLayer({ layerName: "deps", runtimes: ["Nodejs18.15"], architectures: ["arm64"], size: 1 })).toEqual([
      expect.stringContaining("--arch arm64 is ignored"),
    ]);
  });

  it("an AWS layer ARN for another region than the target's", async () => {
    const err = await refused({ name: "arn:aws:lambda:eu-west-1:123456789012:layer:deps", region: ["us-east-1"] });
    expect(err.code).toBe("LayerArnRegionMismatch");
    expect(err.message).toContain("eu-west-1");
    expect(err.hint).toContain("--region aws:eu-west-1");
  });

  it("an --out that is not a .zip (-o json meant --output json)", async () => {
    const err = await refused({ out: "json" });
    expect(err.code).toBe("InvalidOutPath");
    expect(err.hint).toContain("--output json");
    expect(fs.existsSync("json")).toBe(false);
  });

  it("a .zip with a damaged entry", async () => {
    const zip = buildZip([{ name: "nodejs/node_modules/m/index.js", data: Buffer.from("exports.x = 1;\n") }]);
    zip[30 + "nodejs/node_modules/m/index.js".length] ^= 0xff;
    const file = path.join(work, "bad.zip");
    fs.writeFileSync(file, zip);
    expect((await refused({ source: file })).code).toBe("CorruptZip");
  });

  it("more unzipped bytes than the provider allows (AWS: 262,144,000)", () => {
    const spec = { layerName: "deps", runtimes: ["nodejs20"], architectures: [], size: 1000 };
    expect(awsProvider.validateLayer({ ...spec, unzippedSize: 262_144_000 })).toEqual([]);
    expect(() => awsProvider.validateLayer({ ...spec, unzippedSize: 262_144_001 })).toThrow(/unpacks to 262144001 bytes; aws allows at most 262144000/);
    expect(awsProvider.limits.maxUnzippedBytes).toBe(262_144_000);
  });
});
