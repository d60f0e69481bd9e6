// Which layers and targets a run works on with a config file: the top level's settings inherited
// (a layer's own key replaces them), --provider / --region selecting among the declared targets,
// never adding to them; where the file leaves a provider's regions open, the flags choose.
import { usageErrorOf } from "../helpers/cli-expect.js";
import { describe, expect, it } from "vitest";
import { effectiveLayers, validateConfig, type LoadedConfig } from "../../src/config/load.js";
import { scopeLayers } from "../../src/release/config-scope.js";

function loaded(config: unknown): LoadedConfig {
  return { file: "/p/layerctl.config.json", dir: "/p", config: validateConfig(config, "/p/layerctl.config.json") };
}

const targets = (l: LoadedConfig, flags: { provider?: string[]; region?: string[] } = {}, names?: string[]) => {
  const s = scopeLayers(l, names, flags, {});
  return { layers: Object.fromEntries(s.layers.map((x) => [x.layer.name, x.regions])), skipped: s.skipped.map((x) => x.layerName) };
};

const usage = usageErrorOf;

const FILE = {
  providers: ["tencent", "aws", "aliyun"],
  regions: ["tencent:ap-guangzhou", "aws:us-east-1", "aws:eu-west-1", "aliyun:cn-hangzhou"],
  skipUnchanged: true,
  layers: [
    { name: "deps", dir: "deps" },
    { name: "tools", dir: "tools", providers: ["aws"], skipUnchanged: false },
    { name: "assets", dir: "assets", providers: ["aws", "aliyun"], regions: ["us-east-1", "aliyun:cn-shanghai"] },
  ],
};

describe("top-level defaults", () => {
  it("a layer inherits what it does not set, and its own key replaces the top level's whole", () => {
    const [deps, tools, assets] = effectiveLayers(loaded(FILE).config);
    expect(deps).toMatchObject({ providers: ["tencent", "aws", "aliyun"], skipUnchanged: true });
    expect([...deps!.inherited].sort()).toEqual(["providers", "regions", "skipUnchanged"]);
    expect(tools).toMatchObject({ providers: ["aws"], skipUnchanged: false });
    expect(assets!.regions).toEqual(["us-east-1", "aliyun:cn-shanghai"]);
  });

  it("inherited provider:region entries for a provider a layer does not use are not its concern", () => {
    expect(targets(loaded(FILE)).layers).toEqual({
      deps: ["tencent:ap-guangzhou", "aws:us-east-1", "aws:eu-west-1", "aliyun:cn-hangzhou"],
      tools: ["aws:us-east-1", "aws:eu-west-1"],
      // a bare region applies to the providers without entries of their own
      assets: ["aws:us-east-1", "aliyun:cn-shanghai"],
    });
  });

  it("a layer's own region for a provider it does not use is a mistake, named where it is written", () => {
    const err = usage(() => targets(loaded({ layers: [{ name: "x", dir: ".", providers: ["aws"], regions: ["aliyun:cn-hangzhou"] }] })));
    expect(err.message).toBe("/p/layerctl.config.json: layers[0] (x) regions[0]: names aliyun, which is not among the layer's providers (aws)");
  });
});

