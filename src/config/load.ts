// Finding and reading the config file: lilconfig searches from the current directory upwards (to
// the home directory) for the names below or a "layerctl" key in package.json; JSON and YAML are
// read by our loaders so that a syntax error names its file. Every problem is a UsageError (exit 2)
// in one line: file, key path, what is expected.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { lilconfig, type Loader } from "lilconfig";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { UsageError } from "../errors.js";
import { configSchema, INHERITED_KEYS, type Config, type LayerConfig } from "./schema.js";

export const CONFIG_FILES = ["package.json", "layerctl.config.json", ".layerctlrc", ".layerctlrc.json", ".layerctlrc.yaml", ".layerctlrc.yml"];

export interface LoadedConfig {
  /** Absolute path of the file. */
  file: string;
  /** Folder the file's relative paths are relative to. */
  dir: string;
  config: Config;
}

const jsonLoader: Loader = (file, content) => {
  try {
    return JSON.parse(content);
  } catch (err) {
    throw syntaxError(file, jsonErrorAt(content, err));
  }
};

/**
 * "line 3, column 6: Expected property name..." for a JSON.parse error. V8 names the offset ("at
 * position 21"; Node 22 adds the line): the same words on every Node. A text that ends too soon
 * ("Unexpected end of JSON input") is placed just after its last character.
 */
export function jsonErrorAt(content: string, err: unknown): string {
  const message = (err as Error).message.replace(/ \(line \d+ column \d+\)$/, "");
  const at = /at position (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : content.trimEnd().length;
  return `${lineColumn(content, offset)}: ${message.replace(/ in JSON at position \d+$/, "")}`;
}

/** YAML 1.2 reads JSON too: `.layerctlrc` may be either. */
const yamlLoader: Loader = (file, content) => {
  try {
    return parseYaml(content, { prettyErrors: false });
  } catch (err) {
    const pos = (err as { pos?: [number, number] }).pos;
    const first = (err as Error).message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw syntaxError(file, pos ? `${lineColumn(content, pos[0])}: ${first}` : first);
  }
};

/** "line 3, column 6" (both from 1) of a character offset. */
export function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `line ${line}, column ${column}`;
}

function syntaxError(file: string, detail: string): UsageError {
  return new UsageError(`${displayPath(file)}: not valid ${/\.ya?ml$|rc$/.test(file) ? "YAML or JSON" : "JSON"}: ${detail}`, { code: "InvalidConfig" });
}

export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") ? rel : file;
}

const explorer = lilconfig("layerctl", {
  searchPlaces: CONFIG_FILES,
  loaders: { ".json": jsonLoader, ".yaml": yamlLoader, ".yml": yamlLoader, noExt: yamlLoader },
});

/** The config for this directory (searching upwards), or `file` when given; null when there is none. */
export async function loadConfig(opts: { file?: string; cwd?: string } = {}): Promise<LoadedConfig | null> {
  let found: { filepath: string; config: unknown } | null;
  if (opts.file !== undefined) {
    const file = path.resolve(opts.cwd ?? process.cwd(), opts.file);
    const exists = await readFile(file).then(
      () => true,
      () => false,
    );
    if (!exists) throw new UsageError(`config file ${opts.file} does not exist`, { code: "MissingConfig", hint: "give an existing file to --config, or run `layerctl init`" });
    found = await explorer.load(file);
    if (!found || found.config === undefined || found.config === null) {
      throw new UsageError(`${displayPath(file)}: holds no layerctl configuration`, { code: "InvalidConfig", hint: 'declare {"layers": [...]}; `layerctl init` writes a start' });
    }
  } else {
    found = await explorer.search(opts.cwd ?? process.cwd());
  }
  if (!found) return null;
  return { file: found.filepath, dir: path.dirname(found.filepath), config: validateConfig(found.config, found.filepath) };
}

