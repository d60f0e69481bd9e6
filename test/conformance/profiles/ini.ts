// The credentials files the AWS and Tencent SDKs read (~/.aws/credentials,
// ~/.tencentcloud/credentials) are the same INI shape: a [profile] section of `key = value` lines.
import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";

/** Appends a `[name]` section to the INI file at `file` (made with its folder if need be); undefined values are left out. */
export async function appendIniSection(file: string, name: string, entries: Record<string, string | undefined>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const lines = Object.entries(entries).flatMap(([k, v]) => (v ? [`${k} = ${v}\n`] : []));
  await appendFile(file, `[${name}]\n${lines.join("")}`);
}
