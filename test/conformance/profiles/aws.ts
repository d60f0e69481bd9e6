// AWS Lambda as the conformance suite sees it.
import path from "node:path";
import { GetLayerVersionPolicyCommand, LambdaClient } from "@aws-sdk/client-lambda";
import type { RunningEmulator } from "../../../src/emulator/index.js";
import type { ConformanceProfile } from "../profile.js";
import { appendIniSection } from "./ini.js";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export const awsProfile: ConformanceProfile = {
  provider: "aws",
  // Not the default region: proves the region reaches the signature scope, the emulator and the ARN.
  region: "eu-west-1",
  runtimes: {
    canonical: ["python3.12", "nodejs20", "java17", "go1", "custom"],
    native: ["python3.12", "nodejs20.x", "java17", "go1.x", "provided.al2023"],
  },
  // Lambda has no PHP runtime.
  unknownRuntime: "php8.0",
  // Dots are not allowed in Lambda layer names.
  invalidLayerName: "my.layer",
  codes: {
    layerVersionNotFound: "ResourceNotFoundException",
    functionNotFound: "ResourceNotFoundException",
    badSignature: "InvalidSignatureException",
    unknownKey: "UnrecognizedClientException",
    throttled: "TooManyRequestsException",
    serverError: "ServiceException",
  },
  publishLayerAction: "PublishLayerVersion",
  actions: {
    scan: ["ListFunctions", "ListVersionsByFunction", "ListAliases"],
    publishVersion: "PublishVersion",
    listFunctionVersions: "ListVersionsByFunction",
    updateLayers: "UpdateFunctionConfiguration",
    createAlias: "CreateAlias",
  },
  functionLayersMayBeOmitted: false,
  arnPattern: (layer, version, region) => new RegExp(`^arn:aws:lambda:${escapeRegExp(region)}:\\d{12}:layer:${escapeRegExp(layer)}:${version}$`),
  unchangedFunctionKeepsVersion: true,
  storage: {
    bucket: "conf-layers-{region}",
    otherBucket: "conf-layers-east",
    otherRegion: "us-east-1",
    // S3 answers a request signed for another region than the bucket's with this (400).
    codes: { noSuchBucket: "NoSuchBucket", wrongRegion: "AuthorizationHeaderMalformed", stagedMissing: "InvalidParameterValueException" },
  },
  // CloudWatch Lambda Insights, AWS's public extension layer (account 580247275435).
  foreignLayerArn: (region) => `arn:aws:lambda:${region}:580247275435:layer:LambdaInsightsExtension:38`,
  functionName: "conformance-fn",
  pages: { layers: 50, versions: 50 },
  grants: awsGrants,
  shareAction: "AddLayerVersionPermission",
  fleet: { listRegionsAction: "ListRegions", regions: ["eu-west-1", "us-west-2", "ap-northeast-1"], sharedRuntime: "python3.10" },
  contents: { python: "python3.11", node: "nodejs20", custom: "custom" },
  credentials: {
    // ~/.aws/credentials, as the SDK's fromIni reads it.
    async writeProfile(home, name, keys) {
      await appendIniSection(path.join(home, ".aws", "credentials"), name, { aws_access_key_id: keys.id, aws_secret_access_key: keys.secret, aws_session_token: keys.token });
      return { AWS_SHARED_CREDENTIALS_FILE: path.join(home, ".aws", "credentials"), AWS_CONFIG_FILE: path.join(home, ".aws", "config") };
    },
    // The SDK's web-identity step (fromTokenFile), through the default chain.
    oidcVariables: (tokenFile, roleArn) => ({ AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: roleArn, AWS_ROLE_SESSION_NAME: "conformance" }),
    roleArn: "arn:aws:iam::210987654321:role/layer-publisher",
    roleAccount: "210987654321",
    sts: { assumeRole: "AssumeRole", oidc: "AssumeRoleWithWebIdentity" },
    expiredCode: "ExpiredTokenException",
  },
};

/** The version's policy statements, as grantees: principal `*` (with an org condition or not) or an account. */
async function awsGrants(emu: RunningEmulator, region: string, layer: string, version: number): Promise<string[]> {
  const { accessKeyId, secretAccessKey } = emu.credentials.aws;
  const client = new LambdaClient({ region, endpoint: emu.url, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
  try {
    const out = await client.send(new GetLayerVersionPolicyCommand({ LayerName: layer, VersionNumber: version }));
    const doc = JSON.parse(out.Policy ?? "{}") as { Statement?: Array<{ Principal: string | { AWS: string }; Condition?: { StringEquals?: Record<string, string> } }> };
    return (doc.Statement ?? []).map((s) => {
      const org = s.Condition?.StringEquals?.["aws:PrincipalOrgID"];
      if (org) return `organization ${org}`;
      if (s.Principal === "*") return "public";
      return `account ${/(\d{12})/.exec(typeof s.Principal === "string" ? s.Principal : s.Principal.AWS)?.[1]}`;
    });
  } catch (err) {
    if ((err as { name?: string }).name === "ResourceNotFoundException") return [];
    throw err;
  } finally {
    client.destroy();
  }
}
