// What help text says about AWS Lambda, loadable without the adapter (see ../names.ts).
import type { ProviderAbout } from "../names.js";

export const awsAbout = {
  title: "AWS Lambda",
  credentials: "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or the AWS default chain (--profile)",
  profile: "a profile of ~/.aws/config and ~/.aws/credentials (its region too)",
  // The AWS SDK for JavaScript v3's default chain (@aws-sdk/credential-provider-node: fromEnv,
  // fromSSO, fromIni, fromProcess, fromTokenFile, then container and instance metadata), and the AWS
  // CLI's rule that --profile outranks the key variables.
  credentialOrder: [
    "--profile NAME (or aws:NAME): that profile of ~/.aws/config and ~/.aws/credentials (keys, role_arn + source_profile, SSO, credential_process, web identity)",
    "AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN)",
    "AWS_PROFILE, then the SDK's default chain: SSO, the [default] profile, credential_process, web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN -> STS AssumeRoleWithWebIdentity), container credentials, instance metadata (off with AWS_EC2_METADATA_DISABLED=true)",
    "then a role: --role-arn -> STS AssumeRole with those keys (renewed before expiry)",
  ],
  endpointVariables: ["LAYERCTL_ENDPOINT_AWS", "AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL"],
} satisfies ProviderAbout;
