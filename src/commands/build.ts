// layerctl build: a layer's tree from a lockfile, for each provider it targets, without
// publishing. The layer is a configured one with a `build` key, or a requirements file /
// package.json named directly with -p and --runtime. Each provider's tree lands in <out>/<provider>/.
import { statSync } from "node:fs";
import path from "node:path";
import type { BuildDocument } from "../build/index.js";
import type { Ecosystem } from "../build/plan.js";
import { loadConfig } from "../config/load.js";
import { UsageError } from "../errors.js";
import { keyValueTable } from "../output/table.js";
import { scopeLayers } from "../release/config-scope.js";
import { fromLayer } from "../release/publish-config.js";
import { runBuild, type LayerBuild } from "../release/publish-built.js";
import type { CommandContext } from "../targets/context.js";
import { configOption, providerOption } from "./shared/target-options.js";
import { defineCommand } from "./shared/define.js";
import { splitList } from "../targets/resolve.js";
import { buildInput } from "../build/inputs.js";

export interface BuildCommandInput {
  layer: string;
  out?: string;
  config?: string;
  provider?: string[];
  runtime?: string[];
  arch?: string[];
  cwd?: string;
}

export async function buildCommand(input: BuildCommandInput, ctx: CommandContext): Promise<BuildDocument> {
  const here = input.cwd ?? process.cwd();
  const flags = { provider: input.provider, runtime: input.runtime, arch: input.arch };
  const out = input.out === undefined ? undefined : path.resolve(here, input.out);
  const loaded = await loadConfig({ file: input.config, cwd: here });
  const configured = loaded?.config.layers.find((l) => l.name === input.layer);
  if (configured && loaded) {
    // The layer as publish sees it: the top level's keys inherited, --provider / --region selecting among its targets.
    const scoped = scopeLayers(loaded, [configured.name], flags, ctx.env).layers[0];
    if (!scoped) throw new UsageError(`layer ${configured.name} has no target left with --provider ${splitList(input.provider).join(",")}`, { code: "NoTargets" });
    const plan = fromLayer(scoped, loaded, flags);
    if (!plan.build) {
      throw new UsageError(`layer ${configured.name} has no "build" key; its contents are ${configured.dir}`, {
        code: "NothingToBuild",
        hint: 'add "build": {"python": "requirements.txt"} or {"node": "package.json"} to it',
      });
    }
    return runBuild(plan.input, plan.build, ctx, out);
  }
  // A requirements file or package.json named directly.
  const file = path.resolve(here, input.layer);
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) {
    throw new UsageError(`"${input.layer}" is neither a layer of ${loaded ? path.basename(loaded.file) : "a config file (none found)"} nor a file`, {
      code: "UnknownLayer",
      hint: "name a configured layer that has a build key, or a requirements.txt / pyproject.toml / uv.lock / package.json",
    });
  }
  if (!out) throw new UsageError("-o <dir> is needed when building from a file: the trees go in <dir>/<provider>/", { code: "MissingOutput" });
  const ecosystem: Ecosystem = path.basename(file) === "package.json" ? "node" : "python";
  const build: LayerBuild = { ecosystem, file, shown: input.layer, outDir: out, check: () => buildInput(ecosystem, file, input.layer) };
  return runBuild({ source: "", name: path.basename(path.dirname(file)), ...flags }, build, ctx, out);
}

function renderTable(doc: BuildDocument): string {
  const rows: Array<[string, string]> = [
    ...doc.builds.map((b): [string, string] => [b.id, `${b.status} with ${b.tool} (${b.os}, glibc ${b.glibc})`]),
    ...doc.trees.map((t): [string, string] => [t.provider, `${t.dir}${t.installPath ? ` (packages in ${t.installPath}/)` : ""}`]),
  ];
  return keyValueTable(rows);
}

export default defineCommand({
  arguments: [{ name: "layer", description: "a layer of the config file with a build key, or a requirements.txt / pyproject.toml / uv.lock / package.json" }],
  options: [
    {
      flags: "-o, --out <dir>",
      description: "where the trees go, one per provider: <dir>/<provider>/ (default for a configured layer: .layerctl/build/<layer>/ beside the config file)",
    },
    configOption,
    providerOption("build for these providers (default: the layer's)"),
    { flags: "--runtime <ids>", description: "the runtimes to build for, e.g. python3.12 or aws:python3.12 (default: the layer's)", repeatable: true },
    { flags: "--arch <arch>", description: "x86_64 or arm64 (repeat for both; default: the layer's, else the provider's)", repeatable: true },
  ],
  formats: ["table", "json"],
  progress: true,
  examples: [
    "layerctl build deps                       # the config's layer deps, into .layerctl/build/deps/<provider>/",
    "layerctl build deps -p aws --arch arm64 -o build/",
    "layerctl build requirements.txt -p aws --runtime python3.12 --arch arm64 -o build/",
    "layerctl build package.json -p tencent,aws --runtime nodejs18 -o build/ --output json",
  ],
  notes: `Python: pip install --target with --platform manylinux tags for the runtime's architecture and
glibc (e.g. manylinux_2_26 and older for AWS Amazon Linux 2 runtimes), --implementation cp,
--python-version from the runtime and --only-binary=:all:, so nothing is compiled here; a package
without such a wheel is an error naming it and the tags tried. uv is used instead when installed
(LAYERCTL_PYTHON_INSTALLER=pip|uv chooses; LAYERCTL_PYTHON names pip's interpreter). pyproject.toml
and uv.lock are exported to requirements with uv. Console scripts (bin/) are left out.
Node.js: npm ci --omit=dev --os=linux --cpu=<x64|arm64> --libc=glibc from package.json and its
lockfile (npm 10+); install scripts run only when this machine is the target's platform.
One build per distinct (Python version, architecture, glibc floor), or per architecture for
Node.js, shared by the providers that need it and skipped while its inputs (lockfile, target,
tool version, PIP_*/UV_*/NPM_CONFIG_* settings) hash the same. layerctl publish does all of this
for a configured layer with a build key, then checks, packs and publishes each provider's tree.`,
  run: (input: BuildCommandInput, ctx: CommandContext) => buildCommand(input, ctx),
  render: (doc: BuildDocument, format) => (format === "json" ? `${JSON.stringify(doc, null, 2)}\n` : renderTable(doc)),
});
