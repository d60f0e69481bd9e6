// The environment every CLI process of the tests and benches runs in: a user's shell without
// credentials or a home to find them in, so that no SDK looks beyond loopback and no run differs
// from another by what the machine holds. Plain ESM so that bench/*.mjs can import it too.

/** PATH and locale, no credentials, no home; `extra` on top (undefined entries are left out). */
export function cleanEnv(extra = {}) {
  const env = {
    PATH: process.env.PATH,
    HOME: "/nonexistent-layerctl-home",
    LANG: "C.UTF-8",
    NO_COLOR: "1",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: "/nonexistent/layerctl-aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/layerctl-aws-credentials",
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter((e) => e[1] !== undefined));
}
