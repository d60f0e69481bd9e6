import { describe, expect, it } from "vitest";
import { renderLayerDocument } from "../../src/output/records.js";
import { blankRecord } from "../../src/providers/record.js";
import type { LayerVersionRecord } from "../../src/providers/types.js";

const rec = (over: Partial<LayerVersionRecord>): LayerVersionRecord => ({ ...blankRecord("aws", "us-east-1", "deps"), version: 3, ...over });

describe("record renderers", () => {
  it("version: one number per target", () => {
    expect(renderLayerDocument({ results: [rec({}), rec({ region: "eu-west-1", version: 9 })] }, "version")).toBe("3\n9\n");
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
