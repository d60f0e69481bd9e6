// Tencent Cloud SCF as the conformance suite sees it.
import path from "node:path";
import type { ConformanceProfile } from "../profile.js";
import { appendIniSection } from "./ini.js";

export const tencentProfile: ConformanceProfile = {
  provider: "tencent",
  region: "ap-guangzhou",
  runtimes: { canonical: ["python3.9", "nodejs18"], native: ["Python3.9", "Nodejs18.15"] },
  // SCF has no Node.js 20 runtime.
  unknownRuntime: "nodejs20",
  // Must not end with a hyphen or underscore.
  invalidLayerName: "my-layer-",
  codes: {
    layerVersionNotFound: "ResourceNotFound.LayerVersion",
    functionNotFound: "ResourceNotFound.Function",
    badSignature: "AuthFailure.SignatureFailure",
    unknownKey: "AuthFailure.SecretIdNotFound",
    throttled: "RequestLimitExceeded",
    serverError: "InternalError",
  },
  publishLayerAction: "PublishLayerVersion",
  actions: {
    scan: ["ListNamespaces", "ListFunctions", "ListVersionByFunction", "GetFunction"],
    publishVersion: "PublishVersion",
    listFunctionVersions: "ListVersionByFunction",
    updateLayers: "UpdateFunctionConfiguration",
    createAlias: "CreateAlias",
  },
  functionLayersMayBeOmitted: false,
  arnPattern: null,
  unchangedFunctionKeepsVersion: false,
  storage: {
    bucket: "conf-layers-1250000000",
    otherBucket: "conf-shanghai-1250000000",
    otherRegion: "ap-shanghai",
    // COS: another region's endpoint does not know the bucket.
    codes: { noSuchBucket: "NoSuchBucket", wrongRegion: "NoSuchBucket", stagedMissing: "InvalidParameterValue.CosObjectName" },
  },
  // SCF functions name layers by name and version, of the account's own.
  foreignLayerArn: null,
  functionName: "release-fn",
  namespace: "default",
  // ListLayers pages by Offset/Limit (layerctl asks for 20); ListLayerVersions does not page.
  pages: { layers: 20, versions: null },
  grants: null,
  shareAction: null,
  fleet: { listRegionsAction: "DescribeRegions", regions: ["ap-guangzhou", "ap-shanghai", "na-ashburn"], sharedRuntime: "python3.10" },
  contents: { python: "python3.10", node: "nodejs18", custom: "custom" },
  credentials: {
    // ~/.tencentcloud/credentials, as the SDK's ProfileCredential reads it.
    async writeProfile(home, name, keys) {
      await appendIniSection(path.join(home, ".tencentcloud", "credentials"), name, { secret_id: keys.id, secret_key: keys.secret, token: keys.token });
      return {};
    },
    oidcVariables: (tokenFile, roleArn) => ({ TKE_PROVIDER_ID: "github", TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile, TKE_ROLE_ARN: roleArn, TKE_REGION: "ap-guangzhou" }),
    roleArn: "qcs::cam::uin/100099990000:roleName/layer-publisher",
    roleAccount: "100099990000",
    sts: { assumeRole: "AssumeRole", oidc: "AssumeRoleWithWebIdentity" },
    expiredCode: "AuthFailure.TokenFailure",
  },
};
