// Concurrent runs writing one --record file lose nothing (the record lock, src/record/lock.ts), and
// a record file that cannot be written is refused before anything is published. As processes:
// the subject is several layerctl processes at once.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorEnv, start, type RunningEmulator } from "../../src/emulator/index.js";
import { recordFileSchema } from "../../src/record/schema.js";
import { tempDir } from "../helpers/archive.js";
import { runCli } from "../helpers/cli.js";

const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1"];

let emu: RunningEmulator;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  emu = await start({ port: 0 });
  env = emulatorEnv(emu.credentials, emu.url);
  dir = await tempDir("layerctl-record-lock-");
  await mkdir(path.join(dir, "layer/python"), { recursive: true });
  await writeFile(path.join(dir, "layer/python/mod.py"), "x = 1\n");
});
afterAll(async () => {
  await emu?.close();
});

const calls = () => Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);

describe("--record from concurrent runs", () => {
  it("ten runs writing one record file at once keep all fifty entries", { timeout: 120_000 }, async () => {
    const record = path.join(dir, "layers.lock.json");
    const runs = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        runCli(["publish", path.join(dir, "layer"), "-p", "aws", "-r", REGIONS.join(","), "-n", `lock${i}`, "--runtime", "python3.12", "--record", record, "--output", "json"], {
          env,
        }),
      ),
    );
    for (const r of runs) {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    }
    const file = recordFileSchema.parse(JSON.parse(await readFile(record, "utf8")));
    const entries = Object.entries(file.layers).flatMap(([layer, byProvider]) => Object.keys(byProvider.aws ?? {}).map((region) => `${layer} ${region}`));
    expect(entries).toHaveLength(50);
    for (let i = 0; i < 10; i++) for (const region of REGIONS) expect(entries).toContain(`lock${i} ${region}`);
  });
});

describe("a record file that cannot be written is refused before anything is published", () => {
  it.each([
    ["a directory", async (f: string) => mkdir(f)],
    ["damaged", async (f: string) => writeFile(f, '{"format": 1, "layers": {')],
  ])("--record naming %s: exit 2, one line, no call", async (_what, make) => {
    const record = path.join(await tempDir(), "r.json");
    await make(record);
    const before = calls();
    const r = await runCli(["publish", path.join(dir, "layer"), "-p", "aws", "-n", "refused", "--runtime", "python3.12", "--record", record, "--output", "json"], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(record);
    expect(calls()).toBe(before);
  });

  it("a config whose later layer fails a check that needs its zip publishes nothing", async () => {
    const root = await tempDir();
    await mkdir(path.join(root, "a/python"), { recursive: true });
    await writeFile(path.join(root, "a/python/mod.py"), "x = 1\n");
    // A zip with no files in it: refused once it is read (EmptyZip), after layer "first" was packed.
    await writeFile(path.join(root, "empty.zip"), Buffer.from("504b0506000000000000000000000000000000000000", "hex"));
    await writeFile(
      path.join(root, "layerctl.config.json"),
      JSON.stringify({
        layers: [
          { name: "first", dir: "a", runtimes: ["python3.12"], providers: ["aws"] },
          { name: "second", dir: "empty.zip", runtimes: ["python3.12"], providers: ["aws"] },
        ],
      }),
    );
    const before = calls();
    const r = await runCli(["publish", "--output", "json"], { env, cwd: root });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/holds no files/);
    expect(calls()).toBe(before);
  });
});
