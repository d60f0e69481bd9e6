// `npm run build`: the CLI as one esbuild bundle in dist/, which bin/layerctl runs. Type-checking is
// `npm run typecheck`; nothing else is emitted.
//
//   dist/cli.js            the entry: src/cli.ts and what it imports statically (commander, the
//                          command table, provider names), ESM.
//   dist/chunk-*.js        everything imported lazily: every `import()` in src/ or in a bundled
//                          package is a split point, so each command, adapter part and SDK is a
//                          chunk loaded when it is first needed (code shared by several is a chunk
//                          of its own). Nothing here lists the SDKs: a new `await import("x")`
//                          becomes its own chunk by itself.
//   dist/deflate-worker.js the zip writer's worker thread (src/archive/deflate-pool.ts starts it
//                          from beside itself: dist/ is flat).
//   dist/build-meta.json   which source files each output holds (the start-up tests read it to
//                          prove what `--help` and a publish load).
//   dist/THIRD-PARTY-NOTICES.txt  the licence of every package bundled into dist/.
//
// The build fails, naming the culprit, when a package other than START_UP_PACKAGES would load at
// start-up (reached from dist/cli.js by static imports), or when an import cannot be resolved
// (esbuild's own error; OPTIONAL_MISSING lists the few a package only requires in a branch we
// never take).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isBuiltin } from "node:module";
import * as esbuild from "esbuild";
import { packageOf, writeNotices } from "./notices.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(repo, "dist");

/** Packages `layerctl --help` may load (everything else is imported lazily, by what needs it). */
const START_UP_PACKAGES = ["commander"];

/**
 * Imports of packages that are not installed, left as a plain import that fails if it ever runs,
 * as it would from node_modules. Each with why that never happens in layerctl.
 */
const OPTIONAL_MISSING = {
  // ali-oss's HTTP client requires it only for a proxy given in its options; layerctl gives none.
  "proxy-agent": "urllib (ali-oss)",
  // The rest are required inside try/catch, with a fallback (esbuild leaves those to run time).
  "graceful-fs": "mz (ali-oss): node:fs otherwise",
  encoding: "node-fetch (Tencent SDK): only to convert non-UTF-8 text",
  "supports-color": "debug: colours of debug output otherwise guessed",
  bufferutil: "ws: native speed-ups of its pure JavaScript",
  "utf-8-validate": "ws: native speed-ups of its pure JavaScript",
};

// Bundled CommonJS packages call require() for Node's built-ins, which ESM has not: each output
// file gets one, made for that file.
const REQUIRE_SHIM = 'import { createRequire as __layerctlCreateRequire } from "node:module"; const require = __layerctlCreateRequire(import.meta.url);';

/**
 * Node's built-ins are required, not imported: for an ESM import of a built-in, Node builds an ESM
 * view of all its exports, reading each one, and some load more modules when read (fs's
 * `promises` loads the stream and readline modules). Measured on Node 24 (instructions counted by
 * valgrind, a one-line script): importing node:fs costs 13M more than requiring it, where the
 * whole of `node -e 0` is ~90M. esbuild's view of a required built-in reads a name when it is used.
 */
const requiredBuiltins = {
  name: "required-builtins",
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) =>
      args.kind === "import-statement" && isBuiltin(args.path) ? { path: args.path.replace(/^node:/, ""), namespace: "builtin" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => ({ contents: `module.exports = require("node:${args.path}");`, loader: "js" }));
  },
};

