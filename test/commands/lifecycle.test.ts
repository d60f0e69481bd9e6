// The lifecycle commands' pure parts, in-process: option parsing, the prune plan, grantee checks,
// the version-cap warning and the renderers.
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { parseSeed } from "../../src/commands/emulate.js";
import { parseDuration } from "../../src/commands/shared/duration.js";
import { parseKeep, planVersions } from "../../src/commands/prune.js";
import { resolveGrantees } from "../../src/release/sharing.js";
import { versionQuotaWarning } from "../../src/release/version-quota.js";
import type { Target } from "../../src/targets/resolve.js";
import { providers } from "../../src/providers/index.js";
import { blankRecord } from "../../src/providers/record.js";
import type { LayerReference, LayerVersionRecord } from "../../src/providers/types.js";
import { renderLayerSummaries, renderVersionActions } from "../../src/output/lifecycle.js";

const DAY = 86_400_000;
const now = Date.parse("2026-11-28T00:00:00Z");
const target: Target = { provider: providers.aws, region: "us-east-1", credentials: { source: "test" } };

function version(n: number, ageDays: number, extra: Partial<LayerVersionRecord> = {}): LayerVersionRecord {
  return {
    ...blankRecord("aws", "us-east-1", "deps"),
    version: n,
    state: "Active",
    arn: `arn:aws:lambda:us-east-1:111111111111:layer:deps:${n}`,
    createdAt: new Date(now - ageDays * DAY).toISOString(),
    ...extra,
  };
}

function ref(n: number, qualifier: string, extra: Partial<LayerReference> = {}): LayerReference {
  return { version: n, arn: `arn:aws:lambda:us-east-1:111111111111:layer:deps:${n}`, functionName: "api", namespace: null, qualifier, ...extra };
}

const rules = { keep: 2, olderThanMs: null, includeInUse: false, now };

describe("parsing", () => {
  it("--function takes a provider, a name and the layer versions it uses", () => {
    expect(parseSeed("api")).toEqual({ provider: undefined, name: "api" });
    expect(parseSeed("aws:api=deps:3,tools:1")).toEqual({
      provider: "aws",
      name: "api",
      layers: [
        { name: "deps", version: 3 },
        { name: "tools", version: 1 },
      ],
    });
    for (const bad of ["nope:api", "api=deps", "api=deps:x", "api=", "aws:api=deps:1,"]) expect(() => parseSeed(bad)).toThrow(UsageError);
  });

  it("--older-than takes a whole number and a unit", () => {
    expect(parseDuration("--older-than", "30d")).toBe(30 * DAY);
    expect(parseDuration("--older-than", "12h")).toBe(12 * 3_600_000);
    expect(parseDuration("--older-than", "2w")).toBe(14 * DAY);
    for (const bad of ["30", "0d", "1.5d", "d", "30y"]) expect(() => parseDuration("--older-than", bad)).toThrow(UsageError);
  });

  it("--keep is required and a whole number", () => {
    expect(parseKeep("0")).toBe(0);
    expect(parseKeep("5")).toBe(5);
    expect(() => parseKeep(undefined)).toThrow(/--keep/);
    expect(() => parseKeep("-1")).toThrow(UsageError);
    expect(() => parseKeep("two")).toThrow(UsageError);
  });
});

describe("the prune plan", () => {
  it("keeps the newest N by number whatever the listing order, and plans the rest", () => {
    const plan = planVersions(target, "deps", [version(1, 90), version(4, 10), version(3, 20), version(2, 40)], [], rules);
    expect(plan.map((r) => [r.version, r.status])).toEqual([
      [4, "kept"],
      [3, "kept"],
      [2, "planned"],
      [1, "planned"],
    ]);
    expect(plan[0]!.reason).toBe("newest 2");
  });

  it("keeps versions younger than --older-than and those whose age is unknown", () => {
    const plan = planVersions(target, "deps", [version(4, 1), version(3, 2), version(2, 5), version(1, 60), version(0, 0, { createdAt: null })], [], {
      ...rules,
      olderThanMs: 30 * DAY,
      olderThanText: "30d",
    });
    expect(plan.map((r) => [r.version, r.status, r.reason])).toEqual([
      [4, "kept", "newest 2"],
      [3, "kept", "newest 2"],
      [2, "kept", "younger than 30d"],
      [1, "planned", "not among the newest 2 and older than 30d"],
      [0, "kept", "creation time unknown"],
    ]);
  });

  it("marks referenced versions in-use with every user, unless --include-in-use", () => {
    const refs = [ref(1, "$LATEST"), ref(1, "alias live"), ref(2, "7", { functionName: "worker", namespace: "prod", arn: null })];
    const plan = planVersions(target, "deps", [version(4, 1), version(3, 1), version(2, 1), version(1, 1)], refs, rules);
    expect(plan.find((r) => r.version === 1)).toMatchObject({ status: "in-use", usedBy: ["api:$LATEST", "api:alias live"] });
    expect(plan.find((r) => r.version === 2)).toMatchObject({ status: "in-use", usedBy: ["prod/worker:7"] });
    const forced = planVersions(target, "deps", [version(4, 1), version(3, 1), version(2, 1), version(1, 1)], refs, { ...rules, includeInUse: true });
    expect(forced.filter((r) => r.status === "planned").map((r) => r.version)).toEqual([2, 1]);
  });

  it("a reference to another account's layer of the same name is not a use", () => {
    const other = ref(1, "$LATEST", { arn: "arn:aws:lambda:us-east-1:222222222222:layer:deps:1" });
    const plan = planVersions(target, "deps", [version(2, 1), version(1, 1)], [other], { ...rules, keep: 1 });
    expect(plan.find((r) => r.version === 1)!.status).toBe("planned");
  });

  it("never counts or deletes a version already being deleted, and never one still publishing", () => {
    const plan = planVersions(target, "deps", [version(5, 1, { state: "Deleting" }), version(4, 1, { state: "Publishing" }), version(3, 1), version(2, 1)], [], {
      ...rules,
      keep: 0,
    });
    expect(plan.map((r) => [r.version, r.status])).toEqual([
      [4, "kept"],
      [3, "planned"],
      [2, "planned"],
    ]);
  });
});