export function validateConfig(raw: unknown, file: string): Config {
  const parsed = configSchema.safeParse(raw);
  const layers = (raw as { layers?: unknown } | null)?.layers;
  const named = Array.isArray(layers) ? layers : [];
  if (parsed.success) {
    checkCombinations(parsed.data, file);
    return parsed.data;
  }
  const issues = parsed.error.issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  throw new UsageError(`${displayPath(file)}: ${describeIssue(issues[0]!, named)}${more}`, {
    code: "InvalidConfig",
    hint: "`layerctl schema config` prints the schema",
  });
}

/** Keys that contradict each other once a layer has inherited the top level's (`upload: inline` with buckets). */
function checkCombinations(config: Config, file: string): void {
  for (const layer of effectiveLayers(config)) {
    if (layer.upload === "inline" && layer.buckets !== undefined) {
      // As `--upload inline --bucket ...`: a contradiction, said where the buckets are written.
      throw new UsageError(`${displayPath(file)}: ${settingPath(layer, "buckets")}: has no use with "upload": "inline" (drop it, or use "auto" or "storage")`, {
        code: "InvalidConfig",
      });
    }
  }
}

/** `layers[0] (deps) runtimes: expected ...`; the layer's name is said when it has one. */
export function describeIssue(issue: z.core.$ZodIssue, layers: unknown[] = []): string {
  if (issue.code === "unrecognized_keys") {
    const [layerPart, inner] = splitLayerPath(issue.path, layers);
    const keys = issue.keys.map((k) => join(layerPart, keyPath([...inner, k]))).join(", ");
    return `${keys}: unknown key${issue.keys.length > 1 ? "s" : ""}${inner.length > 0 ? ` in ${keyPath(inner)}` : ""} (see \`layerctl schema config\` for the keys)`;
  }
  const message = issue.message
    .replace(/^Invalid input: /, "")
    .replace(/^Invalid option: /, "")
    .replace(/^expected (.*), received undefined$/, "missing (expected $1)");
  return `${configPath(issue.path, layers) || "(top level)"}: ${message}`;
}

/** `layers[1] (py-deps) regions[2]`: a key path in the file, naming the layer it is in. */
export function configPath(parts: ReadonlyArray<PropertyKey>, layers: unknown[] = []): string {
  const [layerPart, inner] = splitLayerPath(parts, layers);
  return join(layerPart, keyPath(inner));
}

function splitLayerPath(parts: ReadonlyArray<PropertyKey>, layers: unknown[]): [string, ReadonlyArray<PropertyKey>] {
  if (parts[0] !== "layers" || typeof parts[1] !== "number") return ["", parts];
  const name = (layers[parts[1]] as { name?: unknown } | undefined)?.name;
  return [`layers[${parts[1]}]${typeof name === "string" && name ? ` (${name})` : ""}`, parts.slice(2)];
}

function join(layerPart: string, inner: string): string {
  return layerPart && inner ? `${layerPart} ${inner}` : layerPart || inner;
}

/** A layer with the top level's settings it does not set itself, and where each key is written. */
export type EffectiveLayer = LayerConfig & {
  /** Its index in "layers". */
  index: number;
  /** Keys it takes from the top level of the file. */
  inherited: ReadonlySet<string>;
};

export function effectiveLayers(config: Config): EffectiveLayer[] {
  return config.layers.map((own, index) => {
    const layer = { ...own } as Record<string, unknown>;
    const inherited = new Set<string>();
    for (const key of INHERITED_KEYS) {
      if (layer[key] === undefined && config[key] !== undefined) {
        layer[key] = config[key];
        inherited.add(key);
      }
    }
    return { ...(layer as LayerConfig), index, inherited };
  });
}

/**
 * Where a setting of a layer is written: `layers[1] (py-deps) regions[2]`, or for one it inherits,
 * `regions[2] (inherited by layers[1] py-deps)`.
 */
export function settingPath(layer: EffectiveLayer, key: string, ...inner: PropertyKey[]): string {
  if (layer.inherited.has(key)) return `${keyPath([key, ...inner])} (inherited by layers[${layer.index}] ${layer.name})`;
  return `layers[${layer.index}] (${layer.name}) ${keyPath([key, ...inner])}`;
}

export function keyPath(parts: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of parts) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}
