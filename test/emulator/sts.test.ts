// The emulator's STS for each cloud, spoken to by the clouds' own SDKs (and, for Tencent's OIDC
// exchange, by the plain request the GitHub action sends): issued keys open the layer APIs only
// with their session token, until they expire or the expire-credentials fault ends them.
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { GetLayerVersionCommand, LambdaClient, ListLayersCommand } from "@aws-sdk/client-lambda";
import * as tencentSts from "tencentcloud-sdk-nodejs-sts";
import { beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { loadAliyunSdk } from "../../src/providers/aliyun/sdk.js";
import { oidcToken, tencentWebIdentity } from "../helpers/oidc.js";
import { rejection } from "./aws/helpers.js";
import { sdkClient, sdkError } from "./tencent/helpers.js";
import { useEmulator } from "../helpers/emulator.js";

let emu: RunningEmulator;
useEmulator({}, (started) => {
  emu = started;
});
beforeEach(() => emu.faults.clear());

describe("AWS STS (awsQuery, @aws-sdk/client-sts)", () => {
  const sts = (credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new STSClient({
      region: "us-east-1",
      endpoint: emu.url,
      maxAttempts: 1,
      credentials: credentials ?? { accessKeyId: emu.credentials.aws.accessKeyId, secretAccessKey: emu.credentials.aws.secretAccessKey },
    });
  const lambda = (c: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new LambdaClient({ region: "eu-west-1", endpoint: emu.url, maxAttempts: 1, credentials: c });

  it("AssumeRole issues keys for the role's account; Lambda takes them only with their session token", async () => {
    const out = await sts().send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::210987654321:role/cross/deployer", RoleSessionName: "release-1" }));
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c.Expiration!.getTime() - Date.now()).toBeGreaterThan(3500_000);
    expect(out.AssumedRoleUser).toMatchObject({ Arn: "arn:aws:sts::210987654321:assumed-role/deployer/release-1", AssumedRoleId: expect.stringMatching(/^AROA\w+:release-1$/) });
    const withToken = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    await expect(lambda(withToken).send(new ListLayersCommand({}))).resolves.toMatchObject({ Layers: expect.any(Array) });
    // The role's account names what is made in it.
    const who = await sts(withToken).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: "210987654321", Arn: "arn:aws:sts::210987654321:assumed-role/deployer/release-1" });
    const noToken = await rejection(lambda({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey! }).send(new ListLayersCommand({})));
    expect(noToken.name).toBe("UnrecognizedClientException");
    // A long-term key with a token is not an STS key either.
    const stray = await rejection(
      lambda({ accessKeyId: emu.credentials.aws.accessKeyId, secretAccessKey: emu.credentials.aws.secretAccessKey, sessionToken: c.SessionToken! }).send(new ListLayersCommand({})),
    );
    expect(stray.name).toBe("UnrecognizedClientException");
  });

  it("expire-credentials ends issued keys early: Lambda says ExpiredTokenException (403), STS ExpiredToken", async () => {
    const c = (await sts().send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "s1" }))).Credentials!;
    const keys = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    emu.faults.add({ provider: "aws", action: "GetLayerVersion", kind: "expire-credentials", times: 1 });
    const err = await rejection(lambda(keys).send(new GetLayerVersionCommand({ LayerName: "x", VersionNumber: 1 })));
    expect(err.name).toBe("ExpiredTokenException");
    expect(err.$metadata.httpStatusCode).toBe(403);
    const again = await rejection(sts(keys).send(new GetCallerIdentityCommand({})));
    expect(again.name).toBe("ExpiredToken");
    // The account's own key is not affected.
    await expect(sts().send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: "123456789012" });
  });

  it("AssumeRoleWithWebIdentity goes unsigned; the token must be a JWT that has not expired", async () => {
    const anonymous = new STSClient({ region: "us-east-1", endpoint: emu.url, maxAttempts: 1, credentials: async () => ({ accessKeyId: "unused", secretAccessKey: "unused" }) });
    const out = await anonymous.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: "arn:aws:iam::123456789012:role/gha",
        RoleSessionName: "gha-1",
        WebIdentityToken: oidcToken({ sub: "repo:o/r:ref:refs/tags/v1" }),
      }),
    );
    expect(out).toMatchObject({
      SubjectFromWebIdentityToken: "repo:o/r:ref:refs/tags/v1",
      Provider: "token.actions.githubusercontent.com",
      Credentials: { AccessKeyId: expect.stringMatching(/^ASIA/) },
    });
    expect(
      (
        await rejection(
          anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: "arn:aws:iam::123456789012:role/gha", RoleSessionName: "s1", WebIdentityToken: "not-a-jwt" })),
        )
      ).name,
    ).toBe("InvalidIdentityTokenException");
    const expired = await rejection(
      anonymous.send(
        new AssumeRoleWithWebIdentityCommand({ RoleArn: "arn:aws:iam::123456789012:role/gha", RoleSessionName: "s1", WebIdentityToken: oidcToken({ expiresIn: -60 }) }),
      ),
    );
    expect(expired.name).toBe("ExpiredTokenException");
  });

  it("validates as STS does, and refuses unsigned AssumeRole", async () => {
    const bad = await rejection(sts().send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "no spaces allowed" })));
    expect(bad.name).toBe("ValidationError");
    expect(bad.$metadata.httpStatusCode).toBe(400);
    expect((await rejection(sts().send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:user/u", RoleSessionName: "ok" })))).name).toBe("ValidationError");
    const res = await fetch(emu.url + "/", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=AssumeRole&Version=2011-06-15&RoleArn=x&RoleSessionName=s",
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("<Code>MissingAuthenticationToken</Code>");
  });
});

