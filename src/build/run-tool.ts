// Runs the package managers the builds use (pip, uv, npm) as child processes: no shell, output
// captured (it is shown only when a build fails, and in --debug), a failure to start named.
import { spawn } from "node:child_process";
import { UsageError } from "../errors.js";

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runTool(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; missing?: string }): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") reject(new UsageError(`${command} was not found on PATH`, { code: "MissingTool", hint: opts.missing ?? `install ${command}` }));
      else reject(err);
    });
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** Whether a tool answers `--version` (and what it says), without failing when it is absent. */
export async function toolVersion(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string | null> {
  try {
    const r = await runTool(command, args, { cwd, env });
    return r.code === 0 ? (r.stdout || r.stderr).trim() : null;
  } catch (err) {
    if (err instanceof UsageError) return null;
    throw err;
  }
}

/** The last lines of a tool's output, for an error message. */
export function tail(text: string, lines = 6): string {
  return text.trim().split("\n").slice(-lines).join(" | ");
}
