// FC 2.0's temporary bucket token as the emulator serves it: to the official FC 2.0 SDK
// (@alicloud/fc2, a devDependency) signed its way, and to nothing else; the clock window of the
// FC 2.0 signature page; and lent keys that allow exactly the one upload the reference clients make.
import http from "node:http";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start, type RunningEmulator } from "../../../src/emulator/index.js";
import { fc2Authorization } from "../../../src/providers/aliyun/fc2-signature.js";
import { rejection, sdk } from "./helpers.js";

const require = createRequire(import.meta.url);
interface Fc2Client {
  getTempBucketToken(): Promise<{ headers: Record<string, string>; data: Record<string, any> }>;
}
const FC2 = require("@alicloud/fc2") as new (accountId: string, config: Record<string, unknown>) => Fc2Client;
const OSS = require("ali-oss") as new (o: object) => Record<string, (...args: unknown[]) => Promise<{ res: { status: number; headers: Record<string, string> } }>>;

/** The emulator's Aliyun STS through the official @alicloud/sts20150401 client, signed with the account's key. */
async function stsClient() {
  const s = await sdk();
  const mod = (await import("@alicloud/sts20150401")) as unknown as { default: { default?: unknown } & Record<string, unknown> };
  // CommonJS: the namespace (models and the client as `default`) is `default` under Node's loader, the module itself under vitest's.
  const ns = (typeof mod.default === "function" ? mod : mod.default) as unknown as typeof import("@alicloud/sts20150401");
  const { accessKeyId, accessKeySecret } = emu.credentials.aliyun;
  return { ns, client: new ns.default(new s.Config({ accessKeyId, accessKeySecret, endpoint: new URL(emu.url).host, protocol: "http" })) };
}

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await start({ port: 0 });
});
afterAll(async () => {
  await emu?.close();
});

function fc2(o: { accessKeyID?: string; accessKeySecret?: string; securityToken?: string; accountId?: string; region?: string } = {}): Fc2Client {
  const { accessKeyId, accessKeySecret, accountId } = emu.credentials.aliyun;
  return new FC2(o.accountId ?? accountId, {
    accessKeyID: o.accessKeyID ?? accessKeyId,
    accessKeySecret: o.accessKeySecret ?? accessKeySecret,
    // The SDK sends it as x-fc-security-token (and insists on one for an "STS." key).
    securityToken: o.securityToken,
    region: "cn-shanghai",
    endpoint: emu.url,
    timeout: 5_000,
    // The region a custom endpoint cannot carry in its host name (as layerctl's adapter sends it).
    headers: o.region ? { "x-acs-region-id": o.region } : {},
  });
}

