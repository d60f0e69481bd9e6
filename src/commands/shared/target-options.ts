// The options and help text of every command that talks to clouds, written from the provider
// list (src/providers/names.ts): a new provider shows up here without an edit.
import { providerCatalog, providerNames } from "../../providers/names.js";
import type { OptionSpec } from "./define.js";

/** "a, b or c" (or "a, b and c"). */
export function listInWords(items: readonly string[], conjunction: "or" | "and" = "or"): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} ${conjunction} ${items.at(-1)}`;
}

export function targetOptions(): OptionSpec[] {
  return [
    {
      flags: "-p, --provider <names>",
      description: `${listInWords(providerNames)}; comma-separate (or repeat) for several`,
      suggestions: providerNames,
      repeatable: true,
    },
    { flags: "-r, --region <region>", description: "region, or provider:region; comma-separate (or repeat) for several", repeatable: true },
    { flags: "--endpoint <url>", description: "API endpoint override, a full http(s)://host:port URL" },
    {
      flags: "--profile <name>",
      description: "credentials profile: NAME for every cloud, or provider:NAME (aws:prod,aws-cn:china); comma-separate or repeat",
      repeatable: true,
    },
    { flags: "--role-arn <arn>", description: "assume this role with the keys found (STS AssumeRole); the ARN's shape names its cloud, or write provider:ARN", repeatable: true },
    { flags: "--emulator", description: "run against an embedded local emulator (nothing is sent to any cloud)" },
    { flags: "--timeout <seconds>", description: "give up on a target after this long: no attempt or poll starts later (default 300)" },
    { flags: "--concurrency <n>", description: "targets worked on at once (default 16); calls stay paced below each cloud's rate limit" },
  ];
}

/** The target options that say how calls are made, not where: for a command that names its targets its own way (copy's --from/--to). */
export function connectionOptions(): OptionSpec[] {
  const where = new Set(["-p, --provider <names>", "-r, --region <region>", "--emulator"]);
  return targetOptions().filter((o) => !where.has(o.flags));
}

/** --config, the same for every command that reads the config file. */
export const configOption: OptionSpec = {
  flags: "--config <file>",
  description: 'config file (default: layerctl.config.json, .layerctlrc[.json|.yaml] or package.json "layerctl", searched upwards)',
};

export function targetHelp(): string {
  const width = Math.max(...providerNames.map((n) => n.length)) + 2;
  const credentials = providerNames.map((n) => `  ${n.padEnd(width)}${providerCatalog[n].credentials}`);
  const profiles = providerNames.filter((n) => providerCatalog[n].profile).map((n) => `  ${n.padEnd(width)}${providerCatalog[n].profile}`);
  const endpoints = providerNames.map((n) => {
    const [first, ...more] = providerCatalog[n].endpointVariables;
    return more.length > 0 ? `${first} (also ${more.join(", ")})` : first;
  });
  return `Credentials come from each cloud's standard places (\`layerctl providers\` lists them in order):
${credentials.join("\n")}
--profile NAME is:
${profiles.join("\n")}
Endpoints: --endpoint, or ${endpoints.join(" / ")}. --debug (and --dry-run) say where the credentials came from.`;
}

/** --provider for commands that judge or build for providers without calling them (pack, check, build). */
export function providerOption(purpose: string): OptionSpec {
  return { flags: "-p, --provider <names>", description: `${purpose}: ${listInWords(providerNames)} (comma-separate or repeat)`, suggestions: providerNames, repeatable: true };
}
