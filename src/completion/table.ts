// The table completion scripts are generated from: describeCommands() (the command table as
// data: arguments, options, choices, suggestions), so a new command or option completes without
// touching the scripts. Values the table does not spell out (regions, runtime ids, files, layer
// names from the config) come from VALUE_KINDS below.
import type { CommandDescription } from "../commands/index.js";
import type { ArgumentSpec, OptionSpec } from "../commands/shared/define.js";
import { providers } from "../providers/index.js";

export type ValueKind = { words: string[] } | "file" | "dir-or-layer" | "layer" | "free";

export interface OptionEntry {
  flags: string[];
  long: string | null;
  short: string | null;
  description: string;
  /** null: a switch that takes no value. */
  value: ValueKind | null;
}

export interface CommandEntry {
  name: string;
  description: string;
  options: OptionEntry[];
  /** What each positional argument completes to; the last one repeats when it is variadic. */
  arguments: ValueKind[];
  variadic: boolean;
}

const allRegions = () => [...new Set(Object.values(providers).flatMap((p) => p.regions))].sort();
const allRuntimes = () => [...new Set(Object.values(providers).flatMap((p) => p.runtimes.flatMap((r) => [r.native, ...r.aliases])))].sort();

/** Options whose values layerctl knows, by long name (choices and suggestions come from the table). */
function optionValue(long: string, o: OptionSpec): ValueKind {
  if (o.choices) return { words: [...o.choices] };
  if (o.suggestions) return { words: [...o.suggestions] };
  switch (long) {
    case "region":
      return { words: allRegions() };
    case "runtime":
      return { words: allRuntimes() };
    case "config":
    case "record":
    case "from-record":
    case "out":
    case "state-dir":
      return "file";
    default:
      return "free";
  }
}

/** Positional arguments, by command and argument name. */
function argumentValue(command: string, a: ArgumentSpec): ValueKind {
  if (a.choices) return { words: [...a.choices] };
  if (command === "publish" && a.name === "source") return "dir-or-layer";
  if (["attach", "detach", "get", "versions", "delete", "prune", "share"].includes(command) && ["layer", "name"].includes(a.name)) return "layer";
  if (["source", "dir", "files", "file"].includes(a.name)) return "file";
  return "free";
}

function optionEntry(o: OptionSpec): OptionEntry {
  const long = /--[\w-]+/.exec(o.flags)?.[0] ?? null;
  const short = /(?:^|[\s,])(-\w)(?:[\s,]|$)/.exec(o.flags)?.[1] ?? null;
  const takesValue = /[<[]/.test(o.flags);
  return {
    flags: [short, long].filter((f): f is string => f !== null),
    long,
    short,
    description: o.description,
    value: takesValue ? optionValue((long ?? "").replace(/^--/, ""), o) : null,
  };
}

export function commandTable(described: CommandDescription[]): CommandEntry[] {
  const help: OptionEntry = { flags: ["-h", "--help"], long: "--help", short: "-h", description: "display help", value: null };
  return described.map((c) => ({
    name: c.name,
    description: c.summary,
    options: [...c.options.map(optionEntry), help],
    arguments: c.arguments.map((a) => argumentValue(c.name, a)),
    variadic: c.arguments.at(-1)?.variadic ?? false,
  }));
}
