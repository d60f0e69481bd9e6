// Tencent Cloud STS (API 2018-08-13), served at the same POST / as SCF: X-TC-Version 2018-08-13
// names STS (the real API is told apart by its host, sts.tencentcloudapi.com, which an endpoint
// override does not carry). References: the STS API docs for AssumeRole, AssumeRoleWithWebIdentity
// and GetCallerIdentity (cloud.tencent.com/document/api/1312), the request and response models of
// tencentcloud-sdk-nodejs-sts (sts_models.d.ts) and the error codes listed per action in
// tencentcloud-sdk-go's sts/v20180813/client.go. AssumeRoleWithWebIdentity is not signed: the
// request carries `Authorization: SKIP` ("当使用签名方法 V3 调用本接口时 ... Authorization 需要传入值 SKIP").
import { createHash } from "node:crypto";
import { oidcTokenProblem, type KeyStore } from "../keys.js";
import { TencentApiError, missing, wrongType } from "./errors.js";
import type { Params } from "./params.js";
import type { AdmittedAuthorization } from "./signature.js";

export const STS_VERSION = "2018-08-13";
export const STS_ACTIONS = new Set(["AssumeRole", "AssumeRoleWithWebIdentity", "GetCallerIdentity"]);
/** Actions that take no signature (`Authorization: SKIP`). */
export const UNSIGNED_ACTIONS = new Set(["AssumeRoleWithWebIdentity"]);

/** `qcs::cam::uin/<uin>:roleName/<name>` or `qcs::cam::uin/<uin>:role/<roleId>` (service roles add a path). */
const ROLE_ARN = /^qcs::cam::uin\/(\d+):(roleName|role)\/(?:[\w+=,.@-]+\/)?([\w+=,.@-]{1,128})$/;
/** "默认 7200 秒，最长可设定有效期为 43200 秒" (AssumeRole, AssumeRoleWithWebIdentity). The minimum is not documented. */
const DEFAULT_DURATION = 7200;
const MAX_DURATION = 43200;

function str(p: Params, name: string): string {
  const v = p[name];
  if (v === undefined || v === null || v === "") throw missing(name);
  if (typeof v !== "string") throw wrongType(name, "a string");
  return v;
}

function duration(p: Params): number {
  const v = p.DurationSeconds;
  if (v === undefined || v === null) return DEFAULT_DURATION;
  if (typeof v !== "number" || !Number.isInteger(v)) throw wrongType("DurationSeconds", "an integer");
  if (v < 1 || v > MAX_DURATION) throw new TencentApiError("InvalidParameter.OverTimeError", `DurationSeconds must be at most ${MAX_DURATION} seconds.`);
  return v;
}

function role(p: Params): { arn: string; account: string; name: string } {
  const arn = str(p, "RoleArn");
  const m = ROLE_ARN.exec(arn);
  if (!m) throw new TencentApiError("InvalidParameter.ParamError", `RoleArn ${arn} is not a role's resource description (qcs::cam::uin/<uin>:roleName/<name>).`);
  return { arn, account: m[1]!, name: m[3]! };
}

function session(p: Params): string {
  const name = str(p, "RoleSessionName");
  // "长度在2到128之间 ... 正则为：[\w+=,.@_-]*"
  if (!/^[\w+=,.@-]{2,128}$/.test(name)) throw new TencentApiError("InvalidParameter.ParamError", "RoleSessionName must be 2-128 characters of letters, digits and +=,.@_-.");
  return name;
}

/** A role id as CAM shows it (digits), stable for a role name. */
function roleId(name: string): string {
  const n = Number.parseInt(createHash("sha256").update(name).digest("hex").slice(0, 8), 16) % 100_000_000;
  return `46116860184${String(n).padStart(8, "0")}`;
}

function issued(keys: KeyStore, r: { arn: string; account: string; name: string }, sessionName: string, seconds: number): Record<string, unknown> {
  const key = keys.issue({ account: r.account, roleArn: r.arn, roleName: r.name, session: sessionName, durationSeconds: seconds });
  return {
    Credentials: { Token: key.token, TmpSecretId: key.keyId, TmpSecretKey: key.secret },
    ExpiredTime: Math.floor(key.expires / 1000),
    Expiration: new Date(key.expires).toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
}

export function stsOperations(keys: KeyStore, now: () => Date) {
  return {
    AssumeRole(p: Params, caller: AdmittedAuthorization | null): Record<string, unknown> {
      if (!caller) throw new TencentApiError("AuthFailure.InvalidAuthorization", "AssumeRole must be signed.");
      const r = role(p);
      return issued(keys, r, session(p), duration(p));
    },
    AssumeRoleWithWebIdentity(p: Params): Record<string, unknown> {
      str(p, "ProviderId");
      const token = str(p, "WebIdentityToken");
      const r = role(p);
      const name = session(p);
      const seconds = duration(p);
      const problem = oidcTokenProblem(token, now().getTime());
      if (problem) {
        throw new TencentApiError(
          "InvalidParameter.WebIdentityTokenError",
          problem === "expired" ? "The WebIdentityToken has expired." : "The WebIdentityToken is not a valid OIDC token.",
        );
      }
      return issued(keys, r, name, seconds);
    },
    GetCallerIdentity(_p: Params, caller: AdmittedAuthorization | null): Record<string, unknown> {
      if (!caller) throw new TencentApiError("AuthFailure.InvalidAuthorization", "GetCallerIdentity must be signed.");
      // Type's values are not documented; CAMUser/CAMRole are ours.
      if (caller.role) {
        const id = roleId(caller.role.name);
        return {
          Arn: `qcs::sts:${caller.account}:assumed-role/${id}/${caller.role.session}`,
          AccountId: caller.account,
          UserId: `${id}:${caller.role.session}`,
          PrincipalId: caller.account,
          Type: "CAMRole",
        };
      }
      return { Arn: `qcs::cam::uin/${caller.account}:uin/${caller.account}`, AccountId: caller.account, UserId: caller.account, PrincipalId: caller.account, Type: "CAMUser" };
    },
  };
}
