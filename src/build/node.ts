// Node.js builds: `npm ci` from package.json and its lockfile, production dependencies only, for
// Linux on the target's CPU with glibc (--os/--cpu/--libc, npm 10 and later), so the optional
// platform packages npm installs are the target's (@esbuild/linux-arm64, @img/sharp-linux-arm64),
// not this machine's. Install scripts build or fetch for the machine they run on: they run only
// when that is the target's platform.
import fs from "node:fs";
import path from "node:path";
import { npmCpu } from "../contents/platform-path.js";
import { UsageError } from "../errors.js";
import type { Logger } from "../output/log.js";
import type { BuildInput } from "./inputs.js";
import type { PlannedBuild } from "./plan.js";
import { runTool, tail, toolVersion } from "./run-tool.js";

export async function npmVersion(env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  const v = await toolVersion("npm", ["--version"], env, cwd);
  if (!v) throw new UsageError("npm was not found on PATH", { code: "MissingTool", hint: "install Node.js with npm 10 or newer" });
  if (Number(v.split(".")[0]) < 10)
    throw new UsageError(`npm ${v} cannot install for another platform (--os/--cpu/--libc)`, { code: "MissingTool", hint: "use npm 10 or newer (npm install -g npm@latest)" });
  return v;
}

/** Whether install scripts would build or fetch for the target: this machine is Linux on its CPU, with glibc. */
export function scriptsRunFor(build: PlannedBuild): boolean {
  const glibc = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime;
  return process.platform === "linux" && npmCpu(build.arch) === process.arch && glibc !== undefined;
}

/** Installs into `out` (created, the node_modules folder's content). `work` is a scratch folder. */
export async function buildNode(build: PlannedBuild, input: BuildInput, out: string, work: string, env: NodeJS.ProcessEnv, log: Logger, layer: string): Promise<void> {
  const from = path.dirname(input.file);
  fs.mkdirSync(work, { recursive: true });
  const [manifest, lock, npmrc] = input.hashed.map((f) => path.basename(f));
  for (const name of [manifest, lock])
    fs.writeFileSync(path.join(work, name!), JSON.stringify(absoluteFileSpecs(JSON.parse(fs.readFileSync(path.join(from, name!), "utf8")), from, input.file), null, 2));
  if (npmrc) fs.copyFileSync(path.join(from, npmrc), path.join(work, npmrc));

  const scripts = scriptsRunFor(build);
  const args = ["ci", "--omit=dev", "--os=linux", `--cpu=${npmCpu(build.arch)}`, "--libc=glibc", "--no-audit", "--no-fund", ...(scripts ? [] : ["--ignore-scripts"])];
  const r = await runTool("npm", args, { cwd: work, env });
  if (r.code !== 0) {
    throw new UsageError(`npm ci for ${build.arch} failed: ${tail(r.stderr || r.stdout)}`, {
      code: "BuildFailed",
      hint: "check that package.json and its lockfile agree (npm install --package-lock-only), and see npm's message (--debug shows all of it)",
    });
  }
  if (!scripts) {
    const withScripts = installScripts(path.join(work, lock!));
    if (withScripts.length > 0) {
      log.warn(
        `layer ${layer}: install scripts of ${withScripts.slice(0, 5).join(", ")}${withScripts.length > 5 ? ` and ${withScripts.length - 5} more` : ""} were not run (building for linux ${npmCpu(build.arch)} on ${process.platform} ${process.arch}); if they fetch or compile native code, build on a Linux ${build.arch} machine`,
      );
    }
  }
  const modules = path.join(work, "node_modules");
  if (!fs.existsSync(modules)) fs.mkdirSync(modules);
  // npm's own record of the install: not part of the layer, and it differs between architectures.
  fs.rmSync(path.join(modules, ".package-lock.json"), { force: true });
  fs.renameSync(modules, out);
}

/**
 * The manifest and lockfile are installed from a copy in the build's folder: relative `file:`
 * tarball specs are made absolute so they still point where they did. Local folders (`file:../x`
 * linked by npm) cannot be installed from elsewhere: refused with the alternative.
 */
function absoluteFileSpecs(doc: Record<string, unknown>, from: string, shown: string): Record<string, unknown> {
  const fix = (spec: unknown) => (typeof spec === "string" && spec.startsWith("file:") && !path.isAbsolute(spec.slice(5)) ? `file:${path.resolve(from, spec.slice(5))}` : spec);
  const fixDeps = (o: Record<string, unknown>) => {
    for (const key of ["dependencies", "optionalDependencies", "devDependencies", "peerDependencies"]) {
      const deps = o[key] as Record<string, unknown> | undefined;
      if (deps) for (const name of Object.keys(deps)) deps[name] = fix(deps[name]);
    }
  };
  fixDeps(doc);
  const packages = doc.packages as Record<string, Record<string, unknown>> | undefined;
  for (const [key, entry] of Object.entries(packages ?? {})) {
    if (entry.link === true) {
      throw new UsageError(`${shown}: ${key} is a local folder (${String(entry.resolved)}); a build installs from a copy of the lockfile, where that folder is not`, {
        code: "InvalidBuildInput",
        hint: "depend on a tarball of it instead (npm pack, then file:./x-1.0.0.tgz)",
      });
    }
    fixDeps(entry);
    entry.resolved = fix(entry.resolved);
  }
  return doc;
}

/** Packages of the lockfile that have install scripts. */
function installScripts(lockfile: string): string[] {
  const doc = JSON.parse(fs.readFileSync(lockfile, "utf8")) as { packages?: Record<string, { hasInstallScript?: boolean }> };
  return Object.entries(doc.packages ?? {})
    .filter(([key, p]) => key !== "" && p.hasInstallScript)
    .map(([key]) => key.replace(/^.*node_modules\//, ""));
}