/** Leaves OPTIONAL_MISSING imports to run time (they resolve nowhere, so esbuild would stop). */
const optionalMissing = {
  name: "optional-missing",
  setup(build) {
    const names = Object.keys(OPTIONAL_MISSING).map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
    build.onResolve({ filter: new RegExp(`^(${names.join("|")})$`) }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * commander requires node:child_process at load time, for executable sub-commands we do not have;
 * loading it (and the stream and net modules behind it) was a third of `--help`'s own cost. It
 * gets an object that loads the module on first use instead.
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[/\\]node_modules[/\\]commander[/\\]/.test(args.importer) ? { path: "child_process", namespace: "lazy-builtin" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, () => ({
      contents: 'let m; module.exports = new Proxy({}, { get: (_, key) => (m ??= require("node:child_process"))[key] });',
      loader: "js",
    }));
  },
};

/** Output file (relative to dist/) -> the source files in it, as repo-relative paths. */
function inputsOf(metafile) {
  return Object.fromEntries(
    Object.entries(metafile.outputs)
      .filter(([file]) => !file.endsWith(".map"))
      .map(([file, out]) => [path.relative(dist, path.resolve(repo, file)).split(path.sep).join("/"), Object.keys(out.inputs)]),
  );
}

/** Fails the build when a package outside START_UP_PACKAGES is reached from dist/cli.js by static imports. */
function checkStartUp(metafile) {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((f) => outputs[f].entryPoint === "src/cli.ts");
  const seen = new Set();
  const visit = (file, via) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const input of Object.keys(outputs[file].inputs)) {
      const pkg = packageOf(input);
      if (pkg && !START_UP_PACKAGES.includes(pkg)) {
        throw new Error(
          `build: ${pkg} would load at start-up (${input}, in ${[...via, file].join(" -> ")}); import it lazily (await import(...)) where it is needed, or add it to START_UP_PACKAGES in scripts/build.mjs if --help really needs it`,
        );
      }
    }
    for (const imp of outputs[file].imports) if (imp.kind === "import-statement" && !imp.external) visit(imp.path, [...via, file]);
  };
  visit(entry, []);
}

/** Fails the build when an output imports a package that is not bundled (nothing is installed beside dist/). */
function checkExternals(metafile) {
  for (const [file, out] of Object.entries(metafile.outputs)) {
    for (const imp of out.imports) {
      if (!imp.external || imp.path.startsWith("node:") || imp.path in OPTIONAL_MISSING) continue;
      if (isBuiltin(imp.path)) continue;
      throw new Error(`build: ${file} imports ${imp.path}, which is not bundled (a package layerctl installs none of)`);
    }
  }
}

/**
 * Fails the build when a package in package.json's `dependencies` is bundled: everything bin/layerctl
 * runs is in dist/, so an install of layerctl would bring a second copy that nothing loads (and its
 * install scripts). Bundled packages are devDependencies.
 */
function checkDependencies(metafile) {
  const { dependencies = {} } = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8"));
  const bundled = new Set(Object.keys(metafile.inputs).map(packageOf).filter(Boolean));
  const twice = Object.keys(dependencies).filter((name) => bundled.has(name));
  if (twice.length) throw new Error(`build: ${twice.join(", ")} bundled into dist/: move ${twice.length > 1 ? "them" : "it"} from dependencies to devDependencies in package.json`);
}

async function main() {
  fs.rmSync(dist, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: { cli: path.join(repo, "src/cli.ts"), "deflate-worker": path.join(repo, "src/archive/deflate-worker.ts") },
    outdir: dist,
    entryNames: "[name]",
    chunkNames: "[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // The packages' ESM builds first: esbuild drops what is never used from them.
    mainFields: ["module", "main"],
    banner: { js: REQUIRE_SHIM },
    plugins: [optionalMissing, lazyChildProcess, requiredBuiltins],
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  checkExternals(result.metafile);
  checkDependencies(result.metafile);
  checkStartUp(result.metafile);
  const outputs = inputsOf(result.metafile);
  // src/archive/deflate-pool.ts starts `new URL("./deflate-worker.js", import.meta.url)`.
  const pool = Object.keys(outputs).find((out) => outputs[out].includes("src/archive/deflate-pool.ts"));
  if (!pool || path.dirname(pool) !== ".") throw new Error(`build: the deflate pool landed in ${pool}, not in dist/ next to its worker`);
  fs.writeFileSync(path.join(dist, "build-meta.json"), `${JSON.stringify({ outputs }, null, 1)}\n`);
  writeNotices(repo, path.join(dist, "THIRD-PARTY-NOTICES.txt"), Object.keys(result.metafile.inputs));
}

await main();
