// A multi-layer release from one config file, as processes against the emulator: top-level
// defaults, flags that select (never add), outputs a script can trust (env keys unique, version
// lines labelled, every JSON document valid against `layerctl schema output`), an --emulator
// rehearsal that leaves the real record alone, re-runs that change nothing, the check of every
// function before publishing, promotion from a record, going back, and detaching.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { emulatorEnv, start, type RunningEmulator } from "../../src/emulator/index.js";
import { DOCUMENT_OF_COMMAND } from "../../src/record/output-schema.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { expectOneLineError } from "../helpers/cli-expect.js";
import { tempDir } from "../helpers/archive.js";

let emu: RunningEmulator;
let env: Record<string, string>;
let root: string;

const CONFIG = {
  providers: ["tencent", "aws"],
  regions: ["tencent:ap-guangzhou", "aws:us-east-1", "aws:eu-west-1"],
  record: "layers.lock.json",
  skipUnchanged: true,
  attach: { functions: ["api"], alias: "live" },
  layers: [
    { name: "reldeps", dir: "deps", runtimes: ["python3.10"] },
    // Overrides: AWS only, one region, another function and no alias.
    { name: "reltools", dir: "tools", runtimes: ["python3.10"], providers: ["aws"], regions: ["us-east-1"], attach: { functions: ["worker"] } },
  ],
};

beforeAll(async () => {
  emu = await start({ port: 0, tencentPublishDelayMs: 0, functionUpdateDelayMs: 0, functions: [{ name: "api" }, { name: "worker" }] });
  env = emulatorEnv(emu.credentials, emu.url);
  root = await tempDir("layerctl-release-");
  await mkdir(path.join(root, "deps"), { recursive: true });
  await mkdir(path.join(root, "tools/bin"), { recursive: true });
  await writeFile(path.join(root, "deps/mod.py"), "x = 1\n");
  await writeFile(path.join(root, "tools/bin/tool"), "#!/bin/sh\n");
  await writeFile(path.join(root, "layerctl.config.json"), JSON.stringify(CONFIG, null, 2));
  // A Node.js project with nothing to install, for `layerctl build` (npm ci, offline).
  await mkdir(path.join(root, "app"), { recursive: true });
  await writeFile(path.join(root, "app/package.json"), JSON.stringify({ name: "app", version: "1.0.0" }));
  await writeFile(
    path.join(root, "app/package-lock.json"),
    JSON.stringify({ name: "app", version: "1.0.0", lockfileVersion: 3, requires: true, packages: { "": { name: "app", version: "1.0.0" } } }),
  );
});
afterAll(async () => {
  await emu?.close();
});

const cli = (args: string[], cwd = root) => runCli(args, { env, cwd });
const count = (action: string) => emu.faults.counts()[action] ?? 0;

/** KEY=value lines, each key once, each a well-formed assignment. */
function envKeys(stdout: string): string[] {
  const lines = stdout.trimEnd().split("\n").filter(Boolean);
  for (const l of lines) expect(l).toMatch(/^LAYERCTL_[A-Z0-9_]+=[A-Za-z0-9._:/+@,-]*$/);
  const keys = lines.map((l) => l.slice(0, l.indexOf("=")));
  expect(new Set(keys).size).toBe(keys.length);
  return keys;
}

function ok(r: CliResult): CliResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r;
}

