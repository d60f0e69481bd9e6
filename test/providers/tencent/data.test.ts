// The synchronous, data-only part of the Tencent adapter: runtimes, limits, layout rules.
import { describe, expect, it } from "vitest";
import { usageErrorOf } from "../../helpers/cli-expect.js";
import { tencentProvider as p } from "../../../src/providers/tencent/index.js";
import type { LayerSpec } from "../../../src/providers/types.js";

describe("runtimes", () => {
  it.each([
    ["python3.10", "Python3.10"],
    ["python3.9", "Python3.9"],
    ["python3.6", "Python3.6"],
    ["nodejs18", "Nodejs18.15"],
    ["nodejs18.x", "Nodejs18.15"],
    ["nodejs16", "Nodejs16.13"],
    ["nodejs14.x", "Nodejs14.18"],
    ["java8", "Java8"],
    ["java11", "Java11"],
    ["go1", "Go1"],
    ["go1.x", "Go1"],
    ["php8.0", "Php8.0"],
    ["php7.4", "Php7.4"],
    ["php7.2", "Php7"],
    ["custom", "CustomRuntime"],
  ])("maps %s to %s", (typed, native) => {
    expect(p.resolveRuntimes([typed])).toEqual([native]);
  });

  it("accepts native ids as they are, and in any case", () => {
    expect(p.resolveRuntimes(["Nodejs18.15", "CustomRuntime", "python3.9"])).toEqual(["Nodejs18.15", "CustomRuntime", "Python3.9"]);
    expect(p.resolveRuntimes(["NODEJS16.13"])).toEqual(["Nodejs16.13"]);
  });

  it("drops duplicates that map to the same runtime", () => {
    expect(p.resolveRuntimes(["nodejs18", "Nodejs18.15", "nodejs18.x"])).toEqual(["Nodejs18.15"]);
  });

  it.each(["nodejs20", "nodejs20.x", "python3.12", "java17", "provided.al2023"])("rejects %s, which SCF does not have, listing what exists", (id) => {
    const err = usageErrorOf(() => p.resolveRuntimes([id]));
    expect(err.code).toBe("UnknownRuntime");
    expect(err.message).toContain(id);
    expect(err.hint).toContain("Nodejs18.15");
    expect(err.hint).toContain("Python3.10");
  });

  it("lists every native id once", () => {
    const natives = p.runtimes.map((r) => r.native);
    expect(new Set(natives).size).toBe(natives.length);
  });
});

