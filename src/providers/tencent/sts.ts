// Tencent Cloud STS (2018-08-13) through the official tencentcloud-sdk-nodejs-sts, loaded only when
// a role is assumed or an OIDC token exchanged: `layerctl --help` and a run with plain keys never
// load it. AssumeRoleWithWebIdentity is sent unsigned (`Authorization: SKIP`, as its API doc and
// the SDK's own OIDCRoleArnCredential do). LAYERCTL_STS_ENDPOINT_TENCENT points it elsewhere (the
// emulator); the default is the SDK's sts.tencentcloudapi.com.
import type { sts as StsNamespace } from "tencentcloud-sdk-nodejs-sts";
import { CloudError } from "../../errors.js";
import type { CloudKeys } from "../credential-cache.js";
import { withRetry } from "../retry.js";
import { STS_RETRY, STS_TIMEOUT_MS } from "../sts.js";
import { toCloudError } from "./errors.js";
import { httpProfile } from "./sdk.js";

type StsClient = InstanceType<typeof StsNamespace.v20180813.Client>;

export interface TencentStsTarget {
  /** LAYERCTL_STS_ENDPOINT_TENCENT, if set. */
  endpoint?: URL;
  /** The STS region (a common parameter every call carries). */
  region: string;
}

interface StsAnswer {
  Credentials?: { TmpSecretId?: string; TmpSecretKey?: string; Token?: string };
  ExpiredTime?: number;
  RequestId?: string;
}

async function client(keys: CloudKeys | null, target: TencentStsTarget): Promise<StsClient> {
  const mod = (await import("tencentcloud-sdk-nodejs-sts")) as { sts?: typeof StsNamespace; default?: { sts: typeof StsNamespace } };
  const sts = mod.sts ?? mod.default!.sts;
  return new sts.v20180813.Client({
    credential: keys ? { secretId: keys.keyId, secretKey: keys.secret, token: keys.token } : {},
    region: target.region,
    profile: { httpProfile: httpProfile({ endpoint: target.endpoint?.origin, requestTimeoutMs: STS_TIMEOUT_MS }) },
  });
}

async function call(action: string, keys: CloudKeys | null, target: TencentStsTarget, params: Record<string, unknown>): Promise<StsAnswer> {
  const sts = await client(keys, target);
  const secrets = [keys?.secret ?? "", keys?.token ?? ""];
  return withRetry(STS_RETRY, async () => {
    try {
      return (await sts.request(action, params, { skipSign: keys === null })) as StsAnswer;
    } catch (err) {
      throw toCloudError(err, action, { timeoutMs: STS_TIMEOUT_MS, secrets });
    }
  });
}

function keysOf(action: string, answer: StsAnswer): CloudKeys {
  const c = answer.Credentials;
  if (!c?.TmpSecretId || !c.TmpSecretKey || !c.Token || typeof answer.ExpiredTime !== "number") {
    throw new CloudError(`STS ${action} answered without Credentials (TmpSecretId, TmpSecretKey, Token) and ExpiredTime`, {
      code: "InvalidResponse",
      provider: "tencent",
      requestId: answer.RequestId,
    });
  }
  return { keyId: c.TmpSecretId, secret: c.TmpSecretKey, token: c.Token, expiresAt: answer.ExpiredTime * 1000 };
}

/** STS AssumeRole, signed with `base`: keys of the role, for the account the role belongs to. */
export async function assumeRole(base: CloudKeys, role: { roleArn: string; session: string }, target: TencentStsTarget): Promise<CloudKeys> {
  return keysOf("AssumeRole", await call("AssumeRole", base, target, { RoleArn: role.roleArn, RoleSessionName: role.session }));
}

/** STS AssumeRoleWithWebIdentity: the OIDC token is the proof, nothing is signed. */
export async function assumeRoleWithWebIdentity(req: { providerId: string; token: string; roleArn: string; session: string }, target: TencentStsTarget): Promise<CloudKeys> {
  const answer = await call("AssumeRoleWithWebIdentity", null, target, {
    ProviderId: req.providerId,
    WebIdentityToken: req.token,
    RoleArn: req.roleArn,
    RoleSessionName: req.session,
  });
  return keysOf("AssumeRoleWithWebIdentity", answer);
}
