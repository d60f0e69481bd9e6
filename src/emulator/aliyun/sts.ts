// Alibaba Cloud STS (API 2015-04-01, RPC style) as @alicloud/sts20150401 (on @alicloud/openapi-core)
// and @alicloud/credentials speak it to an endpoint override: POST / with the action named by
// x-acs-action (openapi-core) or the Action parameter (@alicloud/credentials' own requests),
// parameters in the query or a form body, JSON answers. Three ways in:
//   - signed with ACS3-HMAC-SHA256 (openapi-core's callApi: AssumeRole, GetCallerIdentity),
//   - signed with the RPC signature 1.0 (HMAC-SHA1 `Signature` parameter: @alicloud/credentials'
//     RAM role provider, openapi-core's doRPCRequest),
//   - unsigned: AssumeRoleWithOIDC (its SDK method uses authType "Anonymous": the OIDC token is
//     the proof).
// References: the STS API reference for AssumeRole, AssumeRoleWithOIDC and GetCallerIdentity
// (parameters and their limits: RoleSessionName 2-64 characters of letters, digits and ._@-;
// DurationSeconds 900 up to the role's MaxSessionDuration; OIDCToken 4-20,000 characters), and the
// response models of @alicloud/sts20150401 (AssumedRoleUser, Credentials, OIDCTokenInfo). Error
// codes: where the reference names them (NoPermission, EntityNotExist.*, InvalidParameter.*); the
// codes for an unusable OIDC token, and every status, are not in the parts we have: ours.
// Not modelled: roles' MaxSessionDuration (up to 43200 s is accepted), trust policies, policies.
import type { Companion } from "../cloud.js";
import { ALNUM, jwtClaims, oidcTokenProblem, type KeyStore } from "../keys.js";
import type { IncomingCall, Reply } from "../types.js";
import { FcError } from "./errors.js";
import type { AliyunContext } from "./index.js";
import type { Acs3Verifier, Caller } from "./signature.js";

const VERSION = "2015-04-01";
const ROLE_ARN = /^acs:ram::(\d+):role\/([\w.@-]{1,64})$/i;
const PROVIDER_ARN = /^acs:ram::(\d+):oidc-provider\/([\w.@-]{1,128})$/i;
const SESSION = /^[\w.@-]{2,64}$/;
const ANONYMOUS = new Set(["AssumeRoleWithOIDC"]);