/** One GET /2016-08-15/tempBucketToken signed by hand with the FC 2.0 scheme and the given Date (and keys). */
function signedGet(
  date: Date,
  keys: { accessKeyId: string; accessKeySecret: string; accountId: string; securityToken?: string } = emu.credentials.aliyun,
): Promise<{ status: number; json: any }> {
  const { accessKeyId, accessKeySecret, accountId, securityToken } = keys;
  const path = "/2016-08-15/tempBucketToken";
  const headers: Record<string, string> = { accept: "application/json", date: date.toUTCString(), "x-fc-account-id": accountId };
  if (securityToken) headers["x-fc-security-token"] = securityToken;
  headers.authorization = fc2Authorization(accessKeyId, accessKeySecret, "GET", path, headers);
  const url = new URL(emu.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: "GET", path, headers, agent: false }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("GET /2016-08-15/tempBucketToken", () => {
  it("answers the official FC 2.0 SDK, in the shape the reference clients read", async () => {
    const { headers, data } = await fc2({ region: "cn-shanghai" }).getTempBucketToken();
    expect(headers["x-fc-request-id"]).toMatch(/[0-9a-f-]{36}/);
    expect(data).toMatchObject({
      credentials: { AccessKeyId: expect.stringMatching(/^STS\./), AccessKeySecret: expect.any(String), SecurityToken: expect.any(String), Expiration: expect.any(String) },
      ossRegion: "oss-cn-shanghai",
      ossBucket: expect.any(String),
      objectName: expect.stringMatching(/\.zip$/),
      codeSizeLimit: expect.any(Number),
    });
  });

  it("refuses a wrong secret and an unknown key with FC's 403 codes, in FC 2.0's error shape", async () => {
    const bad = await rejection(fc2({ accessKeySecret: "wrong-secret-value" }).getTempBucketToken());
    expect(bad).toMatchObject({ name: "FCSignatureNotMatchError", code: "SignatureNotMatch" });
    expect(bad.message).toContain("failed with 403");
    expect(bad.message).not.toContain("wrong-secret-value");
    const unknown = await rejection(fc2({ accessKeyID: "LTAIunknownKey000000" }).getTempBucketToken());
    expect(unknown).toMatchObject({ code: "InvalidAccessKeyID" });
  });

  it("refuses the FC 3.0 (ACS3) signature: FC 2.0 takes its own scheme only", async () => {
    const s = await sdk();
    const client = new s.Client(new s.Config({ ...emu.credentials.aliyun, endpoint: new URL(emu.url).host, protocol: "http", readTimeout: 5_000, connectTimeout: 5_000 }));
    const params = new s.Params({
      action: "GetTempBucketToken",
      version: "2016-08-15",
      protocol: "HTTPS",
      pathname: "/2016-08-15/tempBucketToken",
      method: "GET",
      authType: "AK",
      style: "ROA",
      reqBodyType: "json",
      bodyType: "json",
    });
    const { RuntimeOptions } = await import("@darabonba/typescript");
    const err = await rejection(client.callApi(params, new s.OpenApiRequest({ headers: {} }), new RuntimeOptions({})));
    expect(err).toMatchObject({ statusCode: 403 });
    expect(err.data).toMatchObject({ ErrorCode: "SignatureNotMatch" });
  });

  it("takes a Date within FC 2.0's 15 minutes, and refuses one outside them", async () => {
    expect((await signedGet(new Date(Date.now() - 14 * 60_000))).status).toBe(200);
    const stale = await signedGet(new Date(Date.now() - 16 * 60_000));
    expect(stale).toMatchObject({ status: 403, json: { ErrorCode: "RequestTimeTooSkewed" } });
    expect((await signedGet(new Date(Date.now() + 16 * 60_000))).status).toBe(403);
  });

  it("takes STS keys with their token in x-fc-security-token, and refuses them as FC 3.0 does: no token, another's, expired", async () => {
    const account = "1111222233334444";
    const assume = async (session: string) => {
      const sts = await stsClient();
      const out = await sts.client.assumeRole(new sts.ns.AssumeRoleRequest({ roleArn: `acs:ram::${account}:role/publisher`, roleSessionName: session }));
      return out.body!.credentials! as { accessKeyId: string; accessKeySecret: string; securityToken: string };
    };
    const role = await assume("fc2-1");
    const other = await assume("fc2-2");
    const asRole = (securityToken: string, accountId = account) =>
      fc2({ accessKeyID: role.accessKeyId, accessKeySecret: role.accessKeySecret, securityToken, accountId, region: "cn-shanghai" });
    const { data } = await asRole(role.securityToken).getTempBucketToken();
    expect(data.credentials.AccessKeyId).toMatch(/^STS\./);
    // The key acts in the role's account: another account id in x-fc-account-id is refused.
    expect(await rejection(asRole(role.securityToken, emu.credentials.aliyun.accountId).getTempBucketToken())).toMatchObject({ code: "AccessDenied" });
    // No token at all (the SDK always sends one for an STS key: signed by hand here).
    const bare = await signedGet(new Date(), { accessKeyId: role.accessKeyId, accessKeySecret: role.accessKeySecret, accountId: account });
    expect(bare).toMatchObject({ status: 400, json: { ErrorCode: "MissingSecurityToken" } });
    expect(await rejection(asRole(other.securityToken).getTempBucketToken())).toMatchObject({ code: "InvalidSecurityToken.MismatchWithAccessKey" });
    emu.faults.add({ provider: "aliyun", action: "GetTempBucketToken", kind: "expire-credentials", times: 1 });
    expect(await rejection(asRole(role.securityToken).getTempBucketToken())).toMatchObject({ code: "InvalidSecurityToken.Expired" });
    expect(await rejection(asRole(role.securityToken).getTempBucketToken())).toMatchObject({ code: "InvalidSecurityToken.Expired" });
    // The account's own key sends no token (the SDK sends one only for an "STS." key); with one it is refused.
    const ownWithToken = await signedGet(new Date(), { ...emu.credentials.aliyun, securityToken: other.securityToken });
    expect(ownWithToken).toMatchObject({ status: 400, json: { ErrorCode: "InvalidSecurityToken.MismatchWithAccessKey" } });
  });

  it("lends keys for one PutObject of the object it names, and nothing else", async () => {
    const { data } = await fc2({ region: "cn-shanghai" }).getTempBucketToken();
    const key = `${emu.credentials.aliyun.accountId}/${data.objectName}`;
    const oss = new OSS({
      accessKeyId: data.credentials.AccessKeyId,
      accessKeySecret: data.credentials.AccessKeySecret,
      stsToken: data.credentials.SecurityToken,
      refreshSTSTokenInterval: 3600_000,
      bucket: data.ossBucket,
      region: data.ossRegion,
      endpoint: emu.url,
      sldEnable: true,
      secure: false,
      retryMax: 0,
    });
    const put = await oss.put!(key, Buffer.from("PK\u0005\u0006".padEnd(22, "\0")));
    expect(put.res.status).toBe(200);
    expect(put.res.headers["x-oss-hash-crc64ecma"]).toMatch(/^\d+$/);
    // A HEAD answer has no body, so no code: its status says it.
    expect(await rejection(oss.head!(key))).toMatchObject({ status: 403 });
    for (const denied of [() => oss.put!(`${key}.other`, Buffer.from("x")), () => oss.initMultipartUpload!(key), () => oss.delete!(key)]) {
      expect(await rejection(denied())).toMatchObject({ status: 403, code: "AccessDenied" });
    }
  });
});