describe("publishing from the file", () => {
  it("every layer with the top-level defaults it inherits; env keys name the layer, each once", async () => {
    const r = ok(await cli(["publish", "--output", "env"]));
    const keys = envKeys(r.stdout);
    expect(keys).toEqual(
      expect.arrayContaining(["LAYERCTL_RELDEPS_TENCENT_AP_GUANGZHOU_VERSION", "LAYERCTL_RELDEPS_AWS_EU_WEST_1_VERSION", "LAYERCTL_RELTOOLS_AWS_US_EAST_1_VERSION"]),
    );
    // No key without the layer: it could hold either layer's value.
    expect(keys.filter((k) => !/^LAYERCTL_REL(DEPS|TOOLS)_/.test(k))).toEqual([]);
    expect(keys.filter((k) => k.startsWith("LAYERCTL_RELTOOLS_")).every((k) => k.startsWith("LAYERCTL_RELTOOLS_AWS_US_EAST_1_"))).toBe(true);
    const lock = JSON.parse(await readFile(path.join(root, "layers.lock.json"), "utf8"));
    expect(Object.keys(lock.layers.reldeps)).toEqual(["tencent", "aws"]);
    expect(Object.keys(lock.layers.reltools.aws)).toEqual(["us-east-1"]);
  });

  it("a re-run changes nothing: the record is byte for byte the same, and no function version is published", async () => {
    const before = await readFile(path.join(root, "layers.lock.json"));
    const calls = [
      "tencent:PublishVersion",
      "aws:PublishVersion",
      "tencent:UpdateFunctionConfiguration",
      "aws:UpdateFunctionConfiguration",
      "tencent:UpdateAlias",
      "aws:UpdateAlias",
    ];
    const counts = calls.map(count);
    const r = ok(await cli(["publish", "--output", "json"]));
    const doc = JSON.parse(r.stdout);
    expect(doc.results.every((x: { status: string }) => x.status === "unchanged")).toBe(true);
    expect(doc.attachments.map((a: { layerName: string; status: string; functionVersion: string | null }) => [a.layerName, a.status, a.functionVersion !== null])).toEqual([
      ["reldeps", "unchanged", true],
      ["reldeps", "unchanged", true],
      ["reldeps", "unchanged", true],
      ["reltools", "unchanged", false],
    ]);
    expect(calls.map(count)).toEqual(counts);
    expect((await readFile(path.join(root, "layers.lock.json"))).equals(before)).toBe(true);
  });

  it("--provider selects among the file's targets: a layer with none left is skipped and said so", async () => {
    const r = ok(await cli(["publish", "--provider", "tencent", "--output", "version"]));
    expect(r.stdout).toBe("reldeps tencent ap-guangzhou 1\n");
    expect(r.stderr).toContain("reltools: skipped: none of its targets (aws:us-east-1) is among --provider tencent");
    const json = ok(await cli(["publish", "-r", "aws:eu-west-1", "--output", "json"]));
    const doc = JSON.parse(json.stdout);
    expect(doc.results.map((x: { layerName: string; provider: string; region: string }) => `${x.layerName} ${x.provider} ${x.region}`)).toEqual(["reldeps aws eu-west-1"]);
    expect(doc.skipped).toEqual([{ layerName: "reltools", reason: "none of its targets (aws:us-east-1) is among --region aws:eu-west-1" }]);
  });

  it("a flag that selects nothing is one usage line, exit 2, no call", async () => {
    const before = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
    for (const [args, message] of [
      [["-r", "aws:us-west-2"], "--region aws:us-west-2: no layer of layerctl.config.json publishes there"],
      [["-p", "aliyun"], "--provider aliyun: no layer of layerctl.config.json publishes to aliyun"],
      [["reltools", "-p", "tencent"], "--provider tencent: no layer of layerctl.config.json named here (reltools) publishes to tencent"],
    ] as const) {
      const r = await cli(["publish", ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expectOneLineError(r.stderr, message, "its layers publish to:");
    }
    expect(Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0)).toBe(before);
  });

  it("--no-skip-unchanged overrides the file's skipUnchanged", async () => {
    const r = ok(await cli(["publish", "reltools", "--no-skip-unchanged", "--output", "version"]));
    expect(r.stdout).toBe("2\n");
  });
});

describe("a rehearsal never touches the real record", () => {
  it("--emulator records in layers.lock.emulator.json and says so, and that its state lasts for the command only", async () => {
    const real = await readFile(path.join(root, "layers.lock.json"));
    // No cloud variables at all: the embedded emulator is the whole world of this run.
    const r = await runCli(["publish", "--emulator", "--output", "json"], { cwd: root });
    expect(r.code).toBe(0);
    expect((await readFile(path.join(root, "layers.lock.json"))).equals(real)).toBe(true);
    const rehearsal = JSON.parse(await readFile(path.join(root, "layers.lock.emulator.json"), "utf8"));
    expect(rehearsal.layers.reldeps.aws["us-east-1"].version).toBe(1);
    expect(JSON.parse(r.stdout).recordFiles).toEqual([path.join(root, "layers.lock.emulator.json")]);
    expect(r.stderr).toContain("--emulator: recording in layers.lock.emulator.json, not layers.lock.json");
    expect(r.stderr).toContain("lasts for this command only: for state that lasts, run `layerctl emulate --state-dir DIR`");
    // One embedded emulator for the whole run.
    expect(r.stderr.match(/using the embedded emulator/g)).toHaveLength(1);
  });
});

describe("every output format of every command", () => {
  const commands: Array<{ name: keyof typeof DOCUMENT_OF_COMMAND; args: string[]; formats: string[] }> = [
    { name: "publish", args: ["publish"], formats: ["json", "env", "version"] },
    { name: "versions", args: ["versions"], formats: ["json", "env", "version"] },
    { name: "get", args: ["get", "reldeps", "1", "-p", "tencent,aws"], formats: ["json", "env", "version"] },
    { name: "layers", args: ["layers"], formats: ["json", "env", "version"] },
    { name: "prune", args: ["prune", "--keep", "1", "--dry-run"], formats: ["json", "env", "version"] },
    { name: "delete", args: ["delete", "reldeps", "98", "99", "-p", "aws", "--yes"], formats: ["json", "env", "version"] },
    { name: "share", args: ["share", "reldeps", "latest", "--public"], formats: ["json", "env", "version"] },
    { name: "attach", args: ["attach", "reldeps", "--from-record", "layers.lock.json", "--dry-run"], formats: ["json", "env"] },
    { name: "detach", args: ["detach", "reltools", "--dry-run"], formats: ["json", "env"] },
    { name: "publish-function", args: ["publish-function", "api", "-p", "tencent,aws"], formats: ["json", "env", "version"] },
    { name: "providers", args: ["providers"], formats: ["json"] },
    { name: "pack", args: ["pack", "deps", "-o", "deps.zip"], formats: ["json"] },
    { name: "check", args: ["check", "deps", "-p", "tencent,aws", "--runtime", "python3.10"], formats: ["json"] },
    { name: "build", args: ["build", "app/package.json", "-p", "aws", "--runtime", "nodejs20", "-o", "built"], formats: ["json"] },
    { name: "record", args: ["record", "merge", "layers.lock.json"], formats: ["json", "env"] },
    // The fleet's documents (#22): every layer of the file against its build, one verified zip, and
    // a copy onto two targets that already hold it (--skip-unchanged: nothing new is published).
    { name: "status", args: ["status"], formats: ["json"] },
    { name: "download", args: ["download", "reldeps:1", "-p", "aws", "-r", "us-east-1", "-o", "dl.zip"], formats: ["json"] },
    { name: "copy", args: ["copy", "reldeps:1", "--from", "aws:us-east-1", "--to", "aws:eu-west-1,tencent:ap-guangzhou", "--skip-unchanged"], formats: ["json", "env", "version"] },
  ];

  let schema: { $id: string };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const covered = new Set<string>();
  beforeAll(async () => {
    schema = JSON.parse(ok(await cli(["schema", "output"])).stdout);
    ajv.addSchema(schema);
  });

  it.each(commands)("$name: json validates against `layerctl schema output`; env keys and version lines are each unique", async ({ name, args, formats }) => {
    for (const format of formats) {
      const r = ok(await cli([...args, "--output", format]));
      if (format === "json") {
        const validate = ajv.getSchema(`${schema.$id}#/$defs/${DOCUMENT_OF_COMMAND[name]}`)!;
        const valid = validate(JSON.parse(r.stdout));
        expect(valid ? [] : validate.errors, `${args.join(" ")}`).toEqual([]);
        covered.add(name);
      } else if (format === "env") {
        expect(envKeys(r.stdout).length, args.join(" ")).toBeGreaterThan(0);
      } else {
        const lines = r.stdout.trimEnd().split("\n").filter(Boolean);
        expect(new Set(lines).size, args.join(" ")).toBe(lines.length);
        // Several targets (and layers) in every one of these: no bare numbers.
        for (const l of lines) expect(l, args.join(" ")).toMatch(/^(\S+ )?(tencent|aws|aliyun) \S+ \d+$/);
      }
    }
  });

  it("every command that prints JSON is covered, and the schema names a document for each", () => {
    expect([...covered].sort()).toEqual(Object.keys(DOCUMENT_OF_COMMAND).sort());
  });
});

describe("promotion", () => {
  it("--from-record moves each target to the version it got; --dry-run reads and plans only", async () => {
    await writeFile(path.join(root, "deps/mod.py"), "x = 2\n");
    // A new version in us-east-1 only: the regions now differ, and publish --attach (the file's
    // attach) moves the function there to the version it got.
    const published = JSON.parse(ok(await cli(["publish", "reldeps", "-r", "aws:us-east-1", "--output", "json"])).stdout);
    expect(published.results.map((x: { region: string; version: number; status: string }) => [x.region, x.version, x.status])).toEqual([["us-east-1", 2, "published"]]);
    expect(
      published.attachments.map((x: { region: string; previousVersion: number; version: number; status: string }) => [x.region, x.previousVersion, x.version, x.status]),
    ).toEqual([["us-east-1", 1, 2, "attached"]]);
    const updates = count("aws:UpdateFunctionConfiguration");
    // That publish attached it already (the file's attach); move us-east-1 back by hand to see a plan.
    ok(await cli(["attach", "reldeps:1", "-p", "aws", "-r", "us-east-1", "-f", "api"]));
    const plan = ok(await cli(["attach", "reldeps", "--from-record", "layers.lock.json", "--dry-run", "--output", "json"]));
    const planned = JSON.parse(plan.stdout).results.map(
      (x: { provider: string; region: string; previousVersion: number; version: number; status: string; functionVersion: string | null }) => [
        x.provider,
        x.region,
        x.previousVersion,
        x.version,
        x.status,
        // the function version with these layers that would be kept; null: one would be published
        x.functionVersion !== null,
      ],
    );
    expect(planned).toEqual([
      ["tencent", "ap-guangzhou", 1, 1, "unchanged", true],
      ["aws", "us-east-1", 1, 2, "planned", false],
      ["aws", "eu-west-1", 1, 1, "unchanged", true],
    ]);
    expect(count("aws:UpdateFunctionConfiguration")).toBe(updates + 1);
    const moved = ok(await cli(["attach", "reldeps", "--from-record", "layers.lock.json", "--output", "json"]));
    expect(JSON.parse(moved.stdout).results.map((x: { region: string; version: number; status: string; alias: string }) => [x.region, x.version, x.status, x.alias])).toEqual([
      ["ap-guangzhou", 1, "unchanged", "live"],
      ["us-east-1", 2, "attached", "live"],
      ["eu-west-1", 1, "unchanged", "live"],
    ]);
  });

  it("--to-previous goes back to what the record or the function's versions say was there before", async () => {
    const fromRecord = ok(await cli(["attach", "reldeps", "--to-previous", "--from-record", "layers.lock.json", "-r", "aws:us-east-1", "--output", "json"]));
    expect(JSON.parse(fromRecord.stdout).results).toEqual([expect.objectContaining({ region: "us-east-1", previousVersion: 2, version: 1, status: "attached", alias: "live" })]);
    ok(await cli(["attach", "reldeps:2", "-p", "aws", "-r", "us-east-1"]));
    // From the function's own published versions: the newest one using another version of the layer.
    const fromHistory = ok(await cli(["attach", "reldeps", "--to-previous", "-r", "aws:us-east-1", "--output", "json"]));
    expect(JSON.parse(fromHistory.stdout).results).toEqual([expect.objectContaining({ previousVersion: 2, version: 1, status: "attached", functionVersion: expect.any(String) })]);
    // A layer the record has no previous version of, for that target: said before any call.
    const none = await cli(["attach", "reldeps", "--to-previous", "--from-record", "layers.lock.json", "-p", "tencent"]);
    expect(none.code).toBe(2);
    expectOneLineError(none.stderr, "layers.lock.json records no previous version of reldeps for tencent ap-guangzhou");
  });

  it("detach takes the layer out, with the same care; a second one changes nothing", async () => {
    const r = ok(await cli(["detach", "reltools", "--output", "json"]));
    expect(JSON.parse(r.stdout).results).toEqual([expect.objectContaining({ functionName: "worker", previousVersion: 2, version: null, status: "detached", layers: [] })]);
    const again = ok(await cli(["detach", "reltools", "--output", "json"]));
    expect(JSON.parse(again.stdout).results).toEqual([expect.objectContaining({ status: "unchanged", previousVersion: null })]);
  });

  it("publish --attach reads every function of every layer first: one missing is exit 2 and nothing is published", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "m.py"), "");
    await writeFile(
      path.join(dir, "layerctl.config.json"),
      JSON.stringify({
        providers: ["aws"],
        layers: [
          { name: "preok", dir: ".", runtimes: ["python3.10"], attach: { functions: ["api"] } },
          { name: "premissing", dir: ".", runtimes: ["python3.10"], attach: { functions: ["ghost"] } },
        ],
      }),
    );
    const before = count("aws:PublishLayerVersion");
    const r = await cli(["publish"], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expectOneLineError(r.stderr, "layerctl.config.json: layers[1] (premissing): --attach: function ghost does not exist in aws us-east-1; nothing was published");
    expect(count("aws:PublishLayerVersion")).toBe(before);
  });
});

