// The SDK, loaded on first use only (dynamic import): `layerctl --help` must not pay ~250 ms for
// it. Both packages are CommonJS; imported from ESM, module.exports is `default`, so the client
// class is `default.default`.
import type * as FcModule from "@alicloud/fc20230330";
import type { $OpenApiUtil, OpenApiUtil } from "@alicloud/openapi-core";

/** module.exports of @alicloud/fc20230330: the model classes plus the client as `default`. */
type FcExports = (typeof FcModule)["default"];
type FcClientClass = FcExports["default"];

export interface AliyunSdk {
  Client: FcClientClass;
  models: FcExports;
  Config: typeof $OpenApiUtil.Config;
  GlobalParameters: typeof $OpenApiUtil.GlobalParameters;
  /** For calling an operation with a body built by us (CreateLayerVersion's, built once per zip). */
  Params: typeof $OpenApiUtil.Params;
  OpenApiRequest: typeof $OpenApiUtil.OpenApiRequest;
  /** The SDK's own request-to-map step (model names to wire names), for bodies built once per zip. */
  parseToMap: (input: unknown) => Record<string, unknown>;
  /** The SDK's flattening of RPC parameters into a query (OpenApiUtil.query), as generated clients call it. */
  query: (input: Record<string, unknown>) => Record<string, string>;
}

export type FcClientInstance = InstanceType<FcClientClass>;

let loading: Promise<AliyunSdk> | undefined;

export function loadAliyunSdk(): Promise<AliyunSdk> {
  loading ??= (async () => {
    const [fc, core] = await Promise.all([import("@alicloud/fc20230330"), import("@alicloud/openapi-core")]);
    // Node's own ESM loader gives module.exports as `default` (class at default.default); other
    // loaders (vitest's) unwrap __esModule so `default` is already the class. Accept both.
    const fcDefault = fc.default as unknown;
    const fcExports = (typeof fcDefault === "function" ? fc : fcDefault) as FcExports;
    const Client = (typeof fcDefault === "function" ? fcDefault : (fcDefault as FcExports).default) as FcClientClass;
    type CoreExports = { $OpenApiUtil?: typeof $OpenApiUtil; OpenApiUtil?: typeof OpenApiUtil };
    const coreNs = core as unknown as CoreExports & { default?: CoreExports };
    const util = coreNs.$OpenApiUtil ?? coreNs.default?.$OpenApiUtil;
    const helpers = coreNs.OpenApiUtil ?? coreNs.default?.OpenApiUtil;
    if (typeof Client !== "function" || !util || typeof helpers?.parseToMap !== "function" || typeof fcExports.CreateLayerVersionRequest !== "function") {
      throw new Error("@alicloud/fc20230330 or @alicloud/openapi-core does not have the expected exports");
    }
    return {
      Client,
      models: fcExports,
      Config: util.Config,
      GlobalParameters: util.GlobalParameters,
      Params: util.Params,
      OpenApiRequest: util.OpenApiRequest,
      parseToMap: (input) => helpers.parseToMap(input) as Record<string, unknown>,
      query: (input) => helpers.query(input) as Record<string, string>,
    };
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
