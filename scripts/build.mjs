// `npm run build`: the CLI bundled by esbuild into dist/, which bin/layerctl runs. Type-checking is
// `npm run typecheck`; nothing else is emitted. Two builds, so that a run loads one file before it
// knows its command (CommonJS, which Node loads without starting its ES module loader: on Node 20
// and 22 that loader alone costs more than commander) and the rest only when it is needed:
//
//   dist/cli.cjs           the start-up file: src/cli.ts and everything it imports statically
//                          (commander, the command table, the provider names), CommonJS, unsplit.
//                          Each `import()` in it names a file of the lazy build, dist/<name>.js
//                          for src/.../<name>.ts; those files are the lazy build's entry points.
//   dist/<name>.js         the lazy build, ESM, split at every `import()`: each command, adapter
//   dist/chunk-*.js        part and SDK is a chunk loaded when it is first needed (code shared by
//                          several is a chunk of its own). Nothing here lists the SDKs: a new
//                          `await import("x")` becomes its own chunk by itself.
//   dist/deflate-worker.js the zip writer's worker thread (src/archive/deflate-pool.ts starts it
//                          from beside itself: dist/ is flat).
//   dist/build-meta.json   which source files each output holds (the start-up tests read it to
//                          prove what `--help` and a publish load).
//   dist/THIRD-PARTY-NOTICES.txt  the licence of every package bundled into dist/.
//
// A source file in both builds would be two modules with two states (two redaction lists, two
// error classes that `instanceof` tells apart), so the build fails when one is, unless it is in
// COPIED_AT_START_UP (data and pure functions). It also fails, naming the culprit, when a package
// other than START_UP_PACKAGES would be in dist/cli.cjs, or when an import cannot be resolved
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

/** Packages dist/cli.cjs may hold: what every run loads (everything else is imported lazily, by what needs it). */
const START_UP_PACKAGES = ["commander"];

/**
 * Sources that dist/cli.cjs and the lazy build may each hold a copy of, because they keep no state
 * (constants, and functions of their arguments): two copies behave as one. Anything else that
 * src/cli.ts shares with the commands it imports with import() (src/errors.ts, output/redact.ts).
 */
const COPIED_AT_START_UP = [
  /^src\/commands\/index\.ts$/, // the command table: names, summaries and each command's import()
  /^src\/commands\/shared\/target-options\.ts$/,
  /^src\/providers\/names\.ts$/,
  /^src\/providers\/[^/]+\/(about|limits)\.ts$/,
];

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

// Bundled CommonJS packages call require() for Node's built-ins, which ESM has not: each file of
// the lazy build gets one, made for that file.
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

/**
 * The start-up build's `import()`s: each becomes an import of dist/<name>.js (beside dist/cli.cjs),
 * and its source file an entry point of the lazy build (collected in `entries`, name -> path).
 */
function lazyEntries(entries) {
  return {
    name: "lazy-entries",
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== "dynamic-import" || args.pluginData === "lazy-entries") return undefined;
        const found = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: "lazy-entries" });
        if (found.errors.length > 0) return { errors: found.errors };
        if (found.external) return { path: found.path, external: true };
        const name = path.basename(found.path).replace(/\.[^.]+$/, "");
        if (entries[name] !== undefined && entries[name] !== found.path) {
          throw new Error(
            `build: ${path.relative(repo, entries[name])} and ${path.relative(repo, found.path)} are both imported lazily from start-up code and would both be dist/${name}.js: rename one`,
          );
        }
        entries[name] = found.path;
        return { path: `./${name}.js`, external: true };
      });
    },
  };
}

/** Output file (relative to dist/) -> the source files in it, as repo-relative paths. */
function inputsOf(metafile) {
  return Object.fromEntries(
    Object.entries(metafile.outputs)
      .filter(([file]) => !file.endsWith(".map"))
      .map(([file, out]) => [path.relative(dist, path.resolve(repo, file)).split(path.sep).join("/"), Object.keys(out.inputs)]),
  );
}

/** Fails the build when dist/cli.cjs holds a package outside START_UP_PACKAGES. */
function checkStartUp(metafile) {
  for (const input of Object.keys(metafile.inputs)) {
    const pkg = packageOf(input);
    if (pkg && !START_UP_PACKAGES.includes(pkg)) {
      throw new Error(
        `build: ${pkg} would load at start-up (${input}, reached from src/cli.ts by static imports); import it lazily (await import(...)) where it is needed, or add it to START_UP_PACKAGES in scripts/build.mjs if every run really needs it`,
      );
    }
  }
}