describe("messages name the file, the layer and the key", () => {
  async function project(config: unknown): Promise<string> {
    const dir = await tempDir();
    await mkdir(path.join(dir, "deps"));
    await writeFile(path.join(dir, "deps/m.py"), "");
    await writeFile(path.join(dir, "layerctl.config.json"), typeof config === "string" ? config : JSON.stringify(config, null, 2));
    return dir;
  }

  it.each([
    [
      "a region typo",
      {
        layers: [
          { name: "a", dir: "deps", providers: ["aws"] },
          { name: "py-deps", dir: "deps", providers: ["aws"], regions: ["us-east-1", "eu-west-1", "us-east1"] },
        ],
      },
      ["publish"],
      'layerctl.config.json: layers[1] (py-deps) regions[2]: unknown aws region "us-east1"',
    ],
    [
      "an inherited region typo",
      { providers: ["aws"], regions: ["us-east1"], layers: [{ name: "a", dir: "deps" }] },
      ["publish"],
      'layerctl.config.json: regions[0] (inherited by layers[0] a): unknown aws region "us-east1"',
    ],
    [
      "a runtime typo",
      { layers: [{ name: "a", dir: "deps", providers: ["aws"], runtimes: { aws: ["python3.12", "pyhton3.11"] } }] },
      ["publish"],
      "layerctl.config.json: layers[0] (a) runtimes.aws[1]:",
    ],
    [
      "a missing dir",
      { layers: [{ name: "a", dir: "nope", providers: ["aws"], runtimes: ["python3.10"] }] },
      ["publish"],
      "layerctl.config.json: layers[0] (a) dir: nope does not exist",
    ],
    ["bad JSON", '{\n  "layers": [\n    {"name": "a",}\n  ]\n}\n', ["publish"], "layerctl.config.json: not valid JSON: line 3, column 18:"],
    [
      "a layer that is not in the file",
      {
        layers: [
          { name: "py-deps", dir: "deps" },
          { name: "tools", dir: "deps" },
        ],
      },
      ["publish", "py-dep"],
      "py-dep is not a layer of layerctl.config.json, nor a file or folder here (its layers: py-deps, tools); did you mean py-deps?",
    ],
    [
      "a lifecycle command on a layer not in the file",
      { layers: [{ name: "py-deps", dir: "deps" }] },
      ["prune", "py-dep", "--keep", "1"],
      "py-dep is not a layer of layerctl.config.json; give --provider",
    ],
  ])("%s", async (_label, config, args, message) => {
    const dir = await project(config);
    const r = await cli(args, dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expectOneLineError(r.stderr, message);
  });

  it("a missing bucket names every target that lacks one", async () => {
    const dir = await project({
      layers: [
        {
          name: "big",
          dir: "deps",
          providers: ["tencent", "aws"],
          regions: ["tencent:ap-guangzhou", "aws:us-east-1", "aws:eu-west-1"],
          runtimes: ["python3.10"],
          upload: "storage",
        },
      ],
    });
    const r = await cli(["publish"], dir);
    expect(r.code).toBe(2);
    // (after the layout warning: m.py is not where AWS's python3.10 looks)
    const lines = r.stderr
      .trimEnd()
      .split("\n")
      .filter((l) => !l.startsWith("warning: "));
    expectOneLineError(
      lines.join("\n"),
      "layerctl.config.json: layers[0] (big) buckets: no bucket for tencent ap-guangzhou, aws us-east-1, aws eu-west-1:",
      'add them to "buckets"',
    );
  });
});

describe("sharing where the cloud can", () => {
  it("publish --public with Tencent in the run shares on AWS and lists Tencent as skipped, exit 0", async () => {
    const r = ok(await cli(["publish", "reldeps", "--public", "--no-skip-unchanged", "--output", "json"]));
    const doc = JSON.parse(r.stdout);
    expect(doc.shares.map((s: { provider: string; region: string; status: string }) => `${s.provider} ${s.region} ${s.status}`)).toEqual([
      "tencent ap-guangzhou skipped",
      "aws us-east-1 shared",
      "aws eu-west-1 shared",
    ]);
    expect(doc.shares[0].reason).toMatch(/Tencent SCF has no API/);
    expect(r.stderr).toMatch(/tencent ap-guangzhou: reldeps version \d+ not shared \(public\): Tencent SCF has no API/);
  });
});

describe("lifecycle commands in the config's folder", () => {
  it("prune --keep 1 prunes every layer of the file in its targets, with no --provider", async () => {
    const r = ok(await cli(["prune", "--keep", "1", "--yes", "--include-in-use", "--output", "json"]));
    const doc = JSON.parse(r.stdout);
    expect(new Set(doc.results.map((x: { layerName: string }) => x.layerName))).toEqual(new Set(["reldeps", "reltools"]));
    expect(doc.results.filter((x: { status: string }) => x.status === "deleted").length).toBeGreaterThan(0);
    const left = ok(await cli(["versions", "--output", "version"]));
    for (const line of left.stdout.trimEnd().split("\n")) expect(line).toMatch(/^(reldeps|reltools) (tencent|aws) \S+ \d+$/);
    // One version left per layer and target.
    const lines = left.stdout.trimEnd().split("\n");
    expect(new Set(lines.map((l) => l.split(" ").slice(0, 3).join(" "))).size).toBe(lines.length);
    await stat(path.join(root, "layers.lock.json"));
  });
});
