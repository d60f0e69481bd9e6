// Credentials as the Tencent SDKs and tccli look them up, without loading the SDK: the
// TENCENTCLOUD_* variables, else a profile (--profile, or default) in ~/.tencentcloud/credentials
// (ini: secret_id, secret_key, token). CVM role and OIDC lookups are left out: they reach the network.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../../errors.js";
import { registerSecret } from "../../output/redact.js";
import type { ResolvedCredentials } from "../types.js";

export const TENCENT_CREDENTIAL_VARIABLES = ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN"] as const;

export interface TencentCredentials extends ResolvedCredentials {
  secretId: string;
  secretKey: string;
  token?: string;
}

export async function resolveTencentCredentials(env: NodeJS.ProcessEnv, opts: { profile?: string }): Promise<TencentCredentials> {
  const [ID, KEY, TOKEN] = TENCENT_CREDENTIAL_VARIABLES;
  const secretId = env[ID]?.trim();
  const secretKey = env[KEY]?.trim();
  const token = env[TOKEN]?.trim() || undefined;
  // The variables win even with --profile: the flag is shared by every provider of a run (it
  // names an AWS profile in `-p aws,tencent --profile prod`), so it must not hide Tencent keys.
  if (secretId && secretKey) return { source: "environment", secretId, secretKey, token };
  if (secretId || secretKey) {
    throw new UsageError(`${secretId ? ID : KEY} is set but ${secretId ? KEY : ID} is not`, {
      code: "MissingCredentials",
      hint: `set both ${ID} and ${KEY} (and ${TOKEN} for temporary keys)`,
    });
  }

  const home = env.HOME || env.USERPROFILE;
  const file = home ? path.join(home, ".tencentcloud", "credentials") : undefined;
  const profile = opts.profile ?? "default";
  const section = file ? (await readIni(file))?.[profile] : undefined;
  if (section?.secret_id && section.secret_key) {
    registerSecret(section.secret_key);
    registerSecret(section.token);
    return { source: `profile ${profile} (${file})`, secretId: section.secret_id, secretKey: section.secret_key, token: section.token || undefined };
  }
  if (opts.profile) {
    throw new UsageError(
      `no Tencent Cloud credentials: ${ID} and ${KEY} are not set, and profile "${profile}" has no secret_id and secret_key${file ? ` in ${file}` : " (no home directory)"}`,
      {
        code: "MissingCredentials",
        hint: `set ${ID} and ${KEY} (and ${TOKEN} for temporary keys), or add [${profile}] with secret_id and secret_key to ~/.tencentcloud/credentials`,
      },
    );
  }
  throw new UsageError(`no Tencent Cloud credentials: ${ID} and ${KEY} are not set`, {
    code: "MissingCredentials",
    hint: `set ${ID} and ${KEY} (and ${TOKEN} for temporary keys), or add a [default] profile to ~/.tencentcloud/credentials`,
  });
}

async function readIni(file: string): Promise<Record<string, Record<string, string>> | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`, { code: "CredentialsFileUnreadable" });
  }
  const out: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      current = out[section[1]!.trim()] ??= {};
      continue;
    }
    const eq = line.indexOf("=");
    if (eq !== -1 && current) current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}
