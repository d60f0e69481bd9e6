// Alibaba Cloud profiles as the aliyun CLI and @alicloud/credentials keep them:
//   ~/.aliyun/config.json: {current, profiles: [{name, mode, region_id, ...}]}, read as
//     @alicloud/credentials' CLIProfileCredentialsProvider reads it (providers/cli_profile.js):
//     AK (access_key_id, access_key_secret), StsToken (+ sts_token), RamRoleArn (+ ram_role_arn,
//     ram_session_name, expired_seconds, sts_region, sts_endpoint), ChainableRamRoleArn
//     (source_profile + the role fields), OIDC (oidc_provider_arn, oidc_token_file, ram_role_arn,
//     ram_session_name, duration_seconds, sts_region). Other modes (EcsRamRole, CloudSSO, OAuth,
//     External) need the instance metadata service, a browser login or a program: refused by name.
//   ~/.alibabacloud/credentials (ALIBABA_CLOUD_CREDENTIALS_FILE): ini sections with type
//     access_key or ram_role_arn (providers/profile.js); ecs_ram_role is refused likewise.
// What comes back is a plan (keys, a role to assume with other keys, or an OIDC exchange): the
// exchanges themselves are made in ./credentials.ts.
import { UsageError } from "../../errors.js";
import { registerSecret } from "../../output/redact.js";
import type { CloudKeys } from "../credential-cache.js";
import { field, inHome, parseIni, parseJsonFile, readOptional, shown } from "../profile-files.js";

export type AliyunPlan =
  | { kind: "keys"; source: string; keys: CloudKeys }
  | { kind: "role"; source: string; from: AliyunPlan; roleArn: string; session?: string; durationSeconds?: number; stsRegion?: string; stsEndpoint?: string }
  | { kind: "oidc"; source: string; providerArn: string; roleArn: string; tokenFile: string; session?: string; durationSeconds?: number; stsRegion?: string };

type Profile = Record<string, unknown>;

export interface CliConfig {
  file: string;
  current?: string;
  profiles: Profile[];
}

export async function readCliConfig(env: NodeJS.ProcessEnv): Promise<CliConfig | undefined> {
  const file = inHome(env, ".aliyun", "config.json");
  const text = await readOptional(file, "aliyun");
  if (text === undefined || !file) return undefined;
  const conf = parseJsonFile(text, shown(file, env), "aliyun");
  const profiles = Array.isArray(conf.profiles) ? (conf.profiles.filter((p) => p && typeof p === "object") as Profile[]) : [];
  // Every secret in the file is registered at once, whichever profile is used: a message about
  // one profile must not show another's.
  for (const p of profiles) for (const k of ["access_key_secret", "sts_token"]) registerSecret(field(p, k));
  return { file: shown(file, env), current: field(conf, "current"), profiles };
}

export function findCliProfile(conf: CliConfig, name: string): Profile | undefined {
  return conf.profiles.find((p) => p.name === name);
}

