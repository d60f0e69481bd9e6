// The config file: discovery upwards with every supported name, every kind of schema error as one
// usage line (file, key path, expectation), the shipped JSON Schemas, and publishing from it.
import { beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { loadConfig, type LoadedConfig } from "../../src/config/load.js";
import { configJsonSchema } from "../../src/config/schema.js";
import { outputJsonSchema } from "../../src/record/output-schema.js";
import { fromLayer, publishWithConfig } from "../../src/release/publish-config.js";
import { scopeLayers } from "../../src/release/config-scope.js";
import { preparePublish } from "../../src/release/publish.js";
import { pack } from "../../src/archive/index.js";
import type { UsageError } from "../../src/errors.js";
import { emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { silentLogger } from "../../src/output/log.js";
import { tempDir, tempTree } from "../helpers/archive.js";
import { usageRejectionOf } from "../helpers/cli-expect.js";
import { REPO } from "../helpers/cli.js";
import { useEmulator } from "../helpers/emulator.js";

const MINIMAL = { layers: [{ name: "deps", dir: "deps" }] };

const project = (files: Record<string, string>) => tempTree("layerctl-config-", files);

/** A usage error, exit 2, on one line. */
async function usageError(p: Promise<unknown>): Promise<UsageError> {
  const err = await usageRejectionOf(p);
  expect(err.exitCode).toBe(2);
  expect(err.message).not.toContain("\n");
  return err;
}

describe("discovery", () => {
  it.each([
    ["layerctl.config.json", JSON.stringify(MINIMAL)],
    [".layerctlrc", "layers:\n  - name: deps\n    dir: deps\n"],
    [".layerctlrc.json", JSON.stringify(MINIMAL)],
    [".layerctlrc.yaml", "layers:\n  - {name: deps, dir: deps}\n"],
    ["package.json", JSON.stringify({ name: "app", layerctl: MINIMAL })],
  ])("finds %s from a folder below it", async (name, content) => {
    const root = await project({ [name]: content, "src/deep/x.txt": "" });
    const loaded = await loadConfig({ cwd: path.join(root, "src/deep") });
    expect(loaded).toMatchObject({ file: path.join(root, name), dir: root, config: MINIMAL });
  });

  it("returns null when there is none, and ignores a package.json without the key", async () => {
    const root = await project({ "package.json": JSON.stringify({ name: "app" }) });
    expect(await loadConfig({ cwd: root })).toBeNull();
  });

  it("--config picks a file explicitly, and a missing one is a usage error", async () => {
    const root = await project({ "conf/release.yaml": "layers: [{name: other, dir: x}]\n", "layerctl.config.json": JSON.stringify(MINIMAL) });
    expect((await loadConfig({ cwd: root, file: "conf/release.yaml" }))!.config.layers[0]!.name).toBe("other");
    const err = await usageError(loadConfig({ cwd: root, file: "nope.json" }));
    expect(err.message).toContain("nope.json does not exist");
  });
});

describe("schema errors: one line naming the file, the key path and what is expected", () => {
  const layer = (extra: Record<string, unknown>) => JSON.stringify({ layers: [{ name: "deps", dir: "deps", ...extra }] });
  it.each([
    ["an unknown top-level key", JSON.stringify({ ...MINIMAL, layer: [] }), /layerctl\.config\.json: layer: unknown key/],
    ["an unknown layer key", layer({ runtime: ["python3.10"] }), /layerctl\.config\.json: layers\[0\] \(deps\) runtime: unknown key \(/],
    ["a wrong type", layer({ runtimes: "python3.10" }), /layers\[0\] \(deps\) runtimes: expected a list of runtime ids, or an object of them by provider/],
    ["a wrong value", layer({ providers: ["gcp"] }), /layers\[0\] \(deps\) providers\[0\]: expected one of "tencent"\|"aws"\|"aliyun"/],
    ["a missing key", JSON.stringify({ layers: [{ name: "deps" }] }), /layers\[0\] \(deps\) dir: missing \(expected a layer directory or \.zip, or a "build" key\)/],
    ["a wrong type in a nested object", layer({ attach: { functions: "api" } }), /layers\[0\] \(deps\) attach\.functions: expected array, received string/],
    ["an unknown provider in a per-provider value", layer({ prefix: { gcp: "python" } }), /layers\[0\] \(deps\) prefix\.gcp: unknown key in prefix/],
    ["a boolean as a string", layer({ skipUnchanged: "yes" }), /layers\[0\] \(deps\) skipUnchanged: expected boolean, received string/],
    ["no layers", JSON.stringify({ layers: [] }), /layers: expected at least one layer/],
    [
      "a name declared twice",
      JSON.stringify({
        layers: [
          { name: "a", dir: "a" },
          { name: "a", dir: "b" },
        ],
      }),
      /layers\[1\] \(a\) name: expected a unique name, "a" is declared twice/,
    ],
    ["invalid JSON", '{\n  "layers": [\n    {name: "x"}\n]}', /layerctl\.config\.json: not valid JSON: line 3, column 6: Expected property name or '\}'$/],
    ["JSON cut short", '{"layers": [', /layerctl\.config\.json: not valid JSON: line 1, column 13: Unexpected end of JSON input$/],
    [
      "a bucket for an unknown provider",
      layer({ buckets: { gcp: "x" } }),
      /layers\[0\] \(deps\) buckets\.gcp: expected a provider \(tencent, aws, aliyun\) or provider:region as the key/,
    ],
    ["a bucket rule written as a name", layer({ buckets: { aws: "aws=x" } }), /layers\[0\] \(deps\) buckets\.aws: expected a bucket name/],
    ["buckets as a list", layer({ buckets: ["x"] }), /layers\[0\] \(deps\) buckets: expected a bucket name, or an object of them by provider or provider:region/],
    ["an upload mode it does not know", layer({ upload: "s3" }), /layers\[0\] \(deps\) upload: expected one of "auto"\|"inline"\|"storage"/],
    ["keepStaged as a string", layer({ keepStaged: "yes" }), /layers\[0\] \(deps\) keepStaged: expected boolean, received string/],
    ["a storage endpoint without a scheme", layer({ storageEndpoint: "127.0.0.1:9000" }), /layers\[0\] \(deps\) storageEndpoint: expected a plain http\(s\):\/\/host\[:port\] URL/],
    ["buckets with upload inline", layer({ upload: "inline", buckets: "b" }), /layers\[0\] \(deps\) buckets: has no use with "upload": "inline"/],
  ])("%s", async (_label, content, expected) => {
    const root = await project({ "layerctl.config.json": content });
    const err = await usageError(loadConfig({ cwd: root }));
    expect(err.message).toMatch(expected);
    expect(err.code).toBe("InvalidConfig");
  });

  it("names a YAML file and its syntax error", async () => {
    const root = await project({ ".layerctlrc.yaml": "layers:\n  - name: [unclosed\n" });
    const err = await usageError(loadConfig({ cwd: root }));
    expect(err.message).toMatch(/^\.layerctlrc\.yaml: not valid YAML or JSON: |layerctlrc\.yaml: not valid YAML or JSON: /);
  });

  it("counts the other problems", async () => {
    const root = await project({ "layerctl.config.json": JSON.stringify({ layers: [{ name: 1, dir: 2 }] }) });
    expect((await usageError(loadConfig({ cwd: root }))).message).toContain("(and 1 more problem)");
  });
});

describe("shipped JSON Schemas", () => {
  it("schema/config.schema.json and schema/output.schema.json are what the zod schemas generate", async () => {
    expect(JSON.parse(await readFile(path.join(REPO, "schema/config.schema.json"), "utf8"))).toEqual(configJsonSchema());
    expect(JSON.parse(await readFile(path.join(REPO, "schema/output.schema.json"), "utf8"))).toEqual(outputJsonSchema());
  });

  it("the config schema forbids unknown keys and lists the layer keys, so editors complete them", () => {
    const schema = configJsonSchema() as {
      additionalProperties: boolean;
      properties: { layers: { items: { properties: Record<string, unknown>; additionalProperties: boolean } } };
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.layers.items.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties.layers.items.properties)).toEqual(
      expect.arrayContaining([
        "name",
        "dir",
        "runtimes",
        "architectures",
        "description",
        "license",
        "excludes",
        "prefix",
        "symlinks",
        "providers",
        "regions",
        "skipUnchanged",
        "attach",
        "record",
        "upload",
        "buckets",
        "keepStaged",
        "storageEndpoint",
      ]),
    );
  });
});

describe("the staging keys as publish input", () => {
  const loaded = (l: Record<string, unknown>): LoadedConfig => ({
    file: "/p/layerctl.config.json",
    dir: "/p",
    config: { layers: [{ name: "deps", dir: "deps", providers: ["aws"], ...l }] },
  });
  const input = (l: Record<string, unknown>, flags: Record<string, unknown> = {}) => {
    const c = loaded(l);
    const parsed = fromLayer(scopeLayers(c, undefined, flags, {}).layers[0]!, c, { bucket: [], ...flags }).input;
    // The buckets arrive parsed (the strings are not passed on): each rule as it was written.
    expect(parsed.bucket).toBeUndefined();
    return { ...parsed, bucket: parsed.buckets?.map((r) => r.entry) };
  };
  const keys = {
    providers: ["tencent", "aws", "aliyun"],
    upload: "storage",
    buckets: { aws: "my-layers-{region}", "tencent:ap-guangzhou": "layers-1250000000", aliyun: "oss-layers" },
    keepStaged: true,
    storageEndpoint: "http://127.0.0.1:9000",
  };

  it("become --upload, --bucket (NAME, provider=NAME, provider:region=NAME), --keep-staged and --storage-endpoint", () => {
    expect(input(keys)).toMatchObject({
      upload: "storage",
      bucket: ["aws=my-layers-{region}", "tencent:ap-guangzhou=layers-1250000000", "aliyun=oss-layers"],
      keepStaged: true,
      storageEndpoint: "http://127.0.0.1:9000",
    });
    expect(input(keys).buckets).toEqual([
      { provider: "aws", name: "my-layers-{region}", entry: "aws=my-layers-{region}" },
      { provider: "tencent", region: "ap-guangzhou", name: "layers-1250000000", entry: "tencent:ap-guangzhou=layers-1250000000" },
      { provider: "aliyun", name: "oss-layers", entry: "aliyun=oss-layers" },
    ]);
    expect(input({ buckets: "one-for-all" }).bucket).toEqual(["one-for-all"]);
    expect(input({}).bucket).toEqual([]);
  });

  it("flags win over them", () => {
    expect(input(keys, { upload: "auto", bucket: ["aws=flag-bucket"], storageEndpoint: "http://127.0.0.1:1" })).toMatchObject({
      upload: "auto",
      bucket: ["aws=flag-bucket"],
      storageEndpoint: "http://127.0.0.1:1",
    });
  });

  it("--provider narrows them to its providers, as it narrows the regions", () => {
    expect(input(keys, { provider: ["tencent"] }).bucket).toEqual(["tencent:ap-guangzhou=layers-1250000000"]);
    expect(input({ ...keys, buckets: "one-for-all" }, { provider: ["aws"] }).bucket).toEqual(["one-for-all"]);
  });

  it("--upload inline leaves the file's buckets out, but keeps --bucket to be refused", () => {
    expect(input(keys, { upload: "inline" }).bucket).toEqual([]);
    expect(input(keys, { upload: "inline", bucket: ["b"] }).bucket).toEqual(["b"]);
  });
});

describe("publishing from the config", () => {
  let emu: RunningEmulator;
  let env: NodeJS.ProcessEnv;
  let root: string;
  const ctx = () => ({ env, log: silentLogger });

  useEmulator(
    {
      functionUpdateDelayMs: 0,
      buckets: [
        { provider: "aws", name: "cfg-layers-us-east-1", region: "us-east-1" },
        { provider: "tencent", name: "cfg-layers-1250000000", region: "ap-guangzhou" },
      ],
    },
    (started) => {
      emu = started;
    },
  );
  beforeAll(async () => {
    env = { ...emulatorEnv(emu.credentials, emu.url), AWS_EC2_METADATA_DISABLED: "true" };
    root = await project({
      "layers/deps/mod.py": "x = 1\n",
      "layers/tools/bin/tool": "#!/bin/sh\n",
      "layerctl.config.json": JSON.stringify({
        layers: [
          {
            name: "cfgdeps",
            dir: "layers/deps",
            runtimes: { aws: ["python3.11"], aliyun: ["python3.10"], tencent: ["python3.9"] },
            prefix: { aws: "python", aliyun: "python", tencent: "" },
            providers: ["tencent", "aws", "aliyun"],
            description: "from config",
          },
          { name: "cfgtools", dir: "layers/tools", runtimes: ["python3.10"], providers: ["aws"], regions: ["us-east-1", "eu-west-1"] },
        ],
      }),
    });
  });

  it("with no source publishes every configured layer, with per-provider runtimes and one zip per prefix", async () => {
    const doc = await publishWithConfig({ cwd: path.join(root, "layers") }, ctx(), preparePublish);
    expect(doc.results.map((r) => `${r.layerName} ${r.provider} ${r.region} ${r.compatibleRuntimes.join(",")}`)).toEqual([
      "cfgdeps tencent ap-guangzhou Python3.9",
      "cfgdeps aws us-east-1 python3.11",
      "cfgdeps aliyun cn-hangzhou python3.10",
      "cfgtools aws us-east-1 python3.10",
      "cfgtools aws eu-west-1 python3.10",
    ]);
    expect(doc.results.every((r) => r.status === "published" && r.description === (r.layerName === "cfgdeps" ? "from config" : null))).toBe(true);
    // cfgdeps: a zip at the root (tencent) and one under python/ (aws, aliyun); cfgtools: one zip
    expect(doc.archives).toHaveLength(3);
    const [root0, python] = [doc.archives![0]!, doc.archives![1]!];
    expect(root0.sha256).not.toBe(python.sha256);
    const byProvider = Object.fromEntries(doc.results.filter((r) => r.layerName === "cfgdeps").map((r) => [r.provider, r.codeSha256]));
    expect(byProvider).toEqual({ tencent: root0.sha256, aws: python.sha256, aliyun: python.sha256 });
    // each zip is the deterministic one for its prefix
    const out = await tempDir();
    const again = await pack({ dir: path.join(root, "layers/deps"), output: path.join(out, "p.zip"), prefix: "python" });
    expect(again.archive.sha256).toBe(python.sha256);
  });

  it("publishes one configured layer by name, with flags overriding the file and --region selecting among its regions", async () => {
    const doc = await publishWithConfig({ cwd: root, source: "cfgtools", region: ["eu-west-1"], description: "flag wins" }, ctx(), preparePublish);
    expect(doc.results.map((r) => [r.layerName, r.region, r.version, r.description])).toEqual([["cfgtools", "eu-west-1", 2, "flag wins"]]);
    expect(doc.archive).toBeDefined();
    // A region the layer does not publish to selects nothing: a mistake, said before any call.
    const before = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
    const err = await usageError(publishWithConfig({ cwd: root, source: "cfgtools", region: ["us-west-2"] }, ctx(), preparePublish));
    expect(err.message).toMatch(/^--region us-west-2: no layer of .*layerctl\.config\.json named here \(cfgtools\) publishes there$/);
    expect(err.hint).toBe("its layers publish to: cfgtools (aws:us-east-1, aws:eu-west-1)");
    expect(Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0)).toBe(before);
  });

  it("--runtime aws:...,aliyun:... on the command line picks per-provider runtimes", async () => {
    const doc = await publishWithConfig(
      {
        cwd: root,
        source: path.join(root, "layers/deps"),
        name: "cliruntimes",
        provider: ["aws,aliyun"],
        runtime: ["aws:python3.12,aliyun:python3.9"],
        prefix: "aws:python,aliyun:python",
      },
      ctx(),
      preparePublish,
    );
    expect(doc.results.map((r) => [r.provider, r.compatibleRuntimes])).toEqual([
      ["aws", ["python3.12"]],
      ["aliyun", ["python3.9"]],
    ]);
    expect(doc.archive).toBeDefined();
  });

  it('"sharing" means what --public / --share-account mean: shared where the provider can, skipped where it cannot', async () => {
    const shared = await project({
      "a/x.py": "",
      "layerctl.config.json": JSON.stringify({
        layers: [
          { name: "cfgshared", dir: "a", runtimes: ["python3.10"], providers: ["aws"], sharing: { accounts: ["210987654321"] } },
          { name: "cfgnoshare", dir: "a", runtimes: ["python3.10"], providers: ["tencent"], sharing: { public: true } },
          { name: "cfgbyprovider", dir: "a", runtimes: ["python3.10"], providers: ["aws", "aliyun"], sharing: { aws: { accounts: ["210987654321"] }, aliyun: { public: true } } },
          { name: "cfgbadid", dir: "a", runtimes: ["python3.10"], providers: ["aws"], sharing: { accounts: ["12345"] } },
        ],
      }),
    });
    // Tencent has no sharing API: the layer is published, its grant listed as skipped with the reason.
    const none = await publishWithConfig({ cwd: shared, source: "cfgnoshare" }, ctx(), preparePublish);
    expect(none.results).toEqual([expect.objectContaining({ provider: "tencent", status: "published" })]);
    expect(none.shares).toEqual([expect.objectContaining({ provider: "tencent", status: "skipped", grantee: "public", reason: expect.stringMatching(/no API/) })]);
    const doc = await publishWithConfig({ cwd: shared, source: "cfgshared" }, ctx(), preparePublish);
    expect(doc.results).toEqual([expect.objectContaining({ provider: "aws", status: "published" })]);
    expect(emu.faults.counts()["aws:AddLayerVersionPermission"]).toBe(1);
    // By provider: each provider its own grants.
    const byProvider = await publishWithConfig({ cwd: shared, source: "cfgbyprovider" }, ctx(), preparePublish);
    expect(byProvider.shares!.map((s) => [s.provider, s.grantee, s.status])).toEqual([
      ["aws", "account 210987654321", "shared"],
      ["aliyun", "public", "shared"],
    ]);
    // An id written wrong is still refused before any call.
    const before = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
    expect((await usageError(publishWithConfig({ cwd: shared, source: "cfgbadid" }, ctx(), preparePublish))).code).toBe("InvalidGrantee");
    expect(Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0)).toBe(before);
  });

  it("checks every layer before publishing any", async () => {
    const bad = await project({
      "a/x.py": "",
      "layerctl.config.json": JSON.stringify({
        layers: [
          { name: "first", dir: "a", runtimes: ["python3.10"], providers: ["aws"] },
          { name: "second", dir: "a", runtimes: ["cobol"], providers: ["aws"] },
        ],
      }),
    });
    const before = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
    const err = await usageError(publishWithConfig({ cwd: bad }, ctx(), preparePublish));
    // Named where the file writes it.
    expect(err.message).toMatch(/layerctl\.config\.json: layers\[1\] \(second\) runtimes\[0\]: .*cobol/);
    expect(Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0)).toBe(before);
  });

  it('"upload", "buckets" and "keepStaged" mean what --upload, --bucket and --keep-staged mean', async () => {
    const staged = await project({
      "a/x.py": "",
      "layerctl.config.json": JSON.stringify({
        layers: [
          {
            name: "cfgstaged",
            dir: "a",
            runtimes: ["python3.10"],
            providers: ["tencent", "aws"],
            upload: "storage",
            buckets: { aws: "cfg-layers-{region}", "tencent:ap-guangzhou": "cfg-layers-1250000000" },
            keepStaged: true,
          },
        ],
      }),
    });
    const removed = () => (emu.faults.counts()["aws:DeleteObject"] ?? 0) + (emu.faults.counts()["tencent:DeleteObject"] ?? 0);
    const before = removed();
    const doc = await publishWithConfig({ cwd: staged }, ctx(), preparePublish);
    // One key for the run: the layer, its zip and something unique to the run.
    const key = doc.results[0]!.staged!.key;
    expect(key).toMatch(new RegExp(`^layerctl/cfgstaged/${doc.archive!.sha256}-[0-9a-f]{8}\\.zip$`));
    expect(doc.results.map((r) => [r.provider, r.status, r.upload, r.staged])).toEqual([
      ["tencent", "published", "storage", { bucket: "cfg-layers-1250000000", key, kept: true, removeCommand: expect.stringContaining(`cos://cfg-layers-1250000000/${key}`) }],
      ["aws", "published", "storage", { bucket: "cfg-layers-us-east-1", key, kept: true, removeCommand: `aws s3 rm s3://cfg-layers-us-east-1/${key} --region us-east-1` }],
    ]);
    expect(removed()).toBe(before);
    // --upload inline on the command line wins, and the file's buckets then have nothing to do.
    const inline = await publishWithConfig({ cwd: staged, upload: "inline" }, ctx(), preparePublish);
    expect(inline.results.map((r) => [r.provider, r.status, r.upload])).toEqual([
      ["tencent", "published", "inline"],
      ["aws", "published", "inline"],
    ]);
  });

  it("a bucket for a provider the layer does not publish to names its key, before any call", async () => {
    const bad = await project({
      "a/x.py": "",
      "layerctl.config.json": JSON.stringify({
        layers: [{ name: "cfgunused", dir: "a", runtimes: ["python3.10"], providers: ["aws"], buckets: { aws: "b-1", tencent: "b-1250000000" } }],
      }),
    });
    const before = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
    const err = await usageError(publishWithConfig({ cwd: bad }, ctx(), preparePublish));
    expect(err.message).toMatch(/layerctl\.config\.json: layers\[0\] \(cfgunused\) buckets\.tencent: names tencent, which is not among the layer's providers \(aws\)$/);
    expect(err.code).toBe("UnusedBucket");
    expect(Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0)).toBe(before);
  });

  it("checks every layer's staging options before publishing any", async () => {
    const two = await project({
      "a/x.py": "",
      "layerctl.config.json": JSON.stringify({
        layers: [
          { name: "cfgfirst", dir: "a", runtimes: ["python3.10"], providers: ["tencent"] },
          { name: "cfgsecond", dir: "a", runtimes: ["python3.10"], providers: ["aws"] },
        ],
      }),
    });
    const before = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
    // No layer of the run publishes to Aliyun: that bucket serves nothing.
    const err = await usageError(publishWithConfig({ cwd: two, bucket: ["aliyun=b", "tencent=b-1250000000"] }, ctx(), preparePublish));
    expect(err.code).toBe("UnusedBucket");
    expect(err.message).toBe("--bucket aliyun=b names aliyun, to which no layer of this run publishes");
    // --bucket is read by the one grammar once for the run, as on a single publish: a rule written
    // wrong, or one naming no provider, is refused, never dropped as another provider's.
    const form = await usageError(publishWithConfig({ cwd: two, bucket: ["aws:b"] }, ctx(), preparePublish));
    expect([form.code, form.message]).toEqual(["InvalidBucket", '--bucket "aws:b" must be NAME, provider=NAME or provider:region=NAME']);
    const unknown = await usageError(publishWithConfig({ cwd: two, bucket: ["gcp=b"] }, ctx(), preparePublish));
    expect([unknown.code, unknown.message]).toEqual(["UnknownProvider", 'unknown provider "gcp"']);
    expect(Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0)).toBe(before);
  });

  it("with no source and no config file is a usage error saying what to do", async () => {
    const empty = await tempDir();
    const err = await usageError(publishWithConfig({ cwd: empty }, ctx(), preparePublish));
    expect(err.message).toBe("no layer directory given and no config file found");
    expect(err.hint).toContain("layerctl init");
  });
});