describe("sharing checks (before any call)", () => {
  it("refuses what a provider cannot share, and ids in the wrong form", () => {
    expect(resolveGrantees({}, [providers.tencent])).toEqual([]);
    expect(() => resolveGrantees({ public: true }, [providers.aws, providers.tencent])).toThrow(/tencent: Tencent SCF has no API/);
    expect(() => resolveGrantees({ account: ["123456789012"] }, [providers.aliyun])).toThrow(/whole layers/);
    expect(() => resolveGrantees({ account: ["12345"] }, [providers.aws])).toThrow(/12-digit/);
    expect(() => resolveGrantees({ organization: ["org1"] }, [providers.aws])).toThrow(/Organizations id/);
    expect(resolveGrantees({ public: true, account: ["123456789012,210987654321"] }, [providers.aws])).toEqual([
      { kind: "public" },
      { kind: "account", id: "123456789012" },
      { kind: "account", id: "210987654321" },
    ]);
  });
});

describe("the version-cap warning", () => {
  it("starts past 90% of the cap, for providers with one", () => {
    expect(versionQuotaWarning(providers.tencent, "ap-guangzhou", "deps", 180)).toBeNull();
    expect(versionQuotaWarning(providers.tencent, "ap-guangzhou", "deps", 181)).toContain("181 of at most 200");
    expect(versionQuotaWarning(providers.aws, "us-east-1", "deps", 10_000)).toBeNull();
  });
});

describe("rendering", () => {
  const records = planVersions(target, "deps", [version(3, 1), version(2, 1), version(1, 1)], [], { ...rules, keep: 1 });
  const doc = { results: [...records, { ...records[0]!, region: "eu-west-1", status: "deleted" as const }] };

  it("env groups versions by status per target", () => {
    const out = renderVersionActions(doc, "env");
    expect(out).toContain("LAYERCTL_AWS_US_EAST_1_PLANNED=2,1\n");
    expect(out).toContain("LAYERCTL_AWS_US_EAST_1_KEPT=3\n");
    expect(out).toContain("LAYERCTL_AWS_EU_WEST_1_DELETED=3\n");
    expect(out).not.toMatch(/^LAYERCTL_PLANNED=/m);
  });

  it("version prints only the versions acted on, labelled with the target when there are several", () => {
    expect(renderVersionActions(doc, "version")).toBe("aws us-east-1 2\naws us-east-1 1\naws eu-west-1 3\n");
    expect(renderVersionActions({ results: records }, "version")).toBe("2\n1\n");
    // Several layers: the layer too.
    const two = { results: [...records, { ...records[1]!, layerName: "tools" }] };
    expect(renderVersionActions(two, "version")).toBe("deps aws us-east-1 2\ndeps aws us-east-1 1\ntools aws us-east-1 2\n");
  });

  it("the layers table shows the count against the cap and the warning", () => {
    const out = renderLayerSummaries(
      {
        results: [
          {
            provider: "tencent",
            region: "ap-guangzhou",
            layerName: "deps",
            version: 190,
            arn: null,
            state: "Active",
            createdAt: null,
            compatibleRuntimes: ["Python3.9"],
            description: null,
            versionCount: 185,
            versionLimit: 200,
            warning: "near the cap",
            requestId: null,
          },
        ],
      },
      "table",
    );
    expect(out).toMatch(/deps\s+190\s+185\/200\s+-\s+WARNING: near the cap/);
  });
});
