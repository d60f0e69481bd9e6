// AWS STS (API 2011-06-15, the awsQuery protocol) as @aws-sdk/client-sts and the credential
// providers speak it to an endpoint override (AWS_ENDPOINT_URL_STS): POST / with a form body
// naming the Action, XML answers. AssumeRole and GetCallerIdentity are signed with SigV4 for
// service "sts"; AssumeRoleWithWebIdentity is sent unsigned (its model's `smithy.api#noAuth`),
// the OIDC token being the proof. References: the STS API Reference (AssumeRole,
// AssumeRoleWithWebIdentity, GetCallerIdentity: parameters, constraints, response elements,
// errors) and "Common Errors"; the error shape is the query protocol's <ErrorResponse>.
//
// On the shared port a request is STS's when its SigV4 scope names service "sts", or when it is an
// unsigned form POST to / (Tencent's carry X-TC-* headers, Aliyun's x-acs-*). The action is in the
// body, so it is known only once the body is read: before that, route() says "STS".
// Not modelled: a role's own MaxSessionDuration (up to 43200 s is accepted), trust policies (any
// well-formed role may be assumed), session policies and tags (accepted, not applied), GET requests.
import type { Companion } from "../cloud.js";
import type { KeyStore } from "../keys.js";
import { oidcTokenProblem, jwtClaims, UPPER_ALNUM } from "../keys.js";
import type { IncomingCall, Reply } from "../types.js";
import { AwsApiError } from "./errors.js";
import type { AwsContext } from "./index.js";
import { checkSigV4Headers, checkSigV4Signature, type AdmittedSigV4, type KeyErrors } from "./signature.js";

const NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const VERSION = "2011-06-15";
const SCOPE = /Credential=[^/]+\/\d{8}\/[^/]+\/sts\/aws4_request/;
const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION = /^[\w+=,.@-]{2,64}$/;
const UNSIGNED = new Set(["AssumeRoleWithWebIdentity"]);

class StsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The query protocol's names for the front end's SigV4 errors (Lambda's are restJson1 names). */
const QUERY_CODES: Record<string, [number, string]> = {
  InvalidSignatureException: [403, "SignatureDoesNotMatch"],
  IncompleteSignatureException: [400, "IncompleteSignature"],
  MissingAuthenticationTokenException: [403, "MissingAuthenticationToken"],
  UnrecognizedClientException: [403, "InvalidClientTokenId"],
};

const STS_KEY_ERRORS: KeyErrors = {
  unknownKey: () => new StsError(403, "InvalidClientTokenId", "The security token included in the request is invalid."),
  badToken: () => new StsError(403, "InvalidClientTokenId", "The security token included in the request is invalid."),
  expiredToken: () => new StsError(400, "ExpiredToken", "The security token included in the request is expired"),
};

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function element(name: string, body: Record<string, string | Record<string, string>>): string {
  return `<${name}>${Object.entries(body)
    .map(([k, v]) => (typeof v === "string" ? `<${k}>${escapeXml(v)}</${k}>` : element(k, v)))
    .join("")}</${name}>`;
}

function answer(call: IncomingCall, action: string, result: Record<string, string | Record<string, string>>): Reply {
  const xml = `<${action}Response xmlns="${NS}">${element(`${action}Result`, result)}<ResponseMetadata><RequestId>${call.requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { "x-amzn-RequestId": call.requestId, "content-type": "text/xml" }, body: Buffer.from(xml) };
}

function errorReply(call: IncomingCall, err: StsError): Reply {
  const type = err.status >= 500 ? "Receiver" : "Sender";
  const xml = `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${err.code}</Code><Message>${escapeXml(err.message)}</Message></Error><RequestId>${call.requestId}</RequestId></ErrorResponse>`;
  return { status: err.status, headers: { "x-amzn-RequestId": call.requestId, "content-type": "text/xml" }, body: Buffer.from(xml) };
}

function validation(member: string, value: string, constraint: string): StsError {
  return new StsError(400, "ValidationError", `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export class StsEmulator implements Companion {
  readonly maxRequestBytes = 1024 * 1024;
  private readonly admitted = new WeakMap<IncomingCall, AdmittedSigV4 | null>();

  constructor(
    private readonly ctx: AwsContext,
    private readonly keys: KeyStore,
  ) {}

  route(call: IncomingCall): string | null {
    // The query protocol sends everything in the body: a query string is another cloud's RPC call.
    if (call.method !== "POST" || call.rawPath !== "/" || call.url.search !== "") return null;
    const auth = String(call.headers.authorization ?? "");
    const type = String(call.headers["content-type"] ?? "");
    const foreign = Object.keys(call.headers).some((h) => h.startsWith("x-tc-") || h.startsWith("x-acs-"));
    if (!SCOPE.test(auth) && (auth !== "" || foreign || !type.startsWith("application/x-www-form-urlencoded"))) return null;
    if (call.body.length === 0) return "STS";
    return new URLSearchParams(call.body.toString("utf8")).get("Action") || "UnknownStsOperation";
  }

  admit(call: IncomingCall): Reply | null {
    try {
      const signed = call.headers.authorization !== undefined;
      this.admitted.set(call, signed ? checkSigV4Headers(call, this.keys, this.ctx.now(), this.ctx.tuning.maxClockSkewMs, "sts", STS_KEY_ERRORS) : null);
      return null;
    } catch (err) {
      return errorReply(call, this.asStsError(err));
    }
  }

  tooLarge(call: IncomingCall): Reply {
    return errorReply(call, new StsError(413, "RequestEntityTooLarge", `Request must be smaller than ${this.maxRequestBytes} bytes`));
  }

  faultReply(kind: "throttle" | "server-error", call: IncomingCall): Reply {
    // STS's throttling answer is a 400 with code Throttling (which the SDK retries as throttling).
    return errorReply(
      call,
      kind === "throttle" ? new StsError(400, "Throttling", "Rate exceeded") : new StsError(500, "InternalFailure", "An internal error occurred; retry later."),
    );
  }

  async handle(call: IncomingCall, action: string): Promise<Reply> {
    try {
      const caller = this.admitted.get(call);
      if (caller === undefined) throw new Error("an STS call reached its handler without admission");
      if (caller) {
        if (this.keys.expiredSince(caller.session)) throw STS_KEY_ERRORS.expiredToken();
        checkSigV4Signature(call, caller);
      } else if (!UNSIGNED.has(action)) throw new StsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
      const form = new URLSearchParams(call.body.toString("utf8"));
      if (form.get("Version") !== VERSION)
        throw new StsError(400, "InvalidAction", `Could not find operation ${action} for version ${form.get("Version") ?? "NO_VERSION_SPECIFIED"}`);
      switch (action) {
        case "AssumeRole":
          return answer(call, action, this.assumeRole(form, caller!));
        case "AssumeRoleWithWebIdentity":
          return answer(call, action, this.assumeRoleWithWebIdentity(form));
        case "GetCallerIdentity":
          return answer(call, action, this.callerIdentity(caller!));
        default:
          throw new StsError(400, "InvalidAction", `Could not find operation ${action} for version ${VERSION}`);
      }
    } catch (err) {
      return errorReply(call, this.asStsError(err));
    }
  }

  private asStsError(err: unknown): StsError {
    if (err instanceof StsError) return err;
    if (err instanceof AwsApiError) {
      const [status, code] = QUERY_CODES[err.code] ?? [400, err.code];
      return new StsError(status, code, err.message);
    }
    throw err;
  }

  private role(form: URLSearchParams): { arn: string; account: string; name: string; session: string; seconds: number } {
    const arn = form.get("RoleArn");
    if (!arn) throw validation("roleArn", "null", "Member must not be null");
    const m = ROLE_ARN.exec(arn);
    if (!m) throw validation("roleArn", arn, "Member must be the ARN of an IAM role (arn:aws:iam::<account>:role/<name>)");
    const session = form.get("RoleSessionName");
    if (!session) throw validation("roleSessionName", "null", "Member must not be null");
    if (!SESSION.test(session)) throw validation("roleSessionName", session, "Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64");
    const raw = form.get("DurationSeconds");
    const seconds = raw === null ? 3600 : Number(raw);
    if (!Number.isInteger(seconds) || seconds < 900 || seconds > 43200) {
      throw validation("durationSeconds", String(raw), "Member must have value greater than or equal to 900 and less than or equal to 43200");
    }
    return { arn, account: m[1]!, name: m[2]!, session, seconds };
  }

  private issue(r: ReturnType<StsEmulator["role"]>): Record<string, string | Record<string, string>> {
    const key = this.keys.issue({ account: r.account, roleArn: r.arn, roleName: r.name, session: r.session, durationSeconds: r.seconds });
    return {
      AssumedRoleUser: { Arn: `arn:aws:sts::${r.account}:assumed-role/${r.name}/${r.session}`, AssumedRoleId: `${roleId(r.name)}:${r.session}` },
      Credentials: { AccessKeyId: key.keyId, SecretAccessKey: key.secret, SessionToken: key.token, Expiration: isoSeconds(key.expires) },
    };
  }

  private assumeRole(form: URLSearchParams, _caller: AdmittedSigV4): Record<string, string | Record<string, string>> {
    return { ...this.issue(this.role(form)), PackedPolicySize: "0" };
  }

  private assumeRoleWithWebIdentity(form: URLSearchParams): Record<string, string | Record<string, string>> {
    const r = this.role(form);
    const token = form.get("WebIdentityToken");
    if (!token) throw validation("webIdentityToken", "null", "Member must not be null");
    const problem = oidcTokenProblem(token, this.ctx.now().getTime());
    if (problem === "malformed") throw new StsError(400, "InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
    if (problem === "expired") throw new StsError(400, "ExpiredTokenException", "Token expired: the ID Token's exp is in the past");
    const claims = jwtClaims(token)!;
    const aud = Array.isArray(claims.aud) ? String(claims.aud[0]) : String(claims.aud ?? "");
    return {
      ...this.issue(r),
      SubjectFromWebIdentityToken: String(claims.sub),
      Audience: aud,
      Provider: String(claims.iss).replace(/^https:\/\//, ""),
    };
  }

  private callerIdentity(caller: AdmittedSigV4): Record<string, string> {
    if (caller.session) {
      const s = caller.session;
      return { UserId: `${roleId(s.roleName)}:${s.session}`, Account: s.account, Arn: `arn:aws:sts::${s.account}:assumed-role/${s.roleName}/${s.session}` };
    }
    return { UserId: "AIDALAYERCTLEMULATOR", Account: caller.account, Arn: `arn:aws:iam::${caller.account}:user/layerctl-emulator` };
  }
}

/** A role's unique id as IAM writes it (AROA + 17 characters), stable for a role name. */
function roleId(name: string): string {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  let id = "";
  for (let i = 0; i < 17; i++, h = (h * 1103515245 + 12345) >>> 0) id += UPPER_ALNUM[h % UPPER_ALNUM.length];
  return `AROA${id}`;
}
