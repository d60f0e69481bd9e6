// On Node < 22 every AWS SDK client prints a NodeVersionSupportWarning on stderr when created:
// the Lambda client, and the STS/SSO clients the credential chain makes for role and SSO
// profiles. Called before each import of an AWS SDK module, so no path forgets it.
export function quietAwsSdk(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
}