const err = (status: number, code: string, message: string) => new FcError(status, code, message);

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function header(call: IncomingCall, name: string): string | undefined {
  const v = call.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

export class AliyunStsEmulator implements Companion {
  readonly maxRequestBytes = 1024 * 1024;
  private readonly admitted = new WeakMap<IncomingCall, Caller | null>();

  constructor(
    private readonly ctx: AliyunContext,
    private readonly keys: KeyStore,
    private readonly verifier: Acs3Verifier,
  ) {}

  route(call: IncomingCall): string | null {
    if (call.rawPath !== "/" || (call.method !== "POST" && call.method !== "GET")) return null;
    const version = header(call, "x-acs-version") ?? call.url.searchParams.get("Version");
    if (version !== VERSION) return null;
    return header(call, "x-acs-action") ?? call.url.searchParams.get("Action") ?? "UnknownStsOperation";
  }

  admit(call: IncomingCall): Reply | null {
    try {
      // ACS3 is checked on its headers now; the RPC signature covers the body, so it is checked then.
      this.admitted.set(call, header(call, "authorization") ? this.verifier.verifyHeaders(call) : null);
      return null;
    } catch (e) {
      return this.reply(call, e);
    }
  }

  tooLarge(call: IncomingCall): Reply {
    return this.reply(call, err(413, "EntityTooLarge", `payload size exceeds maximum allowed size (${this.maxRequestBytes} bytes)`));
  }

  faultReply(kind: "throttle" | "server-error", call: IncomingCall): Reply {
    return this.reply(
      call,
      kind === "throttle"
        ? err(400, "Throttling.User", "Request was denied due to user flow control.")
        : err(500, "InternalError", "The request processing has failed due to some unknown error."),
    );
  }

  async handle(call: IncomingCall, action: string): Promise<Reply> {
    try {
      const params = new URLSearchParams(call.url.search);
      if ((header(call, "content-type") ?? "").startsWith("application/x-www-form-urlencoded")) {
        for (const [k, v] of new URLSearchParams(call.body.toString("utf8"))) params.append(k, v);
      }
      let caller = this.admitted.get(call);
      if (caller === undefined) throw new Error("an STS call reached its handler without admission");
      if (caller) this.verifier.verifyBody(call, caller);
      else if (params.has("Signature")) caller = this.verifier.verifyRpc(call, params);
      else if (!ANONYMOUS.has(action)) throw err(400, "MissingAccessKeyId", "AccessKeyId is mandatory for this action.");
      switch (action) {
        case "AssumeRole":
          return this.ok(call, this.assumeRole(params, caller!));
        case "AssumeRoleWithOIDC":
          return this.ok(call, this.assumeRoleWithOidc(params));
        case "GetCallerIdentity":
          return this.ok(call, this.callerIdentity(caller!));
        default:
          throw err(404, "InvalidAction.NotFound", `Specified api is not found, please check your url and method.`);
      }
    } catch (e) {
      return this.reply(call, e);
    }
  }

  private ok(call: IncomingCall, body: Record<string, unknown>): Reply {
    return { status: 200, headers: { "x-acs-request-id": call.requestId }, body: { RequestId: call.requestId, ...body } };
  }

  private reply(call: IncomingCall, e: unknown): Reply {
    if (!(e instanceof FcError)) throw e;
    return {
      status: e.status,
      headers: { "x-acs-request-id": call.requestId },
      body: { RequestId: call.requestId, HostId: "sts.aliyuncs.com", Code: e.code, Message: e.message, Recommend: `https://api.aliyun.com/troubleshoot?q=${e.code}` },
    };
  }

  private role(params: URLSearchParams, sessionRequired: boolean) {
    const arn = params.get("RoleArn");
    if (!arn) throw err(400, "MissingRoleArn", "RoleArn is mandatory for this action.");
    const m = ROLE_ARN.exec(arn);
    if (!m) throw err(400, "InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed.");
    let session = params.get("RoleSessionName");
    if (!session) {
      if (sessionRequired) throw err(400, "MissingRoleSessionName", "RoleSessionName is mandatory for this action.");
      session = `oidc-${Date.now()}`;
    }
    if (!SESSION.test(session)) throw err(400, "InvalidParameter.RoleSessionName", "The parameter RoleSessionName is wrongly formed.");
    const raw = params.get("DurationSeconds");
    const seconds = raw === null ? 3600 : Number(raw);
    if (!Number.isInteger(seconds) || seconds < 900 || seconds > 43200) {
      throw err(400, "InvalidParameter.DurationSeconds", "The Min/Max value of DurationSeconds is 15min/12hr.");
    }
    return { arn, account: m[1]!, name: m[2]!, session, seconds };
  }

  private issue(r: ReturnType<AliyunStsEmulator["role"]>): Record<string, unknown> {
    const key = this.keys.issue({ account: r.account, roleArn: r.arn, roleName: r.name, session: r.session, durationSeconds: r.seconds });
    return {
      AssumedRoleUser: { Arn: `acs:ram::${r.account}:role/${r.name.toLowerCase()}/${r.session}`, AssumedRoleId: `${roleId(r.name)}:${r.session}` },
      Credentials: { AccessKeyId: key.keyId, AccessKeySecret: key.secret, SecurityToken: key.token, Expiration: isoSeconds(key.expires) },
    };
  }

  private assumeRole(params: URLSearchParams, _caller: Caller): Record<string, unknown> {
    return this.issue(this.role(params, true));
  }

  private assumeRoleWithOidc(params: URLSearchParams): Record<string, unknown> {
    const provider = params.get("OIDCProviderArn");
    if (!provider) throw err(400, "MissingOIDCProviderArn", "OIDCProviderArn is mandatory for this action.");
    if (!PROVIDER_ARN.test(provider)) throw err(400, "InvalidParameter.OIDCProviderArn", "The parameter OIDCProviderArn is wrongly formed.");
    const r = this.role(params, false);
    const token = params.get("OIDCToken");
    if (!token) throw err(400, "MissingOIDCToken", "OIDCToken is mandatory for this action.");
    if (token.length < 4 || token.length > 20000) throw err(400, "InvalidParameter.OIDCToken", "The OIDC token must be 4 to 20,000 characters in length.");
    const problem = oidcTokenProblem(token, this.ctx.now().getTime());
    if (problem === "malformed") throw err(400, "AuthenticationFail.OIDCToken.Invalid", "The OIDC token is not a valid JSON Web Token.");
    if (problem === "expired") throw err(400, "AuthenticationFail.OIDCToken.Expired", "The OIDC token has expired.");
    const claims = jwtClaims(token)!;
    const time = (v: unknown) => (typeof v === "number" ? isoSeconds(v * 1000) : "");
    return {
      ...this.issue(r),
      OIDCTokenInfo: {
        Subject: String(claims.sub),
        Issuer: String(claims.iss),
        ClientIds: Array.isArray(claims.aud) ? claims.aud.join(",") : String(claims.aud ?? ""),
        ExpirationTime: time(claims.exp),
        IssuanceTime: time(claims.iat),
        VerificationInfo: "Success: The OIDC token's claims were read; its signature is not verified by the layerctl emulator.",
      },
    };
  }

  private callerIdentity(caller: Caller): Record<string, unknown> {
    const s = caller.session;
    if (s) {
      return {
        AccountId: s.account,
        UserId: `${roleId(s.roleName)}:${s.session}`,
        RoleId: roleId(s.roleName),
        Arn: `acs:ram::${s.account}:assumed-role/${s.roleName}/${s.session}`,
        IdentityType: "AssumedRoleUser",
        PrincipalId: `${roleId(s.roleName)}:${s.session}`,
      };
    }
    const userId = `2${caller.accountId.slice(-14).padStart(14, "0")}`;
    return { AccountId: caller.accountId, UserId: userId, Arn: `acs:ram::${caller.accountId}:user/layerctl-emulator`, IdentityType: "RAMUser", PrincipalId: userId };
  }
}

/** A role id as RAM writes it (digits), stable for a role name. */
function roleId(name: string): string {
  let id = "3";
  let h = 7;
  for (const c of name.toLowerCase()) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  for (let i = 0; i < 18; i++, h = (h * 1103515245 + 12345) >>> 0) id += ALNUM[52 + (h % 10)];
  return id;
}
