// What `layerctl init` guesses from a layer folder: its language from the files it holds, the
// runtimes to declare (ids every provider accepts), and the prefix each provider needs so the
// files land where its runtime looks (/opt/python, /opt/nodejs/node_modules; Tencent puts /opt
// itself on PYTHONPATH and NODE_PATH, so its zips keep the packages at the root).
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { LayerConfig } from "./schema.js";

export type LayerKind = "python" | "nodejs" | "binaries";

export interface LayerGuess {
  kind: LayerKind;
  layer: LayerConfig;
  /** Things the user should know or do (stderr). */
  notes: string[];
}

/** Runtimes every provider has under these ids (see `layerctl providers`). */
const RUNTIMES: Record<LayerKind, string[]> = { python: ["python3.10"], nodejs: ["nodejs18"], binaries: ["custom"] };

/** null: nothing here looks like a layer. */
export async function guessLayer(dir: string, relDir: string): Promise<LayerGuess | null> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = new Set(entries.map((e) => e.name));
  const isDir = (n: string) => entries.some((e) => e.name === n && e.isDirectory());
  const name = sanitize(path.basename(path.resolve(dir)));
  const base = { name, dir: relDir || "." };
  const notes: string[] = [];

  if (isDir("python")) {
    // Already laid out for AWS and Aliyun; Tencent reads /opt, so its zip needs the packages at the root.
    notes.push(`${base.dir}: python/ is the AWS/Aliyun layout; Tencent looks in /opt, so its version of this layer needs the packages at the zip root`);
    return { kind: "python", notes, layer: { ...base, runtimes: RUNTIMES.python, providers: ["aws", "aliyun"] } };
  }
  if (isDir("nodejs")) {
    notes.push(`${base.dir}: nodejs/node_modules is the AWS/Aliyun layout; Tencent expects node_modules at the zip root`);
    return { kind: "nodejs", notes, layer: { ...base, runtimes: RUNTIMES.nodejs, providers: ["aws", "aliyun"] } };
  }
  const pythonish = names.has("requirements.txt") || entries.some((e) => e.isFile() && e.name.endsWith(".py"));
  if (names.has("requirements.txt")) {
    const req = path.posix.join(base.dir, "requirements.txt");
    notes.push(
      `${base.dir}: install the packages into the folder before publishing (pip install -r requirements.txt -t ${base.dir}), or replace "dir" with "build": {"python": "${req}"} to have layerctl install them for each target`,
    );
  }
  if (pythonish || (await hasPythonPackage(dir, entries))) {
    return {
      kind: "python",
      notes,
      layer: { ...base, runtimes: RUNTIMES.python, prefix: { aws: "python", aliyun: "python", tencent: "" }, providers: ["tencent", "aws", "aliyun"] },
    };
  }
  if (names.has("package.json") || isDir("node_modules")) {
    if (!isDir("node_modules")) {
      notes.push(
        `${base.dir}: install the packages before publishing (npm install --omit=dev), or replace "dir" with "build": {"node": "${path.posix.join(base.dir, "package.json")}"} to have layerctl install them for each target`,
      );
    }
    return {
      kind: "nodejs",
      notes,
      layer: {
        ...base,
        runtimes: RUNTIMES.nodejs,
        prefix: { aws: "nodejs", aliyun: "nodejs", tencent: "" },
        excludes: ["package-lock.json"],
        providers: ["tencent", "aws", "aliyun"],
      },
    };
  }
  if (isDir("bin")) {
    return { kind: "binaries", notes, layer: { ...base, runtimes: RUNTIMES.binaries, providers: ["tencent", "aws", "aliyun"] } };
  }
  return null;
}

async function hasPythonPackage(dir: string, entries: Array<{ name: string; isDirectory(): boolean }>): Promise<boolean> {
  for (const e of entries) {
    if (!e.isDirectory() || e.name === "bin" || e.name.startsWith(".")) continue;
    const inner = await readdir(path.join(dir, e.name)).catch(() => [] as string[]);
    if (inner.includes("__init__.py") || e.name.endsWith(".dist-info")) return true;
  }
  return false;
}

/** A layer name every provider accepts: letters, digits, - and _, starting with a letter. */
function sanitize(name: string): string {
  const s = name
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^[^A-Za-z]+/, "")
    .replace(/[-_]+$/, "");
  return (s || "layer").slice(0, 64);
}
