/** PATH and locale, no credentials, no home; `extra` on top (undefined entries are left out): see clean-env.mjs. */
export function cleanEnv(extra?: Record<string, string | undefined>): Record<string, string>;
