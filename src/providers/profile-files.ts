// Reading the files the clouds' CLIs keep profiles in (ini for ~/.tencentcloud/credentials,
// ~/.alibabacloud/credentials and ~/.aws/config; JSON for ~/.tccli and ~/.aliyun/config.json), from
// the home directory of the environment given (so tests and callers can point HOME elsewhere).
// A missing file is "no profile here"; an unreadable or malformed one is a usage error naming it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../errors.js";
import type { ProviderName } from "./names.js";

export function homeDir(env: NodeJS.ProcessEnv): string | undefined {
  return env.HOME || env.USERPROFILE || undefined;
}

/** `~/<parts>` in the environment's home, or undefined without one. */
export function inHome(env: NodeJS.ProcessEnv, ...parts: string[]): string | undefined {
  const home = homeDir(env);
  return home ? path.join(home, ...parts) : undefined;
}

/** How the file names a path to the user: with ~ for the home directory. */
export function shown(file: string, env: NodeJS.ProcessEnv): string {
  const home = homeDir(env);
  return home && file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file;
}

/** The file's text, or undefined when it does not exist. */
export async function readOptional(file: string | undefined, provider: ProviderName): Promise<string | undefined> {
  if (!file) return undefined;
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`, { code: "CredentialsFileUnreadable", provider });
  }
}

export type Ini = Record<string, Record<string, string>>;

/** Sections of key = value lines; `#` and `;` start comments; a section name is trimmed. No prototype: a section called `__proto__` is a key. */
export function parseIni(text: string): Ini {
  const out = Object.create(null) as Ini;
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      current = out[section[1]!.trim()] ??= Object.create(null);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq !== -1 && current) current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

/** A JSON file's object, or a usage error naming the file when it is not JSON. */
export function parseJsonFile(text: string, file: string, provider: ProviderName): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`, { code: "CredentialsFileUnreadable", provider });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UsageError(`${file} does not hold a JSON object`, { code: "CredentialsFileUnreadable", provider });
  }
  return parsed as Record<string, unknown>;
}

/** A string member of a profile, trimmed; undefined when absent or empty. */
export function field(obj: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = obj?.[name];
  if (typeof v === "number") return String(v);
  return typeof v === "string" && v.trim() ? v.trim() : undefined;
}
