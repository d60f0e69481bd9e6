// The one env writer: keys unique in a document, the layer in every key when a document can hold
// several, version lines labelled when there are several targets or layers.
import { describe, expect, it } from "vitest";
import { envKey, envLines, markManyLayers, versionLabel } from "../../src/output/env.js";
import { renderLayerDocument } from "../../src/output/records.js";
import { blankRecord } from "../../src/providers/record.js";

describe("env lines", () => {
  it("a key two things give with different values is left out, never the last one silently", () => {
    // Layers "py-deps" and "py_deps" give one key.
    const pairs: Array<[string, string | number]> = [
      [envKey("py-deps", "aws", "us-east-1", "VERSION"), 3],
      [envKey("py_deps", "aws", "us-east-1", "VERSION"), 4],
      [envKey("py-deps", "aws", "eu-west-1", "VERSION"), 2],
      [envKey("py_deps", "aws", "eu-west-1", "VERSION"), 2],
    ];
    expect(envLines(pairs)).toBe("LAYERCTL_PY_DEPS_AWS_EU_WEST_1_VERSION=2\n");
  });

  it("values are single tokens no shell or make treats specially", () => {
    expect(envLines([["LAYERCTL_X", "a b;$(rm -rf)"]])).toBe("LAYERCTL_X=a_b___rm_-rf_\n");
  });
});

describe("a document that can hold several layers", () => {
  const rec = (layerName: string, region: string, version: number) => ({ ...blankRecord("aws", region, layerName), version });

  it("names the layer in every key, even when this run happened to publish one", () => {
    const one = markManyLayers({ results: [rec("deps", "us-east-1", 3)] });
    const out = renderLayerDocument(one, "env");
    expect(out).toContain("LAYERCTL_DEPS_AWS_US_EAST_1_VERSION=3\n");
    expect(out).not.toMatch(/^LAYERCTL_VERSION=/m);
    expect(JSON.parse(renderLayerDocument(one, "json"))).toEqual({ results: one.results });
    expect(renderLayerDocument(one, "version")).toBe("deps aws us-east-1 3\n");
  });

  it("a plain document keeps its keys and bare version for one target", () => {
    const doc = { results: [rec("deps", "us-east-1", 3)] };
    expect(renderLayerDocument(doc, "env")).toContain("LAYERCTL_VERSION=3\nLAYERCTL_AWS_US_EAST_1_VERSION=3\n");
    expect(renderLayerDocument(doc, "version")).toBe("3\n");
  });

  it("versions of one target: the newest's fields, and every version in one key", () => {
    const doc = { results: [rec("deps", "us-east-1", 3), rec("deps", "us-east-1", 2), rec("deps", "us-east-1", 1)] };
    const out = renderLayerDocument(doc, "env");
    expect(out).toContain("LAYERCTL_AWS_US_EAST_1_VERSION=3\n");
    expect(out).toContain("LAYERCTL_AWS_US_EAST_1_VERSIONS=3,2,1\n");
    expect(renderLayerDocument(doc, "version")).toBe("3\n2\n1\n");
  });

  it("labels: the target with several targets, the layer and target with several layers", () => {
    const results = [rec("deps", "us-east-1", 3), rec("deps", "eu-west-1", 2)];
    expect(results.map(versionLabel(results, false))).toEqual(["aws us-east-1 ", "aws eu-west-1 "]);
    const two = [...results, rec("tools", "us-east-1", 1)];
    expect(two.map(versionLabel(two, false))).toEqual(["deps aws us-east-1 ", "deps aws eu-west-1 ", "tools aws us-east-1 "]);
  });
});