describe("flags select among the declared targets", () => {
  it("--provider keeps that provider's targets; a layer with none left is skipped", () => {
    expect(targets(loaded(FILE), { provider: ["tencent"] })).toEqual({ layers: { deps: ["tencent:ap-guangzhou"] }, skipped: ["tools", "assets"] });
  });

  it("--region provider:region and bare regions keep the matching targets only", () => {
    expect(targets(loaded(FILE), { region: ["aws:eu-west-1"] })).toEqual({ layers: { deps: ["aws:eu-west-1"], tools: ["aws:eu-west-1"] }, skipped: ["assets"] });
    expect(targets(loaded(FILE), { region: ["us-east-1", "cn-shanghai"] }).layers).toEqual({
      deps: ["aws:us-east-1"],
      tools: ["aws:us-east-1"],
      assets: ["aws:us-east-1", "aliyun:cn-shanghai"],
    });
  });

  it("a flag that selects nothing is one usage error listing what the layers publish to", () => {
    const err = usage(() => targets(loaded(FILE), { region: ["aws:us-west-2"] }));
    expect(err.message).toBe("--region aws:us-west-2: no layer of /p/layerctl.config.json publishes there");
    expect(err.hint).toContain("tools (aws:us-east-1, aws:eu-west-1)");
    expect(usage(() => targets(loaded(FILE), { provider: ["tencent"] }, ["tools"])).code).toBe("NoSuchTarget");
  });

  it("where the file leaves a provider's regions open, --region chooses (else the default region)", () => {
    const open = loaded({ layers: [{ name: "x", dir: ".", providers: ["aws", "tencent"] }] });
    expect(targets(open).layers).toEqual({ x: ["aws:us-east-1", "tencent:ap-guangzhou"] });
    expect(targets(open, { region: ["aws:us-west-2"] }).layers).toEqual({ x: ["aws:us-west-2"] });
  });

  it("--region aws:all (and all) selects every region a layer declares for aws (for every provider)", () => {
    expect(targets(loaded(FILE), { region: ["aws:all"] })).toEqual({
      layers: { deps: ["aws:us-east-1", "aws:eu-west-1"], tools: ["aws:us-east-1", "aws:eu-west-1"], assets: ["aws:us-east-1"] },
      skipped: [],
    });
    expect(targets(loaded(FILE), { region: ["all"] }).layers.deps).toEqual(["tencent:ap-guangzhou", "aws:us-east-1", "aws:eu-west-1", "aliyun:cn-hangzhou"]);
    expect(targets(loaded(FILE), { provider: ["aliyun"], region: ["aliyun:all"] })).toEqual({
      layers: { deps: ["aliyun:cn-hangzhou"], assets: ["aliyun:cn-shanghai"] },
      skipped: ["tools"],
    });
  });

  it('a layer declaring "aws:all" holds any aws region --region names: taken on its shape, typos refused', () => {
    const fleet = loaded({ providers: ["aws", "tencent"], regions: ["aws:all", "tencent:ap-guangzhou"], layers: [{ name: "x", dir: "." }] });
    expect(targets(fleet).layers).toEqual({ x: ["aws:all", "tencent:ap-guangzhou"] });
    expect(targets(fleet, { region: ["aws:all"] }).layers).toEqual({ x: ["aws:all"] });
    expect(targets(fleet, { region: ["aws:eu-west-1"] }).layers).toEqual({ x: ["aws:eu-west-1"] });
    // A bare region is another cloud's where it has that cloud's shape only.
    expect(targets(fleet, { region: ["ap-guangzhou"] }).layers).toEqual({ x: ["tencent:ap-guangzhou"] });
    expect(targets(fleet, { region: ["ap-southeast-6"] }).layers).toEqual({ x: ["aws:ap-southeast-6"] });
    expect(usage(() => targets(fleet, { region: ["aws:us-east1"] })).message).toBe('unknown aws region "us-east1" (did you mean us-east-1?)');
    expect(usage(() => targets(fleet, { region: ["tencent:ap-shanghai"] })).message).toBe("--region tencent:ap-shanghai: no layer of /p/layerctl.config.json publishes there");
  });

  it("a layer named that the file does not declare lists its layers, with the closest", () => {
    const err = usage(() => scopeLayers(loaded(FILE), ["dep"], {}, {}));
    expect(err.message).toBe("dep is not a layer of /p/layerctl.config.json (its layers: deps, tools, assets)");
    expect(err.hint).toBe("did you mean deps?");
  });

  it("two layer names that give one env key are refused", () => {
    const err = usage(() =>
      loaded({
        layers: [
          { name: "py-deps", dir: "a" },
          { name: "py_deps", dir: "b" },
        ],
      }),
    );
    expect(err.message).toMatch(/layers\[1\] \(py_deps\) name: "py_deps" and "py-deps" give the same --output env keys/);
  });
});
