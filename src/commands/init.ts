// layerctl init [dir]: write a starting layerctl.config.json for the current folder, with one layer
// for `dir` (default: the current folder, or each of its sub-folders that looks like a layer),
// guessing runtimes and prefixes. It never overwrites a config that exists here.
import { readFile, stat, writeFile } from "node:fs/promises";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../errors.js";
import { CONFIG_FILES, validateConfig } from "../config/load.js";
import { guessLayer, type LayerGuess } from "../config/guess.js";
import type { Config } from "../config/schema.js";
import { defineCommand } from "./shared/define.js";
import type { CommandContext } from "../targets/context.js";

export interface InitInput {
  /** The layer folder, or a folder of layer folders; default ".". */
  dir?: string;
  cwd?: string;
}

export interface InitResult {
  file: string;
  config: Config;
  notes: string[];
}

export const CONFIG_FILE_NAME = "layerctl.config.json";

export async function initCommand(input: InitInput = {}): Promise<InitResult> {
  const cwd = input.cwd ?? process.cwd();
  const existing = await existingConfig(cwd);
  if (existing) {
    throw new UsageError(`${existing} already holds a layerctl configuration; not overwriting it`, {
      code: "ConfigExists",
      hint: "edit it, or remove it and run layerctl init again",
    });
  }
  const target = path.resolve(cwd, input.dir ?? ".");
  const st = await stat(target).catch(() => null);
  if (!st?.isDirectory()) throw new UsageError(`${input.dir ?? "."} is not a folder`, { code: "InvalidSource", hint: "give the layer folder, or a folder holding layer folders" });

  const rel = (p: string) => path.relative(cwd, p).split(path.sep).join("/") || ".";
  let guesses: LayerGuess[] = [];
  const self = await guessLayer(target, rel(target));
  if (self) guesses = [self];
  else {
    const subs = (await readdir(target, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules")
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of subs) {
      const g = await guessLayer(path.join(target, e.name), rel(path.join(target, e.name)));
      if (g) guesses.push(g);
    }
  }
  if (guesses.length === 0) {
    throw new UsageError(`found nothing that looks like a layer in ${input.dir ?? "."}`, {
      code: "NothingToInit",
      hint: "point init at a folder with requirements.txt, python/, package.json, nodejs/node_modules or bin/",
    });
  }
  // Two sub-folders with the same name after sanitizing would clash: number them.
  const seen = new Map<string, number>();
  for (const g of guesses) {
    const n = (seen.get(g.layer.name) ?? 0) + 1;
    seen.set(g.layer.name, n);
    if (n > 1) g.layer.name = `${g.layer.name}-${n}`;
  }
  const file = path.join(cwd, CONFIG_FILE_NAME);
  const config = validateConfig({ $schema: "./node_modules/layerctl/schema/config.schema.json", layers: guesses.map((g) => g.layer) }, file);
  try {
    // "wx": fail rather than replace a file created meanwhile.
    await writeFile(file, JSON.stringify(config, null, 2) + "\n", { flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") throw new UsageError(`${CONFIG_FILE_NAME} already exists; not overwriting it`, { code: "ConfigExists" });
    throw new UsageError(`cannot write ${file}: ${(err as Error).message}`, { code: "ConfigWriteFailed" });
  }
  return { file, config, notes: guesses.flatMap((g) => g.notes) };
}

/** The config file in this very folder, if any (package.json counts only with a "layerctl" key). */
async function existingConfig(dir: string): Promise<string | null> {
  for (const name of CONFIG_FILES) {
    const text = await readFile(path.join(dir, name), "utf8").catch(() => null);
    if (text === null) continue;
    if (name !== "package.json") return name;
    try {
      if ((JSON.parse(text) as Record<string, unknown>).layerctl !== undefined) return `${name} ("layerctl" key)`;
    } catch {
      // an unreadable package.json is not a layerctl config
    }
  }
  return null;
}

export default defineCommand({
  arguments: [{ name: "dir", description: "the layer folder, or a folder of layer folders (default: .)", optional: true }],
  examples: ["layerctl init", "layerctl init layers/"],
  notes: `Guesses from what it finds: requirements.txt or Python packages (python3.10, prefix python for AWS/Aliyun),
python/ or nodejs/node_modules (already laid out), package.json or node_modules (nodejs18, prefix nodejs),
bin/ (custom runtime). Prints the file it wrote; notes go to stderr.`,
  async run(input: InitInput, ctx: CommandContext) {
    const r = await initCommand(input);
    for (const note of r.notes) ctx.log.info(`note: ${note}`);
    return r;
  },
  render: (r: InitResult) => `${r.file}\n`,
});
