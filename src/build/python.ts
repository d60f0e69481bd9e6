// Python builds: pip's cross-platform install (or uv's, when uv is installed), wheels only, for
// the runtime's CPython version, architecture and glibc floor, into a folder that becomes the
// layer's python/ (or its root, where the provider wants it). Nothing is compiled: a package
// without a matching wheel is an error that names it and the tags tried.
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import type { BuildInput } from "./inputs.js";
import type { PlannedBuild } from "./plan.js";
import { runTool, tail, toolVersion } from "./run-tool.js";
import { describePlatforms, manylinuxPlatforms, uvPlatform } from "./wheel-tags.js";

export type PythonTool = { name: "uv"; version: string } | { name: "pip"; python: string; version: string };

/**
 * uv when it is installed (faster), pip otherwise; LAYERCTL_PYTHON_INSTALLER=pip|uv chooses,
 * LAYERCTL_PYTHON names the interpreter that runs pip (default python3).
 */
export async function pythonTool(env: NodeJS.ProcessEnv, cwd: string): Promise<PythonTool> {
  const choice = env.LAYERCTL_PYTHON_INSTALLER;
  if (choice !== undefined && choice !== "pip" && choice !== "uv") {
    throw new UsageError(`LAYERCTL_PYTHON_INSTALLER must be pip or uv, not "${choice}"`, { code: "InvalidEnvironment" });
  }
  if (choice !== "pip") {
    const uv = await toolVersion("uv", ["--version"], env, cwd);
    if (uv) return { name: "uv", version: uv };
    if (choice === "uv") throw new UsageError("LAYERCTL_PYTHON_INSTALLER=uv, but uv was not found on PATH", { code: "MissingTool", hint: "install uv, or unset it to use pip" });
  }
  const python = env.LAYERCTL_PYTHON || "python3";
  const pip = await toolVersion(python, ["-m", "pip", "--version"], env, cwd);
  if (!pip) {
    throw new UsageError(`neither uv nor pip (${python} -m pip) is available to install Python packages`, {
      code: "MissingTool",
      hint: "install uv, or Python 3 with pip (LAYERCTL_PYTHON names another interpreter)",
    });
  }
  return { name: "pip", python, version: pip.replace(/ from .*? \(/, " (") };
}

/** The command line that installs `requirements` into `target` for the build. Exported for its unit test. */
export function installCommand(tool: PythonTool, build: PlannedBuild, requirements: string, target: string): { command: string; args: string[] } {
  const python = build.python!;
  if (tool.name === "uv") {
    return {
      command: "uv",
      args: [
        "pip",
        "install",
        "--target",
        target,
        "--python-version",
        python,
        "--python-platform",
        uvPlatform(build.glibc, build.arch),
        "--only-binary",
        ":all:",
        "--no-progress",
        "-r",
        requirements,
      ],
    };
  }
  return {
    command: tool.python,
    args: [
      "-m",
      "pip",
      "install",
      "--target",
      target,
      "--implementation",
      "cp",
      "--python-version",
      python,
      "--only-binary=:all:",
      ...manylinuxPlatforms(build.glibc, build.arch).flatMap((p) => ["--platform", p]),
      // .pyc files would record the build machine's timestamps and Python: the zip would change every build.
      "--no-compile",
      "--no-warn-script-location",
      "--disable-pip-version-check",
      "--no-input",
      "--progress-bar",
      "off",
      "-r",
      requirements,
    ],
  };
}

/** Installs into `out` (created). `work` is a scratch folder of this build. */
export async function buildPython(build: PlannedBuild, input: BuildInput, tool: PythonTool, out: string, work: string, env: NodeJS.ProcessEnv): Promise<void> {
  let requirements = input.file;
  const cwd = path.dirname(input.file);
  if (input.kind === "uv-project") {
    if (tool.name !== "uv") {
      throw new UsageError(`${path.basename(input.file)}: exporting its pinned requirements needs uv, which is not installed`, {
        code: "MissingTool",
        hint: "install uv, or give a requirements.txt (e.g. from `uv export --format requirements-txt`)",
      });
    }
    requirements = path.join(work, "requirements.txt");
    const r = await runTool("uv", ["export", "--format", "requirements-txt", "--frozen", "--no-dev", "--no-emit-project", "--no-header", "-o", requirements], { cwd, env });
    if (r.code !== 0)
      throw new UsageError(`uv export failed in ${cwd}: ${tail(r.stderr || r.stdout)}`, {
        code: "BuildFailed",
        hint: "fix the project's lock (uv lock), or give a requirements.txt",
      });
  }
  fs.mkdirSync(out, { recursive: true });
  const { command, args } = installCommand(tool, build, requirements, out);
  const r = await runTool(command, args, { cwd, env });
  if (r.code !== 0) throw installError(r.stderr || r.stdout, build, tool);
  // Console scripts' first line names the build machine's interpreter; layers never run them from here.
  fs.rmSync(path.join(out, "bin"), { recursive: true, force: true });
}

function installError(output: string, build: PlannedBuild, tool: PythonTool): UsageError {
  const missing = /No matching distribution found for (\S+)/.exec(output)?.[1] ?? /No solution found[^\n]*\n[\s\S]*?Because (\S+)/.exec(output)?.[1];
  const on = `CPython ${build.python} on ${build.os} ${build.arch} (glibc ${build.glibc})`;
  if (missing) {
    return new UsageError(`no wheel of ${missing} for ${on}: tried cp${build.python!.replace(".", "")}, abi3 and py3 wheels for ${describePlatforms(build.glibc, build.arch)}`, {
      code: "NoMatchingWheel",
      hint: `pick a version of ${missing.replace(/[<>=!~;[].*$/, "")} that publishes a manylinux wheel for that, or build one in a container of the runtime's OS (${build.os}, e.g. with Docker) and let ${tool.name} find it (PIP_FIND_LINKS / UV_FIND_LINKS); layerctl build does not compile from source`,
    });
  }
  return new UsageError(`${tool.name} could not install the packages for ${on}: ${tail(output)}`, {
    code: "BuildFailed",
    hint: "see the tool's message; run with --debug for its whole output",
  });
}
