// What help text says about Tencent Cloud SCF, loadable without the adapter (see ../names.ts).
import type { ProviderAbout } from "../names.js";

export const tencentAbout = {
  title: "Tencent Cloud SCF",
  credentials: "TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY [, TENCENTCLOUD_SESSION_TOKEN], a profile, or OIDC (TKE_*)",
  profile: "[NAME] of ~/.tencentcloud/credentials, else tccli's ~/.tccli/NAME.credential",
  // The Node SDK's DefaultCredentialProvider (tencentcloud-sdk-nodejs-common credential.js:
  // environment, profile file, CVM role, OIDC) and tccli (README "凭证管理"; parse_global_arg:
  // --profile ignores the variables; TENCENTCLOUD_TOKEN; TENCENTCLOUD_ROLE_ARN with the keys).
  // tccli ranks TKE OIDC above keys, the SDK below: layerctl follows the SDK, so keys given
  // explicitly win.
  credentialOrder: [
    "--profile NAME (or tencent:NAME): [NAME] of ~/.tencentcloud/credentials, else ~/.tccli/NAME.credential; the variables are not read",
    "TENCENTCLOUD_SECRET_ID + TENCENTCLOUD_SECRET_KEY, with TENCENTCLOUD_SESSION_TOKEN, TENCENTCLOUD_TOKEN or TENCENTCLOUD_SECURITY_TOKEN for temporary keys",
    "profile TCCLI_PROFILE (else default): ~/.tencentcloud/credentials, /etc/tencentcloud/credentials, ~/.tccli/<profile>.credential",
    "OIDC: TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN, TKE_REGION -> STS AssumeRoleWithWebIdentity (renewed before expiry)",
    "then a role: --role-arn, TENCENTCLOUD_ROLE_ARN (+ TENCENTCLOUD_ROLE_SESSION_NAME) or the tccli profile's role-arn -> STS AssumeRole with those keys (renewed)",
    "not read: the CVM instance role (instance metadata)",
  ],
  endpointVariables: ["LAYERCTL_ENDPOINT_TENCENT"],
} satisfies ProviderAbout;