/**
 * Fails the build when a module is in both dist/cli.cjs and the lazy build (two copies, two
 * states), unless it is in COPIED_AT_START_UP.
 */
function checkCopies(startUp, lazy) {
  const inLazy = new Map();
  for (const [file, inputs] of Object.entries(inputsOf(lazy))) for (const input of inputs) inLazy.set(input, file);
  for (const input of Object.keys(startUp.inputs)) {
    if (!inLazy.has(input) || COPIED_AT_START_UP.some((re) => re.test(input))) continue;
    throw new Error(
      `build: ${input} would be both in dist/cli.cjs and in dist/${inLazy.get(input)}, two copies with two states; in start-up code (src/cli.ts), import it with await import(...) where it is used, or, if it holds no state at all, add it to COPIED_AT_START_UP in scripts/build.mjs`,
    );
  }
}

/** Fails the build when an output imports a package that is not bundled (nothing is installed beside dist/). */
function checkExternals(metafile, lazyFiles) {
  for (const [file, out] of Object.entries(metafile.outputs)) {
    for (const imp of out.imports) {
      if (!imp.external || imp.path.startsWith("node:") || imp.path in OPTIONAL_MISSING || lazyFiles.has(imp.path)) continue;
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
function checkDependencies(inputs) {
  const { dependencies = {} } = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8"));
  const bundled = new Set(inputs.map(packageOf).filter(Boolean));
  const twice = Object.keys(dependencies).filter((name) => bundled.has(name));
  if (twice.length) throw new Error(`build: ${twice.join(", ")} bundled into dist/: move ${twice.length > 1 ? "them" : "it"} from dependencies to devDependencies in package.json`);
}

async function main() {
  fs.rmSync(dist, { recursive: true, force: true });
  const common = {
    absWorkingDir: repo,
    outdir: dist,
    entryNames: "[name]",
    bundle: true,
    platform: "node",
    target: "node20",
    // The packages' ESM builds first: esbuild drops what is never used from them.
    mainFields: ["module", "main"],
    legalComments: "none",
    // No whitespace and no comments (names are kept, so are stack traces' function names). esbuild
    // escapes what is not ASCII in strings, but keeps some comments as they are, and one character
    // beyond Latin-1 in a comment makes V8 hold the whole file as two-byte text: Node then hashes
    // it for the compile cache by converting it back to UTF-8. Measured on Node 24 (instructions,
    // valgrind): a three-cloud `versions` 1235M -> 1118M, `--help` 104.6M -> 103.2M.
    minifyWhitespace: true,
    metafile: true,
    logLevel: "warning",
  };
  /** Name in dist/ (without .js) -> source file, for every file the start-up code imports lazily. */
  const entries = {};
  const startUp = await esbuild.build({
    ...common,
    entryPoints: { cli: path.join(repo, "src/cli.ts") },
    outExtension: { ".js": ".cjs" },
    format: "cjs",
    plugins: [lazyEntries(entries), optionalMissing, lazyChildProcess],
  });
  if (entries["deflate-worker"] !== undefined) throw new Error("build: dist/deflate-worker.js is the zip writer's worker; rename what start-up code imports by that name");
  const lazy = await esbuild.build({
    ...common,
    entryPoints: { ...entries, "deflate-worker": path.join(repo, "src/archive/deflate-worker.ts") },
    chunkNames: "[name]-[hash]",
    splitting: true,
    format: "esm",
    banner: { js: REQUIRE_SHIM },
    plugins: [optionalMissing, requiredBuiltins],
  });
  const lazyFiles = new Set(Object.keys(entries).map((name) => `./${name}.js`));
  checkExternals(startUp.metafile, lazyFiles);
  checkExternals(lazy.metafile, new Set());
  const inputs = [...Object.keys(startUp.metafile.inputs), ...Object.keys(lazy.metafile.inputs)];
  checkDependencies(inputs);
  checkStartUp(startUp.metafile);
  checkCopies(startUp.metafile, lazy.metafile);
  const outputs = { ...inputsOf(startUp.metafile), ...inputsOf(lazy.metafile) };
  // src/archive/deflate-pool.ts starts `new URL("./deflate-worker.js", import.meta.url)`.
  const pool = Object.keys(outputs).find((out) => outputs[out].includes("src/archive/deflate-pool.ts"));
  if (!pool || path.dirname(pool) !== ".") throw new Error(`build: the deflate pool landed in ${pool}, not in dist/ next to its worker`);
  fs.writeFileSync(path.join(dist, "build-meta.json"), `${JSON.stringify({ outputs }, null, 1)}\n`);
  writeNotices(repo, path.join(dist, "THIRD-PARTY-NOTICES.txt"), inputs);
}

await main();
