// layerctl init: guesses from the folder's contents, a config that validates and publishes, and
// never overwriting one that exists.
import { describe, expect, it } from "vitest";
import { cp, readFile } from "node:fs/promises";
import path from "node:path";
import { initCommand } from "../../src/commands/init.js";
import { publishWithConfig } from "../../src/release/publish-config.js";
import { preparePublish } from "../../src/release/publish.js";
import { loadConfig } from "../../src/config/load.js";
import { UsageError } from "../../src/errors.js";
import { providers } from "../../src/providers/index.js";
import { silentLogger } from "../../src/output/log.js";
import { tempDir, tempTree } from "../helpers/archive.js";
import { REPO } from "../helpers/cli.js";

const folder = (files: Record<string, string>) => tempTree("layerctl-init-", files);

describe("init", () => {
  it("on the example layers: the Node layer (already laid out for AWS/Aliyun) and the Python one (prefix python for AWS and Aliyun, the root for Tencent)", async () => {
    const root = await tempDir("layerctl-init-");
    await cp(path.join(REPO, "examples/layers"), path.join(root, "layers"), { recursive: true });
    const r = await initCommand({ cwd: root, dir: "layers" });
    expect(r.file).toBe(path.join(root, "layerctl.config.json"));
    expect(r.config.layers).toEqual([
      { name: "node-deps", dir: "layers/node-deps", runtimes: ["nodejs18"], providers: ["aws", "aliyun"] },
      {
        name: "python-deps",
        dir: "layers/python-deps",
        runtimes: ["python3.10"],
        prefix: { aws: "python", aliyun: "python", tencent: "" },
        providers: ["tencent", "aws", "aliyun"],
      },
    ]);
    expect(r.notes).toEqual(["layers/node-deps: nodejs/node_modules is the AWS/Aliyun layout; Tencent expects node_modules at the zip root"]);
    // what it wrote is what loads, and a dry run of it is clean
    expect((await loadConfig({ cwd: root }))!.config).toEqual(r.config);
    // A dry run needs no credentials.
    const doc = await publishWithConfig({ cwd: root, dryRun: true }, { env: {}, log: silentLogger }, preparePublish);
    expect(doc.results.map((x) => [x.provider, x.status, x.compatibleRuntimes])).toEqual([
      ["aws", "planned", ["nodejs18.x"]],
      ["aliyun", "planned", ["nodejs18"]],
      ["tencent", "planned", ["Python3.10"]],
      ["aws", "planned", ["python3.10"]],
      ["aliyun", "planned", ["python3.10"]],
    ]);
  });

  it.each([
    [
      "requirements.txt",
      { "requirements.txt": "requests\n" },
      { runtimes: ["python3.10"], prefix: { aws: "python", aliyun: "python", tencent: "" } },
      /pip install -r requirements.txt/,
    ],
    ["python/", { "python/mod.py": "" }, { runtimes: ["python3.10"], providers: ["aws", "aliyun"] }, /Tencent looks in \/opt/],
    ["package.json", { "package.json": "{}" }, { runtimes: ["nodejs18"], prefix: { aws: "nodejs", aliyun: "nodejs", tencent: "" } }, /npm install/],
    ["nodejs/node_modules", { "nodejs/node_modules/x/index.js": "" }, { runtimes: ["nodejs18"], providers: ["aws", "aliyun"] }, /Tencent expects node_modules/],
    ["bin/", { "bin/tool": "#!/bin/sh\n" }, { runtimes: ["custom"], providers: ["tencent", "aws", "aliyun"] }, null],
  ])("guesses from %s", async (_label, files, expected, note) => {
    const root = await folder(files);
    const r = await initCommand({ cwd: root });
    expect(r.config.layers).toHaveLength(1);
    expect(r.config.layers[0]).toMatchObject({ dir: ".", ...expected });
    if (note) expect(r.notes.join("\n")).toMatch(note);
    else expect(r.notes).toEqual([]);
    // every guessed runtime id is one that each chosen provider knows
    for (const p of r.config.layers[0]!.providers!) expect(() => providers[p].resolveRuntimes(r.config.layers[0]!.runtimes as string[])).not.toThrow();
  });

  it("refuses to overwrite an existing config, in any of its forms", async () => {
    for (const [name, content] of [
      ["layerctl.config.json", "{}"],
      [".layerctlrc.yaml", "layers: []\n"],
      ["package.json", JSON.stringify({ layerctl: { layers: [] } })],
    ]) {
      const root = await folder({ [name!]: content!, "bin/x": "" });
      const err = await initCommand({ cwd: root }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).code).toBe("ConfigExists");
      expect(await readFile(path.join(root, name!), "utf8")).toBe(content);
    }
  });

  it("a package.json without a layerctl key is not a config; a folder with nothing layer-like is a usage error", async () => {
    const root = await folder({ "package.json": JSON.stringify({ name: "app" }) });
    expect((await initCommand({ cwd: root })).config.layers[0]!.runtimes).toEqual(["nodejs18"]);
    const empty = await folder({ "docs/readme.md": "" });
    await expect(initCommand({ cwd: empty })).rejects.toMatchObject({ code: "NothingToInit", exitCode: 2 });
  });
});
