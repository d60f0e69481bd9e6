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
import { configSchema, type Config } from "./schema.js";

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
    throw syntaxError(file, (err as Error).message);
  }
};

/** YAML 1.2 reads JSON too: `.layerctlrc` may be either. */
const yamlLoader: Loader = (file, content) => {
  try {
    return parseYaml(content, { prettyErrors: false });
  } catch (err) {
    throw syntaxError(file, (err as Error).message.split("\n")[0]!);
  }
};

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
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  throw new UsageError(`${displayPath(file)}: ${describeIssue(issues[0]!)}${more}`, {
    code: "InvalidConfig",
    hint: "`layerctl schema config` prints the schema",
  });
}

/** `layers[0].runtimes: expected ...` */
export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    const at = keyPath(issue.path);
    const keys = issue.keys.map((k) => keyPath([...issue.path, k])).join(", ");
    return `${keys}: unknown key${issue.keys.length > 1 ? "s" : ""}${at ? ` in ${at}` : ""} (see \`layerctl schema config\` for the keys)`;
  }
  const message = issue.message
    .replace(/^Invalid input: /, "")
    .replace(/^Invalid option: /, "")
    .replace(/^expected (.*), received undefined$/, "missing (expected $1)");
  return `${keyPath(issue.path) || "(top level)"}: ${message}`;
}

export function keyPath(parts: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of parts) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}
