// layerctl completion bash|zsh|fish: a completion script generated from the command table.
import { completionScript, SHELLS, type Shell } from "../completion/scripts.js";
import { defineCommand } from "./shared/define.js";

export async function completionCommand(input: { shell: Shell }): Promise<string> {
  // The table lists this command lazily and this command reads the table lazily: neither side
  // runs at load time, so the cycle cannot see a half-initialised module.
  // biome-ignore lint/suspicious/noImportCycles: both imports are dynamic (see above)
  const { describeCommands } = await import("./index.js");
  return completionScript(
    input.shell,
    (await describeCommands()).filter((c) => !c.hidden),
  );
}

export default defineCommand({
  arguments: [{ name: "shell", description: "bash, zsh or fish", choices: SHELLS }],
  examples: [
    "source <(layerctl completion bash)        # in ~/.bashrc",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh's ${fpath[1]}, not a template
    'layerctl completion zsh > "${fpath[1]}/_layerctl"',
    "layerctl completion fish > ~/.config/fish/completions/layerctl.fish",
  ],
  notes: "Completes commands, options, provider names, output formats, regions, runtime ids and the layer names of the config file.",
  run: completionCommand,
  render: (script: string) => script,
});
