// Completion scripts: generated from the command table, they parse (bash -n; zsh -n and fish -n
// where those shells are installed) and complete commands, options, values and layer names.
import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { BIN, baseEnv, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/archive.js";

const has = (shell: string) => spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0;
let dir: string;
const scripts: Record<string, string> = {};

beforeAll(async () => {
  dir = await tempDir("layerctl-completion-");
  for (const shell of ["bash", "zsh", "fish"]) {
    const r = await runCli(["completion", shell]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    scripts[shell] = r.stdout;
    await writeFile(path.join(dir, `layerctl.${shell}`), r.stdout);
  }
  await mkdir(path.join(dir, "proj/deps"), { recursive: true });
  await writeFile(
    path.join(dir, "proj/layerctl.config.json"),
    JSON.stringify({
      layers: [
        { name: "alpha", dir: "deps" },
        { name: "beta", dir: "deps" },
      ],
    }),
  );
});

/** Runs the bash completion function for `words` (the last one being completed) in `cwd`. */
function complete(words: string[], cwd = dir): string[] {
  const script = `source ${JSON.stringify(path.join(dir, "layerctl.bash"))}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _layerctl; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = execFileSync("bash", ["-c", script], { cwd, env: baseEnv({ PATH: `${path.dirname(BIN)}:${process.env.PATH}` }), encoding: "utf8" });
  return out.split("\n").filter(Boolean);
}

describe("completion", () => {
  it("bash: the script parses", () => {
    expect(spawnSync("bash", ["-n", path.join(dir, "layerctl.bash")]).status).toBe(0);
  });

  it.runIf(has("zsh"))("zsh: the script parses", () => {
    expect(spawnSync("zsh", ["-n", path.join(dir, "layerctl.zsh")]).status).toBe(0);
  });

  it.runIf(has("fish"))("fish: the script parses", () => {
    expect(spawnSync("fish", ["-n", path.join(dir, "layerctl.fish")]).status).toBe(0);
  });

  it("covers every command --help lists", async () => {
    const help = (await runCli(["--help"])).stdout;
    const commands = [
      ...help
        .split("Commands:")[1]!
        .split("\n\n")[0]!
        .matchAll(/^ {2}([a-z-]+)/gm),
    ]
      .map((m) => m[1]!)
      .filter((c) => c !== "help");
    expect(commands).toEqual(expect.arrayContaining(["publish", "attach", "init", "completion", "schema", "record"]));
    expect(complete(["layerctl", ""]).filter((w) => !w.startsWith("-"))).toEqual(commands);
    for (const c of commands) expect(scripts.fish).toContain(`-a '${c}'`);
  });

  it("bash: completes options, provider names, output formats, choices and sub-commands", () => {
    expect(complete(["layerctl", "publish", "--prov"])).toEqual(["--provider"]);
    expect(complete(["layerctl", "publish", "-p", ""])).toEqual(["tencent", "aws", "aliyun"]);
    expect(complete(["layerctl", "get", "deps", "1", "--output", ""])).toEqual(["table", "json", "version", "env"]);
    expect(complete(["layerctl", "attach", "--output", ""])).toEqual(["table", "json", "env"]);
    expect(complete(["layerctl", "publish", "--region", "eu-west-"])).toEqual(expect.arrayContaining(["eu-west-1"]));
    expect(complete(["layerctl", "record", ""])).toEqual(["merge"]);
    expect(complete(["layerctl", "record", "merge", "--o"])).toEqual(["--out", "--output"]);
    expect(complete(["layerctl", "record", "merge", "--output", ""])).toEqual(["json", "env"]);
    expect(complete(["layerctl", "completion", ""])).toEqual(["bash", "zsh", "fish"]);
    // an option's value is not taken for the command
    expect(complete(["layerctl", "publish", "-p", "aws", "--sym"])).toEqual(["--symlinks"]);
  });

  it("bash: completes layer names from the config found upwards", () => {
    const cwd = path.join(dir, "proj/deps");
    expect(complete(["layerctl", "attach", ""], cwd)).toEqual(["alpha", "beta"]);
    expect(complete(["layerctl", "prune", "b"], cwd)).toEqual(["beta"]);
    expect(complete(["layerctl", "publish", "a"], cwd)).toEqual(["alpha"]);
    // no config: nothing, and no error
    expect(complete(["layerctl", "attach", ""], dir)).toEqual([]);
  });
});
