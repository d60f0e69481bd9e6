// What a build installs from, and the content hash that decides whether it must run again: the
// lockfile (and what it includes), the target (version, architecture, glibc floor), the tool and
// its version, and the tool's settings from the environment (an index URL changes what is
// installed; its value is hashed, never shown).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import type { Ecosystem } from "./plan.js";

export interface BuildInput {
  ecosystem: Ecosystem;
  /** The file named in the config (or on the command line), absolute. */
  file: string;
  kind: "requirements" | "uv-project" | "npm";
  /** Files whose content decides the result (the lockfile, includes), absolute. */
  hashed: string[];
}

/** Reads `{"python": "requirements.txt"}` / `{"node": "package.json"}`: which kind of input, and every file it depends on. */
export function buildInput(ecosystem: Ecosystem, file: string, shown: string): BuildInput {
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
    throw new UsageError(`${shown} does not exist`, { code: "MissingBuildInput", hint: "give the path of the requirements file or package.json, relative to the config file" });
  }
  const base = path.basename(file);
  const dir = path.dirname(file);
  if (ecosystem === "node") {
    if (base !== "package.json")
      throw new UsageError(`${shown}: a Node.js build starts from package.json`, { code: "InvalidBuildInput", hint: 'give {"node": "path/to/package.json"}' });
    const lock = ["npm-shrinkwrap.json", "package-lock.json"].map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
    if (!lock) {
      throw new UsageError(`${shown} has no package-lock.json beside it; npm ci installs exactly what a lockfile pins`, {
        code: "MissingLockfile",
        hint: `run \`npm install --package-lock-only\` in ${dir} and commit the lockfile`,
      });
    }
    const npmrc = path.join(dir, ".npmrc");
    return { ecosystem, file, kind: "npm", hashed: [file, lock, ...(fs.existsSync(npmrc) ? [npmrc] : [])] };
  }
  if (base === "pyproject.toml" || base === "uv.lock") {
    const lock = path.join(dir, "uv.lock");
    if (!fs.existsSync(lock)) {
      throw new UsageError(`${shown}: no uv.lock beside it; the build installs what a lockfile pins`, {
        code: "MissingLockfile",
        hint: `run \`uv lock\` in ${dir}, or give a requirements.txt`,
      });
    }
    return { ecosystem, file, kind: "uv-project", hashed: [path.join(dir, "pyproject.toml"), lock].filter((f) => fs.existsSync(f)) };
  }
  return { ecosystem, file, kind: "requirements", hashed: requirementsFiles(file, new Set()) };
}

/** A requirements file and every file it pulls in with -r / -c (pip reads them relative to the including file). */
function requirementsFiles(file: string, seen: Set<string>): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const out = [file];
  for (const line of fs.readFileSync(file, "utf8").split(/\r?\n/)) {
    const m = /^\s*(?:-r|-c|--requirement|--constraint)(?:\s+|=)(\S+)/.exec(line);
    if (!m) continue;
    const inc = path.resolve(path.dirname(file), m[1]!);
    if (fs.existsSync(inc)) out.push(...requirementsFiles(inc, seen));
  }
  return out;
}

/** Environment variables that change what a tool installs. */
const TOOL_SETTINGS = /^(PIP_|UV_|NPM_CONFIG_)/i;

export function inputHash(input: BuildInput, parts: Record<string, string | undefined>, env: NodeJS.ProcessEnv): string {
  const h = createHash("sha256");
  h.update("layerctl-build-1\0");
  for (const f of input.hashed)
    h.update(`${path.basename(f)}\0`)
      .update(fs.readFileSync(f))
      .update("\0");
  for (const [k, v] of Object.entries(parts)) h.update(`${k}=${v ?? ""}\0`);
  const settings = Object.keys(env)
    .filter((k) => TOOL_SETTINGS.test(k))
    .sort();
  for (const k of settings) {
    h.update(`${k}=${env[k]}\0`);
    // Local wheel folders (find-links): what they hold decides what is installed.
    if (/FIND_LINKS$/i.test(k)) for (const dir of (env[k] ?? "").split(/\s+/)) h.update(listing(dir));
  }
  return h.digest("hex");
}

function listing(dir: string): string {
  try {
    return fs
      .readdirSync(dir)
      .sort()
      .map((n) => `${n}:${fs.statSync(path.join(dir, n)).size}`)
      .join("\n");
  } catch {
    return "";
  }
}