/** A config.json profile as a plan. */
export function cliProfilePlan(conf: CliConfig, name: string, seen: string[] = []): AliyunPlan {
  const p = findCliProfile(conf, name);
  const where = `profile ${name} (${conf.file})`;
  if (!p) throw new UsageError(`${conf.file} has no profile "${name}"`, { code: "MissingCredentials", provider: "aliyun", hint: `run \`aliyun configure --profile ${name}\`` });
  const mode = field(p, "mode") ?? "AK";
  const need = (...keys: string[]) => {
    const missing = keys.filter((k) => !field(p, k));
    if (missing.length) throw new UsageError(`${where}, mode ${mode}, has no ${missing.join(", ")}`, { code: "MissingCredentials", provider: "aliyun" });
  };
  const keys = (): CloudKeys => ({ keyId: field(p, "access_key_id")!, secret: field(p, "access_key_secret")!, token: field(p, "sts_token") });
  const role = (from: AliyunPlan): AliyunPlan => ({
    kind: "role",
    source: `role ${field(p, "ram_role_arn")} of ${where} (STS AssumeRole with ${from.source})`,
    from,
    roleArn: field(p, "ram_role_arn")!,
    session: field(p, "ram_session_name"),
    durationSeconds: seconds(p, "expired_seconds"),
    stsRegion: field(p, "sts_region"),
    stsEndpoint: field(p, "sts_endpoint"),
  });
  switch (mode) {
    case "AK":
      need("access_key_id", "access_key_secret");
      return { kind: "keys", source: where, keys: { ...keys(), token: undefined } };
    case "StsToken":
      need("access_key_id", "access_key_secret", "sts_token");
      return { kind: "keys", source: where, keys: keys() };
    case "RamRoleArn":
      need("access_key_id", "access_key_secret", "ram_role_arn");
      return role({ kind: "keys", source: `the keys of ${where}`, keys: { ...keys(), token: undefined } });
    case "ChainableRamRoleArn": {
      need("source_profile", "ram_role_arn");
      const source = field(p, "source_profile")!;
      if (seen.includes(source)) throw new UsageError(`${conf.file}: profiles ${[...seen, name, source].join(" -> ")} form a loop`, { code: "InvalidProfile", provider: "aliyun" });
      return role(cliProfilePlan(conf, source, [...seen, name]));
    }
    case "OIDC":
      need("oidc_provider_arn", "oidc_token_file", "ram_role_arn");
      return {
        kind: "oidc",
        source: `OIDC role ${field(p, "ram_role_arn")} of ${where} (STS AssumeRoleWithOIDC)`,
        providerArn: field(p, "oidc_provider_arn")!,
        roleArn: field(p, "ram_role_arn")!,
        tokenFile: field(p, "oidc_token_file")!,
        session: field(p, "ram_session_name"),
        durationSeconds: seconds(p, "duration_seconds") ?? seconds(p, "expired_seconds"),
        stsRegion: field(p, "sts_region"),
      };
    default:
      throw new UsageError(`${where} uses mode ${mode}, which layerctl does not read (AK, StsToken, RamRoleArn, ChainableRamRoleArn and OIDC are read)`, {
        code: "UnsupportedCredentials",
        provider: "aliyun",
        hint: "EcsRamRole would ask the instance metadata service, CloudSSO and OAuth need a browser login, External runs a program: give keys another way, or assume a role with --role-arn",
      });
  }
}

function seconds(p: Profile, key: string): number | undefined {
  const v = field(p, key);
  return v && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : undefined;
}

/** [name] of ~/.alibabacloud/credentials (or ALIBABA_CLOUD_CREDENTIALS_FILE), as a plan; undefined when not there. */
export async function sharedFilePlan(env: NodeJS.ProcessEnv, name: string): Promise<AliyunPlan | undefined> {
  const file = env.ALIBABA_CLOUD_CREDENTIALS_FILE?.trim() || inHome(env, ".alibabacloud", "credentials");
  const text = await readOptional(file, "aliyun");
  if (text === undefined || !file) return undefined;
  const ini = parseIni(text);
  for (const s of Object.values(ini)) registerSecret(field(s, "access_key_secret"));
  const section = ini[name];
  if (!section) return undefined;
  const where = `profile ${name} (${shown(file, env)})`;
  const type = field(section, "type");
  const keyId = field(section, "access_key_id");
  const secret = field(section, "access_key_secret");
  if (type !== "access_key" && type !== "ram_role_arn") {
    throw new UsageError(`${where} has type ${type ?? "(none)"}, which layerctl does not read (access_key and ram_role_arn are read)`, {
      code: "UnsupportedCredentials",
      provider: "aliyun",
      hint: "ecs_ram_role would ask the instance metadata service: give keys another way",
    });
  }
  if (!keyId || !secret) throw new UsageError(`${where} has no access_key_id and access_key_secret`, { code: "MissingCredentials", provider: "aliyun" });
  const keys: AliyunPlan = { kind: "keys", source: type === "access_key" ? where : `the keys of ${where}`, keys: { keyId, secret } };
  if (type === "access_key") return keys;
  const roleArn = field(section, "role_arn");
  if (!roleArn) throw new UsageError(`${where} (type ram_role_arn) has no role_arn`, { code: "MissingCredentials", provider: "aliyun" });
  return { kind: "role", source: `role ${roleArn} of ${where} (STS AssumeRole)`, from: keys, roleArn, session: field(section, "role_session_name") };
}

/** The region_id of config.json's profile `name` (or its current one). */
export async function cliProfileRegion(env: NodeJS.ProcessEnv, name: string | undefined): Promise<string | undefined> {
  const conf = await readCliConfig(env);
  if (!conf) return undefined;
  const profile = findCliProfile(conf, name ?? conf.current ?? "default");
  return field(profile, "region_id");
}
