// The command table. A command is a file in this folder whose default export is a
// defineCommand({...}) (arguments, options, examples, run, render), plus one line here. Only the
// command being run is loaded: `layerctl --help` reads this list and nothing else.
import type { ArgumentSpec, CommandSpec, OptionSpec } from "./shared/define.js";
import { targetOptions } from "./shared/target-options.js";

export interface CommandEntry {
  name: string;
  /** One line, shown in `layerctl --help`. */
  summary: string;
  load(): Promise<{ default: CommandSpec }>;
  /** Not listed in help or completion (helpers the completion scripts call). */
  hidden?: boolean;
}

export const commands: CommandEntry[] = [
  { name: "pack", summary: "zip a directory into a deterministic layer archive", load: () => import("./pack.js") },
  { name: "check", summary: "check a layer's binaries against each target's CPU, C library and runtime (pack and publish do it too)", load: () => import("./check.js") },
  { name: "build", summary: "install a layer's packages from its lockfile for each target's runtime, CPU and C library", load: () => import("./build.js") },
  { name: "publish", summary: "pack a directory (or take a .zip) and publish it as a new layer version", load: () => import("./publish.js") },
  { name: "get", summary: "show one layer version", load: () => import("./get.js") },
  { name: "versions", summary: "list the versions of a layer, newest first", load: () => import("./versions.js") },
  { name: "layers", summary: "list every layer in each target with its newest version", load: () => import("./layers.js") },
  { name: "delete", summary: "delete layer versions (asks on a terminal, --yes otherwise)", load: () => import("./delete.js") },
  { name: "prune", summary: "keep the newest N versions of a layer, delete the rest, never one a function uses", load: () => import("./prune.js") },
  { name: "share", summary: "share a layer version publicly, with an account or an organization (or --revoke)", load: () => import("./share.js") },
  { name: "copy", summary: "copy a layer version to other regions, clouds or partitions (checked against the source's checksum)", load: () => import("./copy.js") },
  { name: "download", summary: "download a layer version's zip, verified against the cloud's checksum", load: () => import("./download.js") },
  { name: "status", summary: "each layer in each target: newest version, in sync with the local build, aligned (exit 3 when behind)", load: () => import("./status.js") },
  { name: "publish-function", summary: "publish a new version of a function", load: () => import("./publish-function.js") },
  { name: "providers", summary: "list each provider's runtimes, limits and credential variables", load: () => import("./providers.js") },
  { name: "emulate", summary: "run a local emulator of every provider's layer and function APIs", load: () => import("./emulate.js") },
  { name: "attach", summary: "move functions to a layer version (update, wait, optionally publish a version and point an alias)", load: () => import("./attach.js") },
  { name: "detach", summary: "take a layer out of functions (update, wait, optionally publish a version and point an alias)", load: () => import("./detach.js") },
  { name: "init", summary: "write a starting layerctl.config.json, guessing runtimes and prefixes (never overwrites)", load: () => import("./init.js") },
  { name: "record", summary: "merge the --record files of several CI jobs (record merge a.json b.json -o all.json)", load: () => import("./record.js") },
  { name: "schema", summary: "print a JSON Schema: the config file, or the --output json documents and the record file", load: () => import("./schema.js") },
  // biome-ignore lint/suspicious/noImportCycles: completion reads this table lazily; both imports are dynamic
  { name: "completion", summary: "print a shell completion script (bash, zsh, fish)", load: () => import("./completion.js") },
  { name: "__complete-layers", summary: "layer names of the config file, for completion scripts", load: () => import("./complete-layers.js"), hidden: true },
];

/** Every option a command takes, the shared ones included, as the CLI registers them. */
export function optionsOf(spec: CommandSpec): OptionSpec[] {
  const output: OptionSpec[] = spec.formats
    ? [{ flags: "--output <format>", description: "what to print on stdout (default: table on a terminal, json otherwise)", choices: spec.formats }]
    : [];
  return [...(spec.options ?? []), ...(spec.targets ? targetOptions() : []), ...output];
}

export interface CommandDescription {
  name: string;
  hidden?: boolean;
  summary: string;
  arguments: ArgumentSpec[];
  options: OptionSpec[];
  examples: string[];
}

/** The whole table as data (for completion and docs): loads every command. */
export async function describeCommands(): Promise<CommandDescription[]> {
  return Promise.all(
    commands.map(async (entry) => {
      const spec = (await entry.load()).default;
      return {
        name: entry.name,
        hidden: entry.hidden,
        summary: entry.summary,
        arguments: spec.arguments ?? [],
        options: optionsOf(spec),
        examples: spec.examples,
      };
    }),
  );
}
