// The options attach and detach share (the input they give is read by ../../release/attach-options.ts).
import type { OptionSpec } from "./define.js";
import { configOption } from "./target-options.js";

/** The options attach and detach share. */
export function attachCommandOptions(verb: "attach" | "detach"): OptionSpec[] {
  return [
    { flags: "-f, --function <names>", description: "functions to update (comma-separate or repeat; default: the config's attach.functions)", repeatable: true },
    { flags: "--namespace <ns>", description: "function namespace, where the provider has them (default: default)" },
    { flags: "--publish-version", description: "publish a function version after the update (unless one with these layers exists)" },
    { flags: "--no-publish-version", description: "no function version (overrides the config's attach.publishVersion)" },
    { flags: "--alias <name>", description: "point this alias at the new function version, creating it if needed (implies --publish-version)" },
    { flags: "--description <text>", description: "description of the published function version" },
    { flags: "--dry-run", description: `read the functions and list what ${verb} would change (FROM, TO); change nothing` },
    configOption,
  ];
}
