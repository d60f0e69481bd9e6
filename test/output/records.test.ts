import { describe, expect, it } from "vitest";
import { renderLayerDocument } from "../../src/output/records.js";
import { blankRecord } from "../../src/providers/record.js";
import type { LayerVersionRecord } from "../../src/providers/types.js";

const rec = (over: Partial<LayerVersionRecord>): LayerVersionRecord => ({ ...blankRecord("aws", "us-east-1", "deps"), version: 3, ...over });

describe("record renderers", () => {
  it("version: the bare number for one target, `provider region version` lines for several", () => {
    expect(renderLayerDocument({ results: [rec({})] }, "version")).toBe("3\n");
    expect(renderLayerDocument({ results: [rec({}), rec({ region: "eu-west-1", version: 9 })] }, "version")).toBe("aws us-east-1 3\naws eu-west-1 9\n");
    // versions of one layer in one target stay bare, newest first (`| head -1`)
    expect(renderLayerDocument({ results: [rec({ version: 4 }), rec({})] }, "version")).toBe("4\n3\n");
  });

  it("version: a dry run prints planned, never an empty line", () => {
    const planned = (region: string) => rec({ region, version: null, status: "planned" });
    expect(renderLayerDocument({ results: [planned("us-east-1")] }, "version")).toBe("planned\n");
    expect(renderLayerDocument({ results: [planned("us-east-1"), planned("eu-west-1")] }, "version")).toBe("aws us-east-1 planned\naws eu-west-1 planned\n");
  });

  it("env: plain keys for one target, target keys always, values safe to source", () => {
    const out = renderLayerDocument({ results: [rec({ arn: "arn:aws:lambda:us-east-1:1:layer:deps:3", state: "It's $bad `x`" })] }, "env");
    const lines = out.trimEnd().split("\n");
    expect(lines).toContain("LAYERCTL_VERSION=3");
    expect(lines).toContain("LAYERCTL_AWS_US_EAST_1_VERSION=3");
    expect(lines).toContain("LAYERCTL_ARN=arn:aws:lambda:us-east-1:1:layer:deps:3");
    expect(lines).toContain("LAYERCTL_STATE=It_s__bad__x_");
  });

  it("env: nothing a shell or make would act on gets through", () => {
    const out = renderLayerDocument({ results: [rec({ region: "ap-x;id", state: "a|b&c(d)<e>f#g*h?i[j]k~l" })] }, "env");
    for (const line of out.trimEnd().split("\n")) expect(line).toMatch(/^[A-Z0-9_]+=[A-Za-z0-9._:/+@,-]*$/);
    expect(out).toContain("LAYERCTL_REGION=ap-x_id\n");
  });

  it("env: no plain keys when there are several targets", () => {
    const out = renderLayerDocument({ results: [rec({}), rec({ provider: "tencent", region: "ap-guangzhou" })] }, "env");
    expect(out).not.toMatch(/^LAYERCTL_VERSION=/m);
    expect(out).toMatch(/^LAYERCTL_TENCENT_AP_GUANGZHOU_VERSION=3$/m);
  });

  it("json: the document as is", () => {
    const doc = { results: [rec({})] };
    expect(JSON.parse(renderLayerDocument(doc, "json"))).toEqual(doc);
  });
});
