// Alibaba Cloud FC 3.0 as the conformance suite sees it.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
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
    // FC 3.0's error centre (the gateway's older spellings are recognised too: providers/aliyun/errors.ts).
    badSignature: "SignatureNotMatch",
    unknownKey: "InvalidAccessKeyID",
    throttled: "ResourceExhausted",
    serverError: "InternalServerError",
  },
  publishLayerAction: "CreateLayerVersion",
  actions: {
    scan: ["ListFunctions", "ListFunctionVersions", "GetFunction"],
    publishVersion: "PublishFunctionVersion",
    listFunctionVersions: "ListFunctionVersions",
    updateLayers: "UpdateFunction",
    createAlias: "CreateAlias",
  },
  functionLayersMayBeOmitted: true,
  arnPattern: (layer, version, region) => new RegExp(`^acs:fc:${region}:\\d+:layers/${layer}/versions/${version}$`),
  unchangedFunctionKeepsVersion: false,
  storage: {
    bucket: "conf-layers",
    otherBucket: "conf-hangzhou",
    otherRegion: "cn-hangzhou",
    // OSS: "must be addressed using the specified endpoint".
    codes: { noSuchBucket: "NoSuchBucket", wrongRegion: "AccessDenied", stagedMissing: "InvalidArgument" },
  },
  // One of FC's official public layers (account "official").
  foreignLayerArn: (region) => `acs:fc:${region}:official:layers/Python310/versions/2`,
  functionName: "conformance-fn",
  pages: { layers: 100, versions: 100 },
  grants: aliyunGrants,
  shareAction: "PutLayerACL",
  fleet: { listRegionsAction: "DescribeRegions", regions: ["cn-shanghai", "cn-hangzhou", "ap-southeast-1"], sharedRuntime: "python3.10" },
  contents: { python: "python3.10", node: "nodejs20", custom: "custom.debian10" },
  credentials: {
    // ~/.aliyun/config.json, as the aliyun CLI writes it (mode AK or StsToken).
    async writeProfile(home, name, keys) {
      const file = path.join(home, ".aliyun", "config.json");
      await mkdir(path.dirname(file), { recursive: true });
      const conf = JSON.parse(await readFile(file, "utf8").catch(() => '{"current":"","profiles":[]}')) as { current: string; profiles: object[] };
      conf.profiles.push({
        name,
        mode: keys.token ? "StsToken" : "AK",
        access_key_id: keys.id,
        access_key_secret: keys.secret,
        sts_token: keys.token ?? "",
        region_id: "cn-hangzhou",
      });
      await writeFile(file, JSON.stringify(conf, null, 2));
      return {};
    },
    oidcVariables: (tokenFile, roleArn) => ({
      ALIBABA_CLOUD_ROLE_ARN: roleArn,
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: "acs:ram::1111222233334444:oidc-provider/github",
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile,
    }),
    roleArn: "acs:ram::1111222233334444:role/layer-publisher",
    roleAccount: "1111222233334444",
    sts: { assumeRole: "AssumeRole", oidc: "AssumeRoleWithOIDC" },
    expiredCode: "InvalidSecurityToken.Expired",
  },
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
