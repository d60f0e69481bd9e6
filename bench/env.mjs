// The CLI's environment in every bench: a user's shell, without credentials or a home to find them
// in, so that no run differs from another by what the machine holds.
export function cliEnv(extra = {}) {
  return {
    PATH: process.env.PATH,
    HOME: "/nonexistent-layerctl-home",
    LANG: "C.UTF-8",
    NO_COLOR: "1",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: "/nonexistent/layerctl-aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/layerctl-aws-credentials",
    ...extra,
  };
}
