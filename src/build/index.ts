// `layerctl build` and the config's `build` key: the layer's tree from a lockfile, for each
// target. One install per distinct (language version, architecture, glibc floor) the targets
// need, kept under <out>/.builds/<id>/ with the hash of its inputs beside it and skipped while
// that hash holds; then one tree per provider (<out>/<provider>/), in its layout, which is what
// gets packed (deterministically, like any folder).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "../output/log.js";
import type { ProviderName } from "../providers/names.js";
import type { Provider } from "../providers/types.js";
import { type BuildInput, inputHash } from "./inputs.js";
import { buildNode, npmVersion, scriptsRunFor } from "./node.js";
import { type Ecosystem, type PlannedBuild, planBuilds } from "./plan.js";
import { buildPython, type PythonTool, pythonTool } from "./python.js";
import { mergeInto } from "./tree.js";

export interface BuildRequest {
  /** The layer's name, for messages. */
  layer: string;
  input: BuildInput;
  /** Each provider with its native runtimes. */
  providers: Map<Provider, string[]>;
  architectures: string[];
  /** Where builds and trees go. */
  outDir: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  progress?: (text: string) => void;
}

/** `layerctl build --output json` (schema: `layerctl schema output`, $defs.buildDocument). */
export interface BuildDocument {
  layer: string;
  ecosystem: Ecosystem;
  builds: Array<{
    id: string;
    architecture: string;
    /** CPython version, for Python builds. */
    python: string | null;
    /** The glibc the installed packages may need at most. */
    glibc: string;
    os: string;
    /** "pip 23.2.1 (python 3.11)", "uv 0.5.0", "npm 11.1.0". */
    tool: string;
    /** built: installed in this run; unchanged: its inputs hash as before, the earlier install was kept. */
    status: "built" | "unchanged";
    dir: string;
  }>;
  /** One per provider: the folder to pack for it. */
  trees: Array<{ provider: ProviderName; dir: string; installPath: string; builds: string[] }>;
}

export async function buildLayer(req: BuildRequest): Promise<BuildDocument> {
  const { input, env, log } = req;
  const plan = planBuilds(input.ecosystem, req.providers, req.architectures, req.layer);
  const cwd = path.dirname(input.file);
  const python = input.ecosystem === "python" ? await pythonTool(env, cwd) : undefined;
  const npm = input.ecosystem === "node" ? await npmVersion(env, cwd) : undefined;
  const cache = path.join(req.outDir, ".builds");
  fs.mkdirSync(cache, { recursive: true });

  const doc: BuildDocument = { layer: req.layer, ecosystem: input.ecosystem, builds: [], trees: [] };
  const hashes = new Map<string, string>();
  for (const b of plan.builds) {
    const tool = python ? python.version : `npm ${npm}`;
    const scripts = input.ecosystem === "node" && scriptsRunFor(b);
    const hash = inputHash(input, { id: b.id, python: b.python, arch: b.arch, glibc: b.glibc, tool, scripts: String(scripts), node: scripts ? process.version : undefined }, env);
    hashes.set(b.id, hash);
    const dir = path.join(cache, b.id);
    const out = path.join(dir, "out");
    const unchanged = readStamp(path.join(dir, "build.json")) === hash && fs.existsSync(out);
    if (!unchanged) {
      req.progress?.(`building ${req.layer}: ${b.id}`);
      await install(b, input, { python, hash, dir, out, env, log, layer: req.layer });
    }
    doc.builds.push({ id: b.id, architecture: b.arch, python: b.python ?? null, glibc: b.glibc, os: b.os, tool, status: unchanged ? "unchanged" : "built", dir: out });
  }

  for (const t of plan.trees) {
    const dir = path.join(req.outDir, t.provider);
    const hash = [t.installPath, ...t.builds.map((id) => hashes.get(id))].join("\0");
    const stamp = path.join(cache, `tree-${t.provider}.json`);
    if (readStamp(stamp) !== hash || !fs.existsSync(dir)) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const into = t.installPath ? path.join(dir, ...t.installPath.split("/")) : dir;
      for (const id of t.builds) mergeInto(path.join(cache, id, "out"), into, (rel) => `${t.installPath ? `${t.installPath}/` : ""}${rel}`);
      writeStamp(stamp, hash);
    }
    doc.trees.push({ provider: t.provider, dir, installPath: t.installPath, builds: t.builds });
  }
  return doc;
}

async function install(
  b: PlannedBuild,
  input: BuildInput,
  o: { python?: PythonTool; hash: string; dir: string; out: string; env: NodeJS.ProcessEnv; log: Logger; layer: string },
): Promise<void> {
  // Into a scratch folder, moved into place only when complete: an interrupted build is rebuilt.
  const work = path.join(o.dir, `work-${randomBytes(4).toString("hex")}`);
  const target = path.join(work, "out");
  fs.rmSync(o.dir, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  try {
    if (o.python) await buildPython(b, input, o.python, target, work, o.env);
    else await buildNode(b, input, target, path.join(work, "npm"), o.env, o.log, o.layer);
    fs.renameSync(target, o.out);
    writeStamp(path.join(o.dir, "build.json"), o.hash);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The hash a stamp holds; none (or one that cannot be read) means: build again. */
function readStamp(file: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { hash?: string }).hash;
  } catch {
    return undefined;
  }
}

function writeStamp(file: string, hash: string): void {
  fs.writeFileSync(file, `${JSON.stringify({ format: 1, hash }, null, 2)}\n`);
}
