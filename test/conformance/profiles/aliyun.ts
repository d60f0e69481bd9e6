// Alibaba Cloud FC 3.0 as the conformance suite sees it.
import type { RunningEmulator } from "../../../src/emulator/index.js";
import { loadAliyunSdk } from "../../../src/providers/aliyun/sdk.js";
import type { ConformanceProfile } from "../profile.js";

export const aliyunProfile: ConformanceProfile = {
  provider: "aliyun",
  // Not the default region: proves the region reaches the emulator (x-acs-region-id) and the ARN.
  region: "cn-shanghai",
  runtimes: {
    canonical: ["python3.12", "nodejs20.x", "java11", "go1", "custom"],
    native: ["python3.12", "nodejs20", "java11", "go1", "custom"],
  },
  // FC 3.0 has no Java 17.
  unknownRuntime: "java17",
  // FC layer names must start with a letter.
  invalidLayerName: "1layer",
  codes: {
    layerVersionNotFound: "LayerVersionNotFound",
    functionNotFound: "FunctionNotFound",
    badSignature: "SignatureDoesNotMatch",
    unknownKey: "InvalidAccessKeyId.NotFound",
    throttled: "Throttling.User",
    serverError: "InternalServerError",
  },
  publishLayerAction: "CreateLayerVersion",
  arnPattern: (layer, version, region) => new RegExp(`^acs:fc:${region}:\\d+:layers/${layer}/versions/${version}$`),
  unchangedFunctionKeepsVersion: false,
  storage: {
    bucket: "conf-layers",
    otherBucket: "conf-hangzhou",
    otherRegion: "cn-hangzhou",
    // OSS: "must be addressed using the specified endpoint".
    codes: { noSuchBucket: "NoSuchBucket", wrongRegion: "AccessDenied", stagedMissing: "InvalidArgument" },
  },
  functionName: "conformance-fn",
  pages: { layers: 100, versions: 100 },
  grants: aliyunGrants,
  shareAction: "PutLayerACL",
  fleet: { listRegionsAction: "DescribeRegions", regions: ["cn-shanghai", "cn-hangzhou", "ap-southeast-1"], sharedRuntime: "python3.10" },
};

/** FC shares whole layers with everyone: the version's `acl` "1" is public. */
async function aliyunGrants(emu: RunningEmulator, region: string, layer: string, version: number): Promise<string[]> {
  const s = await loadAliyunSdk();
  const { accessKeyId, accessKeySecret } = emu.credentials.aliyun;
  const client = new s.Client(
    new s.Config({
      accessKeyId,
      accessKeySecret,
      endpoint: new URL(emu.url).host,
      protocol: "http",
      globalParameters: new s.GlobalParameters({ headers: { "x-acs-region-id": region } }),
    }),
  );
  const resp = await client.getLayerVersion(layer, String(version));
  return (resp.body as { acl?: string } | undefined)?.acl === "1" ? ["public"] : [];
}
