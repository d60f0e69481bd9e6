// Runs bin/layerctl as a process, with an environment that holds no real credentials and lets no
// SDK look beyond loopback.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cleanEnv } from "./clean-env.mjs";

export const BIN = fileURLToPath(new URL("../../bin/layerctl", import.meta.url));
export const REPO = fileURLToPath(new URL("../../", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  return cleanEnv(extra);
}

export function runCli(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; nodeArgs?: string[] } = {}): Promise<CliResult> {
  return runProcess(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], opts);
}

/** Any program (another tool run against layerctl, e.g. the AWS CLI) in the same clean environment. */
export function runProcess(command: string, args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd ?? REPO,
      env: baseEnv(opts.env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface EmulatorProcess {
  child: ChildProcessWithoutNullStreams;
  /** The variables it printed (export lines). */
  env: Record<string, string>;
  stderr: () => string;
}

/**
 * `layerctl emulate --port 0 ...args` as a user runs it; resolves once it has printed all its
 * export lines (it prints them when listening). The caller kills it (`started` collects it).
 */
export function startEmulatorProcess(args: string[], started: ChildProcessWithoutNullStreams[]): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [BIN, "emulate", "--port", "0", ...args], { cwd: REPO, env: baseEnv(), stdio: ["pipe", "pipe", "pipe"] });
  started.push(child);
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      const env = Object.fromEntries([...out.matchAll(/^export ([A-Z_0-9]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
      if (env.LAYERCTL_ENDPOINT_ALIYUN) resolve({ child, env, stderr: () => err });
    });
    child.on("exit", (code) => reject(new Error(`emulator exited early (${code}): ${err}`)));
  });
}

/** util-linux `script` is there: it gives a process a real pseudo-terminal (for TTY tests). */
export function hasScript(): boolean {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
