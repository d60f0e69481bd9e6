// Tencent Cloud profiles as the SDK and tccli keep them:
//   ~/.tencentcloud/credentials (ini; the Node SDK's ProfileCredential reads secret_id, secret_key
//     and token, and /etc/tencentcloud/credentials when the home file does not exist),
//   ~/.tccli/<profile>.credential (JSON: secretId, secretKey, token, role-arn, role-session-name,
//     type) and ~/.tccli/<profile>.configure (JSON: _sys_param.region), as tccli's
//     parse_global_arg reads them.
import { UsageError } from "../../errors.js";
import { registerSecret } from "../../output/redact.js";
import type { CloudKeys } from "../credential-cache.js";
import { field, inHome, parseIni, parseJsonFile, readOptional, shown } from "../profile-files.js";

export interface TencentProfile {
  /** For messages: "profile prod (~/.tccli/prod.credential)". */
  source: string;
  keys: CloudKeys;
  /** A role the profile says to assume with its keys (tccli's role-arn). */
  role?: { arn: string; session?: string };
}

const SYSTEM_FILE = "/etc/tencentcloud/credentials";

/** The profile `name`, from the first file that has it; undefined when none does. */
export async function readTencentProfile(env: NodeJS.ProcessEnv, name: string): Promise<TencentProfile | undefined> {
  const home = inHome(env, ".tencentcloud", "credentials");
  let file = home;
  let text = await readOptional(home, "tencent");
  if (text === undefined) {
    file = SYSTEM_FILE;
    text = await readOptional(SYSTEM_FILE, "tencent");
  }
  const section = text === undefined ? undefined : parseIni(text)[name];
  if (section && file) {
    const keyId = field(section, "secret_id");
    const secret = field(section, "secret_key");
    if (keyId && secret) return { source: `profile ${name} (${shown(file, env)})`, keys: { keyId, secret, token: field(section, "token") } };
    // A half-filled section is a mistake to point at, not a reason to look elsewhere.
    registerSecret(secret);
    throw new UsageError(`profile ${name} in ${shown(file, env)} needs both secret_id and secret_key`, { code: "MissingCredentials", provider: "tencent" });
  }
  return readTccliProfile(env, name);
}

async function readTccliProfile(env: NodeJS.ProcessEnv, name: string): Promise<TencentProfile | undefined> {
  const file = inHome(env, ".tccli", `${name}.credential`);
  const text = await readOptional(file, "tencent");
  if (text === undefined || !file) return undefined;
  const cred = parseJsonFile(text, shown(file, env), "tencent");
  const keyId = field(cred, "secretId");
  const secret = field(cred, "secretKey");
  const token = field(cred, "token");
  // Registered before any check can fail with a message.
  registerSecret(secret);
  registerSecret(token);
  if (field(cred, "type") === "cvm-role") {
    throw new UsageError(`profile ${name} (${shown(file, env)}) uses the CVM instance role, which layerctl does not read (it would ask the instance metadata service)`, {
      code: "UnsupportedCredentials",
      provider: "tencent",
      hint: "give the instance's keys another way, or assume a role with --role-arn from keys you have",
    });
  }
  if (!keyId || !secret) {
    throw new UsageError(`profile ${name} (${shown(file, env)}) has no secretId and secretKey`, {
      code: "MissingCredentials",
      provider: "tencent",
      hint: `run \`tccli configure --profile ${name}\``,
    });
  }
  const roleArn = field(cred, "role-arn");
  return {
    source: `tccli profile ${name} (${shown(file, env)})`,
    keys: { keyId, secret, token },
    role: roleArn ? { arn: roleArn, session: field(cred, "role-session-name") } : undefined,
  };
}

/** The region of tccli's profile `name` (~/.tccli/<name>.configure, `_sys_param.region`). */
export async function tccliRegion(env: NodeJS.ProcessEnv, name: string): Promise<string | undefined> {
  const file = inHome(env, ".tccli", `${name}.configure`);
  const text = await readOptional(file, "tencent");
  if (text === undefined || !file) return undefined;
  const conf = parseJsonFile(text, shown(file, env), "tencent");
  const sys = conf._sys_param;
  return sys && typeof sys === "object" ? field(sys as Record<string, unknown>, "region") : undefined;
}