describe("limits", () => {
  const ok: LayerSpec = { layerName: "deps", runtimes: ["Python3.9"], architectures: [], size: 1000 };

  it.each(["a", "deps", "my-layer_1", `a${"b".repeat(63)}`])("accepts the layer name %s", (layerName) => {
    expect(p.validateLayer({ ...ok, layerName })).toEqual([]);
  });

  it.each(["", "1deps", "-deps", "deps-", "deps_", "my.layer", "my layer", `a${"b".repeat(64)}`])("rejects the layer name %j, explaining the rule", (layerName) => {
    const err = usageErrorOf(() => p.validateLayer({ ...ok, layerName }));
    expect(err.code).toBe("InvalidLayerName");
    expect(err.hint).toContain("starting with a letter");
  });

  it("allows 5 runtimes, not 6", () => {
    expect(p.validateLayer({ ...ok, runtimes: ["a", "b", "c", "d", "e"] })).toEqual([]);
    expect(usageErrorOf(() => p.validateLayer({ ...ok, runtimes: ["a", "b", "c", "d", "e", "f"] })).code).toBe("TooManyRuntimes");
  });

  it("uploads at most 20 MB inline", () => {
    expect(p.validateLayer({ ...ok, size: 20 * 1024 * 1024 })).toEqual([]);
    const err = usageErrorOf(() => p.validateLayer({ ...ok, size: 20 * 1024 * 1024 + 1 }));
    expect(err.code).toBe("ZipTooLarge");
  });

  it("warns that SCF layers have no architecture", () => {
    expect(p.validateLayer({ ...ok, architectures: ["arm64"] })).toEqual([expect.stringContaining("no architecture")]);
  });

  it("limits description and license to 1000 characters", () => {
    expect(p.validateLayer({ ...ok, description: "d".repeat(1000), license: "l".repeat(1000) })).toEqual([]);
    expect(usageErrorOf(() => p.validateLayer({ ...ok, description: "d".repeat(1001) })).code).toBe("DescriptionTooLong");
    expect(usageErrorOf(() => p.validateLayer({ ...ok, license: "l".repeat(1001) })).code).toBe("LicenseTooLong");
  });

  it("describes itself as data", () => {
    expect(p.name).toBe("tencent");
    expect(p.defaultRegion).toBe("ap-guangzhou");
    expect(p.regions).toContain("ap-guangzhou");
    expect(p.limits.maxVersionsPerLayer).toBe(200);
    expect(p.features).toEqual({
      asyncPublish: true,
      functionNamespaces: true,
      asyncDelete: true,
      functionAliases: false,
      sharing: { scope: "none", unsupported: expect.stringContaining("no API to share") },
    });
    expect(p.credentialVariables.slice(0, 5)).toEqual([
      "TENCENTCLOUD_SECRET_ID",
      "TENCENTCLOUD_SECRET_KEY",
      "TENCENTCLOUD_SESSION_TOKEN",
      "TENCENTCLOUD_TOKEN",
      "TENCENTCLOUD_SECURITY_TOKEN",
    ]);
    expect(p.credentialVariables).toEqual(
      expect.arrayContaining(["TCCLI_PROFILE", "TKE_PROVIDER_ID", "TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_ROLE_ARN", "TKE_REGION", "LAYERCTL_STS_ENDPOINT_TENCENT"]),
    );
    expect(p.secretVariables).toEqual(["TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_TOKEN", "TENCENTCLOUD_SECURITY_TOKEN"]);
    expect(p.endpointVariables).toEqual(["LAYERCTL_ENDPOINT_TENCENT"]);
    expect(p.regionVariables).toEqual(["TENCENTCLOUD_REGION"]);
  });
});

describe("layout", () => {
  it("is happy with node_modules at the root for Node.js", () => {
    expect(p.layoutWarning(["node_modules/"], ["Nodejs18.15"])).toBeNull();
  });

  it("warns about the AWS nodejs/node_modules layout", () => {
    const w = p.layoutWarning(["nodejs/", "nodejs/node_modules"], ["Nodejs18.15"]);
    expect(w).toContain("node_modules/");
    // --prefix node_modules would make node_modules/nodejs/node_modules: nodejs/ itself is the layer
    expect(w).toMatch(/publish its nodejs\/ folder instead .*without --prefix$/);
    expect(p.layoutWarning(["left-pad/", "left-pad/index.js"], ["Nodejs18.15"])).toMatch(/--prefix node_modules$/);
  });

  it("is happy with Python packages at the root", () => {
    expect(p.layoutWarning(["requests/", "urllib3/"], ["Python3.9"])).toBeNull();
  });

  it("warns about the AWS python/ layout, which SCF does not put on PYTHONPATH", () => {
    const w = p.layoutWarning(["python/"], ["Python3.9"]);
    expect(w).toContain("PYTHONPATH");
    // also when something else sits beside python/ (a bin/ folder, say): the packages are still out of reach
    expect(p.layoutWarning(["bin/", "python/"], ["Python3.9"])).toContain("PYTHONPATH");
    expect(w).toContain("root");
  });

  it("has no opinion on runtimes without a documented layout", () => {
    expect(p.layoutWarning(["bin/"], ["Go1"])).toBeNull();
    expect(p.layoutWarning(["anything/"], ["CustomRuntime"])).toBeNull();
  });
});