describe("Tencent Cloud STS (2018-08-13, tencentcloud-sdk-nodejs-sts)", () => {
  type StsNs = typeof import("tencentcloud-sdk-nodejs-sts");
  const ns = ((tencentSts as unknown as StsNs).sts ?? (tencentSts as unknown as { default: StsNs }).default.sts).v20180813;
  const port = () => new URL(emu.url).port;
  const client = (credential: { secretId?: string; secretKey?: string; token?: string }) =>
    new ns.Client({ credential, region: "ap-guangzhou", profile: { httpProfile: { endpoint: `127.0.0.1:${port()}`, protocol: "http://", reqTimeout: 5 } } });
  const base = () => ({ secretId: emu.credentials.tencent.secretId, secretKey: emu.credentials.tencent.secretKey });

  it("AssumeRole issues keys; SCF takes them only with their X-TC-Token; GetCallerIdentity names the role", async () => {
    const out = await client(base()).AssumeRole({ RoleArn: "qcs::cam::uin/100099990000:roleName/deploy", RoleSessionName: "rel-1" });
    expect(out.Credentials).toMatchObject({ TmpSecretId: expect.stringMatching(/^AKID/), TmpSecretKey: expect.any(String), Token: expect.any(String) });
    expect(out.ExpiredTime! * 1000 - Date.now()).toBeGreaterThan(7000_000); // default 7200 s
    expect(out.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const tmp = { secretId: out.Credentials!.TmpSecretId, secretKey: out.Credentials!.TmpSecretKey, token: out.Credentials!.Token };
    const scf = sdkClient(emu, { secretId: tmp.secretId, secretKey: tmp.secretKey });
    expect((await sdkError(scf.ListLayers({}))).code).toBe("AuthFailure.TokenFailure");
    const who = await client(tmp).GetCallerIdentity();
    expect(who).toMatchObject({ AccountId: "100099990000", Type: "CAMRole", UserId: expect.stringMatching(/:rel-1$/) });
    expect((await client(base()).GetCallerIdentity()).AccountId).toBe(emu.credentials.tencent.uin);
  });

  it("AssumeRoleWithWebIdentity with Authorization: SKIP, as the GitHub action sends it", async () => {
    const body = { ProviderId: "github", WebIdentityToken: oidcToken(), RoleArn: "qcs::cam::uin/100012345678:roleName/gha", RoleSessionName: "gha-1", DurationSeconds: 3600 };
    const res = await tencentWebIdentity(emu.url, body);
    expect(res.Credentials.TmpSecretId).toMatch(/^AKID/);
    expect(res.ExpiredTime * 1000 - Date.now()).toBeGreaterThan(3500_000);
    expect((await tencentWebIdentity(emu.url, { ...body, WebIdentityToken: "nope" })).Error.Code).toBe("InvalidParameter.WebIdentityTokenError");
  });

  it("expire-credentials: the next SCF call with issued keys gets AuthFailure.TokenFailure", async () => {
    const out = await client(base()).AssumeRole({ RoleArn: "qcs::cam::uin/100012345678:roleName/deploy", RoleSessionName: "rel-2" });
    const c = out.Credentials!;
    const scf = new (await import("tencentcloud-sdk-nodejs-scf")).scf.v20180416.Client({
      credential: { secretId: c.TmpSecretId, secretKey: c.TmpSecretKey, token: c.Token },
      region: "ap-guangzhou",
      profile: { httpProfile: { endpoint: `127.0.0.1:${port()}`, protocol: "http://", reqTimeout: 5 } },
    });
    await expect(scf.ListLayers({})).resolves.toBeDefined();
    emu.faults.add({ provider: "tencent", action: "ListLayers", kind: "expire-credentials", times: 1 });
    expect((await sdkError(scf.ListLayers({}))).code).toBe("AuthFailure.TokenFailure");
  });
});

describe("Alibaba Cloud STS (2015-04-01, @alicloud/sts20150401)", () => {
  async function client(keys: { accessKeyId?: string; accessKeySecret?: string; securityToken?: string }, opts: { signatureAlgorithm?: string } = {}) {
    const sdk = await loadAliyunSdk();
    const mod = (await import("@alicloud/sts20150401")) as unknown as { default: { default?: unknown } & Record<string, unknown> };
    // CommonJS: the namespace (models and the client as `default`) is `default` under Node's loader, the module itself under vitest's.
    const ns = (typeof mod.default === "function" ? mod : mod.default) as unknown as typeof import("@alicloud/sts20150401");
    const url = new URL(emu.url);
    return { ns, client: new ns.default(new sdk.Config({ ...keys, endpoint: url.host, protocol: "http", ...opts })) };
  }
  const base = () => ({ accessKeyId: emu.credentials.aliyun.accessKeyId, accessKeySecret: emu.credentials.aliyun.accessKeySecret });

  it("AssumeRole (ACS3-signed) issues STS keys; GetCallerIdentity names the assumed role", async () => {
    const { ns, client: c } = await client(base());
    const out = await c.assumeRole(new ns.AssumeRoleRequest({ roleArn: "acs:ram::1111222233334444:role/publisher", roleSessionName: "rel-1", durationSeconds: 900 }));
    const creds = out.body!.credentials!;
    expect(creds.accessKeyId).toMatch(/^STS\./);
    expect(Date.parse(creds.expiration!) - Date.now()).toBeGreaterThan(800_000);
    expect(out.body!.assumedRoleUser!.arn).toBe("acs:ram::1111222233334444:role/publisher/rel-1");
    const { client: asRole } = await client({ accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret, securityToken: creds.securityToken });
    expect((await asRole.getCallerIdentity()).body).toMatchObject({ accountId: "1111222233334444", identityType: "AssumedRoleUser" });
    expect((await client(base())).client.getCallerIdentity()).resolves.toBeDefined();
  });

  it("the RPC signature 1.0 (HMAC-SHA1) is checked too", async () => {
    const { ns, client: c } = await client(base(), { signatureAlgorithm: "v2" });
    const out = await c.assumeRole(new ns.AssumeRoleRequest({ roleArn: "acs:ram::1234567890123456:role/r", roleSessionName: "rpc-1" }));
    expect(out.body!.credentials!.accessKeyId).toMatch(/^STS\./);
    const { client: wrong } = await client({ ...base(), accessKeySecret: "not-the-secret" }, { signatureAlgorithm: "v2" });
    expect(await wrong.getCallerIdentity().catch((e: unknown) => e)).toMatchObject({ code: "SignatureDoesNotMatch" });
  });

  it("refuses keys with the gateway's codes, not FC's (STS is not FC): an unknown key, a wrong ACS3 signature", async () => {
    const { client: unknown } = await client({ accessKeyId: "LTAIunknownKey000000", accessKeySecret: "not-the-secret" });
    expect(await unknown.getCallerIdentity().catch((e: unknown) => e)).toMatchObject({ code: "InvalidAccessKeyId.NotFound", statusCode: 404 });
    const { client: wrong } = await client({ ...base(), accessKeySecret: "not-the-secret" });
    expect(await wrong.getCallerIdentity().catch((e: unknown) => e)).toMatchObject({ code: "SignatureDoesNotMatch", statusCode: 400 });
  });

  it("AssumeRoleWithOIDC goes unsigned; a malformed or expired token is refused", async () => {
    const { ns, client: c } = await client({});
    const req = (token: string) =>
      new ns.AssumeRoleWithOIDCRequest({
        OIDCProviderArn: "acs:ram::1234567890123456:oidc-provider/github",
        roleArn: "acs:ram::1234567890123456:role/gha",
        OIDCToken: token,
        roleSessionName: "gha",
      });
    const out = await c.assumeRoleWithOIDC(req(oidcToken({ sub: "repo:o/r" })));
    expect(out.body!.credentials!.securityToken).toBeTruthy();
    expect(out.body!.OIDCTokenInfo).toMatchObject({ subject: "repo:o/r", issuer: "https://token.actions.githubusercontent.com" });
    expect(await c.assumeRoleWithOIDC(req("abcd")).catch((e: unknown) => e)).toMatchObject({ code: "AuthenticationFail.OIDCToken.Invalid" });
    expect(await c.assumeRoleWithOIDC(req(oidcToken({ expiresIn: -1 }))).catch((e: unknown) => e)).toMatchObject({ code: "AuthenticationFail.OIDCToken.Expired" });
    // Unsigned AssumeRole is not allowed.
    const anon = await c.assumeRole(new ns.AssumeRoleRequest({ roleArn: "acs:ram::1234567890123456:role/r", roleSessionName: "x" })).catch((e: unknown) => e);
    expect(anon).toBeInstanceOf(Error);
  });

  it("FC refuses an STS key without its token, and an expired one", async () => {
    const { ns, client: c } = await client(base());
    const creds = (await c.assumeRole(new ns.AssumeRoleRequest({ roleArn: "acs:ram::1234567890123456:role/r", roleSessionName: "fc-1" }))).body!.credentials!;
    const sdk = await loadAliyunSdk();
    const url = new URL(emu.url);
    const fc = (securityToken?: string) =>
      new sdk.Client(
        new sdk.Config({ accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret, securityToken, endpoint: url.host, protocol: "http", regionId: "cn-hangzhou" }),
      );
    await expect(fc(creds.securityToken).listLayers(new sdk.models.ListLayersRequest({}))).resolves.toBeDefined();
    expect(
      await fc()
        .listLayers(new sdk.models.ListLayersRequest({}))
        .catch((e: unknown) => e),
    ).toMatchObject({ code: "MissingSecurityToken" });
    emu.faults.add({ provider: "aliyun", action: "ListLayers", kind: "expire-credentials", times: 1 });
    expect(
      await fc(creds.securityToken)
        .listLayers(new sdk.models.ListLayersRequest({}))
        .catch((e: unknown) => e),
    ).toMatchObject({ code: "InvalidSecurityToken.Expired" });
  });
});
