// Bundles the CLI for start-up speed; runs after `tsc` (which type-checks and emits dist/ module
// by module, which the tests import). bin/layerctl runs what this writes:
//
//   dist/cli.cjs      the entry: src/cli.ts and commander, as CommonJS. Measured on Node 20: the
//                     same bundle as ESM costs ~10-15% more start-up (the ESM loader), so the one
//                     path every run takes stays CommonJS.
//   dist/shared.cjs   what both the entry and the lazy parts import (every source module cli.ts
//                     imports statically): one instance, so registered secrets,
//                     `instanceof` checks, symbols, temp-file lists and NO_COLOR settings are the
//                     same everywhere.
//   dist/app/*.js     everything cli.ts imports lazily, as ESM with shared chunks (commands,
//                     renderers, emulator, provider adapters), plus the deflate worker.
//   dist/build-meta.json  which source files each output holds (tests read it to prove that
//                     `--help` loads no SDK).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(repo, "dist");
const src = path.join(repo, "src");

/**
 * Imported by the entry and by lazy modules alike: built once into dist/shared.cjs. Every source
 * module the entry imports statically is added at build time (sharedSources). Values: module path.
 * (chalk is no longer here: only lazy renderers use it, through src/output/colors.ts, and loading
 * it at start-up loaded node:tty, net and stream for `--help`.)
 */
const SHARED = {};

// The cloud SDKs are bundled as one CommonJS file per cloud (dist/sdk/<cloud>.cjs), run with V8's
// code cache by bin/layerctl (through scripts/sdk-loader.mjs): a command loads only the SDKs of
// the providers it talks to. Measured on this machine (2 cores, Node 20), CPU to load the Aliyun
// and Tencent SDKs: 227 ms as one CommonJS file, 138 ms with its code cache, ~265 ms as ESM
// chunks, more from node_modules (thousands of module files; all three SDKs: 757 ms there
// against 387 ms as chunks).
// "module" before "main": the SDKs' ESM builds, which esbuild can trim. Keys: what the adapters
// import (a package, or aws/sdk.ts, which names the five Lambda commands it sends).
const SDK_BUNDLES = {
  aws: [path.join(src, "providers/aws/sdk.ts")],
  tencent: ["tencentcloud-sdk-nodejs-scf", "tencentcloud-sdk-nodejs-common"],
  aliyun: ["@alicloud/fc20230330", "@alicloud/openapi-core"],
};
const SDK_LOADER = path.join(repo, "scripts/sdk-loader.mjs");

// dist/cli.cjs and dist/shared.cjs run from V8's code cache (bin/layerctl), as scripts
// compiled by vm: their lazy import()s go through a function that the launcher provides, or a
// plain import() when the file is required as usual (routeLazyImports).
const ENTRY_BANNER = [
  'const __layerctlModuleUrl = require("node:url").pathToFileURL(__filename).href;',
  'const __layerctlImport = globalThis[Symbol.for("layerctl.import")] ?? ((spec) => import(spec));',
].join("\n");
const LAUNCHER = path.join(repo, "bin/layerctl");

const common = { bundle: true, mainFields: ["module", "main"], platform: "node", target: "node20", logLevel: "warning", legalComments: "none", metafile: true };
// Bundled CommonJS dependencies call require() for Node built-ins; ESM output has no require.
const esmRequire = 'import { createRequire as __layerctlRequire } from "node:module"; const require = __layerctlRequire(import.meta.url);';

/** Maps a source import to a SHARED id, if it names one. */
function sharedId(args) {
  if (!args.path.startsWith(".") || !args.resolveDir) return undefined;
  const abs = path.resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts");
  return Object.keys(SHARED).find((id) => SHARED[id] === abs);
}

/** Replaces imports of SHARED modules with views of dist/shared.cjs, required from `from`. */
function sharedPlugin(from, exportsOf) {
  return {
    name: "shared",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.path === from) return { path: from, external: true };
        const id = sharedId(args);
        return id ? { path: id, namespace: "shared" } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: "shared" }, (args) => {
        const names = exportsOf[args.path];
        const named = names.filter((n) => n !== "default");
        return {
          contents: [
            `const m = require(${JSON.stringify(from)})[${JSON.stringify(args.path)}];`,
            names.includes("default") ? "export default m.default;" : "",
            named.length ? `export const { ${named.join(", ")} } = m;` : "",
          ].join("\n"),
          loader: "js",
        };
      });
    },
  };
}

/** In the entry: every dynamic import of a source module becomes an import of dist/app/<name>.js. */
function lazyPlugin(entries) {
  return {
    name: "lazy",
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind !== "dynamic-import") return undefined;
        const abs = path.resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts");
        const name = path.relative(src, abs).replace(/\.ts$/, "").split(path.sep).join("-");
        entries[name] = abs;
        return { path: `./app/${name}.js`, external: true };
      });
    },
  };
}

/**
 * cli.ts ends in a top-level `await main()`, which CommonJS cannot hold. main() catches
 * everything itself, so calling it without the await changes nothing; the build fails if the
 * line is not there exactly once (cli.ts changed shape: adapt this).
 */
function entryPlugin() {
  return {
    name: "entry",
    setup(build) {
      build.onLoad({ filter: /[/\\]src[/\\]cli\.ts$/ }, (args) => {
        const text = fs.readFileSync(args.path, "utf8");
        const hits = text.match(/^await main\(\);$/gm)?.length ?? 0;
        if (hits !== 1) throw new Error(`src/cli.ts: expected one top-level "await main();" line, found ${hits}`);
        return { contents: text.replace(/^await main\(\);$/m, "void main();"), loader: "ts" };
      });
    },
  };
}

/**
 * commander requires node:child_process at load time, for executable sub-commands we do not
 * have; loading it (and the stream and net modules behind it) was a third of `--help`'s own
 * cost. It gets an object that loads the module on first use instead.
 */
function lazyBuiltinsPlugin() {
  return {
    name: "lazy-builtins",
    setup(build) {
      build.onResolve({ filter: /^node:child_process$/ }, (args) =>
        /[/\\]node_modules[/\\]commander[/\\]/.test(args.importer) ? { path: "child_process", namespace: "lazy-builtin" } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, (args) => ({
        contents: `let m; module.exports = new Proxy({}, { get: (_, key) => (m ??= require("node:${args.path}"))[key] });`,
        loader: "js",
      }));
    },
  };
}

/** Every import("./app/...") of an entry bundle goes through __layerctlImport (ENTRY_BANNER). */
function routeLazyImports(file) {
  const text = fs.readFileSync(file, "utf8");
  const routed = text.replaceAll('import("./app/', '__layerctlImport("./app/');
  const left = routed.match(/\bimport\(/g)?.length ?? 0;
  // The banner's fallback is the one import() left.
  if (left !== 1) throw new Error(`build: ${path.basename(file)} has ${left - 1} import() calls that do not load dist/app`);
  fs.writeFileSync(file, routed);
}

/**
 * Puts `// layerctl build <id>` (a hash of the bundle) on its first line; its code cache starts
 * with the same id and is used with this build only (bin/layerctl loads them all): V8
 * itself checks a cache against the source's length alone.
 */
function stampBuild(file) {
  const text = fs.readFileSync(file, "utf8");
  const id = createHash("sha256").update(text).digest("hex").slice(0, 16);
  fs.writeFileSync(file, `// layerctl build ${id}\n${text}`);
}

/**
 * Writes code caches through bin/layerctl's own loader, in a child process that exits once `code`
 * has run (the caches are written then, so the functions the run compiled are in them).
 */
function writeCodeCaches(code, args, files) {
  const run = spawnSync(process.execPath, ["-e", code, "--", ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  if (run.status !== 0) throw new Error(`build: writing code caches failed:\n${run.stderr}`);
  for (const file of files) {
    if (!fs.existsSync(`${file}.cache`)) throw new Error(`build: no code cache was written for ${path.relative(repo, file)}`);
  }
}

/** dist/{cli,shared}.cjs.cache, from one `layerctl --help` run. */
function writeEntryCaches() {
  const cli = path.join(dist, "cli.cjs");
  const code = `process.argv.splice(1, 0, "layerctl"); require(${JSON.stringify(LAUNCHER)}).runCached(${JSON.stringify(cli)}, { writeCache: true });`;
  writeCodeCaches(code, ["--help"], [cli, path.join(dist, "shared.cjs")]);
}

/** Source modules src/cli.ts imports statically (at any depth): these go to dist/shared.cjs. */
async function sharedSources() {
  const probe = await esbuild.build({
    ...common,
    entryPoints: [path.join(src, "cli.ts")],
    format: "cjs",
    write: false,
    packages: "external",
    logLevel: "error",
    outfile: path.join(dist, "probe.cjs"),
    plugins: [entryPlugin(), lazyPlugin({})],
  });
  return Object.keys(probe.metafile.inputs)
    .filter((i) => i.startsWith("src/") && i !== "src/cli.ts")
    .sort();
}

/** In dist/app: every import of an SDK (SDK_BUNDLES) becomes a view of its dist/sdk bundle. */
function sdkPlugin(exportsOf) {
  const bundleOf = (spec) => Object.keys(SDK_BUNDLES).find((name) => SDK_BUNDLES[name].includes(spec));
  return {
    name: "sdk",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.namespace === "sdk") return undefined;
        const spec = args.path.startsWith(".") && args.resolveDir ? path.resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts") : args.path;
        const name = bundleOf(spec);
        return name ? { path: spec, namespace: "sdk", pluginData: { name } } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: "sdk" }, (args) => {
        const names = exportsOf[args.pluginData.name][args.path].filter((n) => n !== "default" && n !== "__esModule" && /^[A-Za-z_$][\w$]*$/.test(n));
        return {
          contents: [
            `import { loadSdk } from ${JSON.stringify(SDK_LOADER)};`,
            `const m = loadSdk(${JSON.stringify(args.pluginData.name)})[${JSON.stringify(args.path)}];`,
            // As Node's ESM import of CommonJS: the default export is module.exports.
            "export default m;",
            names.length ? `export const { ${names.join(", ")} } = m;` : "",
          ].join("\n"),
          resolveDir: repo,
          loader: "js",
        };
      });
    },
  };
}

/**
 * A package a dependency requires but that is not installed (ali-oss's urllib requires
 * proxy-agent only when a proxy is configured) stays a plain require: it fails when, and only
 * when, that code runs, as it would from node_modules.
 */
function missingPackagesPlugin() {
  return {
    name: "missing-packages",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.probing || args.path.startsWith("node:")) return undefined;
        const found = await build.resolve(args.path, {
          resolveDir: args.resolveDir,
          kind: args.kind,
          importer: args.importer,
          namespace: args.namespace,
          pluginData: { probing: true },
        });
        return found.errors.length > 0 ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

/** Builds dist/sdk/<cloud>.cjs and its code cache; returns each bundle's export names per import. */
async function buildSdks() {
  const exportsOf = {};
  const files = [];
  const metafiles = [];
  for (const [name, specs] of Object.entries(SDK_BUNDLES)) {
    const file = path.join(dist, "sdk", `${name}.cjs`);
    const built = await esbuild.build({
      ...common,
      stdin: {
        contents: `module.exports = { ${specs.map((s) => `${JSON.stringify(s)}: require(${JSON.stringify(s)})`).join(", ")} };`,
        resolveDir: repo,
        sourcefile: `sdk-${name}.js`,
      },
      format: "cjs",
      outfile: file,
      plugins: [missingPackagesPlugin()],
      // No import() left in the bundle (the SDKs load node:http and node:async_hooks so): a
      // script run by vm has no module loader for it once it comes from the code cache.
      supported: { "dynamic-import": false },
    });
    metafiles.push(built.metafile);
    stampBuild(file);
    files.push(file);
    quietAwsSdk();
    const loaded = createRequire(import.meta.url)(file);
    exportsOf[name] = Object.fromEntries(specs.map((s) => [s, Object.keys(loaded[s])]));
  }
  const load = (file) => `launcher.loadCached(${JSON.stringify(file)}, { writeCache: true });`;
  writeCodeCaches(`const launcher = require(${JSON.stringify(LAUNCHER)}); ${files.map(load).join(" ")}`, [], files);
  return { exportsOf, metafiles };
}

/** The AWS SDK warns on stderr about Node 20 when a client is made; nothing is made here, but be sure. */
function quietAwsSdk() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
}

function inputsOf(metafile) {
  return Object.fromEntries(
    Object.entries(metafile.outputs)
      .filter(([file]) => !file.endsWith(".map"))
      .map(([file, out]) => [path.relative(dist, path.resolve(repo, file)).split(path.sep).join("/"), Object.keys(out.inputs)]),
  );
}

async function main() {
  for (const stale of ["cli.cjs", "cli.cjs.cache", "shared.cjs", "shared.cjs.cache", "app", "sdk", "build-meta.json"])
    fs.rmSync(path.join(dist, stale), { recursive: true, force: true });

  for (const [i, file] of (await sharedSources()).entries()) SHARED[`src${i}`] = path.join(repo, file);
  // What the entry and the shared modules import lazily: the entry points of dist/app.
  const lazy = {};
  const shared = await esbuild.build({
    ...common,
    stdin: {
      contents: Object.entries(SHARED)
        .map(([id, file]) => `export * as ${id} from ${JSON.stringify(file)};`)
        .join("\n"),
      resolveDir: repo,
      sourcefile: "shared-entry.ts",
      loader: "ts",
    },
    format: "cjs",
    outfile: path.join(dist, "shared.cjs"),
    plugins: [lazyPlugin(lazy)],
    define: { "import.meta.url": "__layerctlModuleUrl" },
    banner: { js: ENTRY_BANNER },
  });
  const sharedModule = createRequire(import.meta.url)(path.join(dist, "shared.cjs"));
  const exportsOf = Object.fromEntries(Object.keys(SHARED).map((id) => [id, Object.keys(sharedModule[id])]));

  const cli = await esbuild.build({
    ...common,
    entryPoints: [path.join(src, "cli.ts")],
    format: "cjs",
    outfile: path.join(dist, "cli.cjs"),
    plugins: [entryPlugin(), lazyBuiltinsPlugin(), sharedPlugin("./shared.cjs", exportsOf), lazyPlugin(lazy)],
    define: { "import.meta.url": "__layerctlModuleUrl" },
    banner: { js: ENTRY_BANNER },
  });

  for (const file of ["shared.cjs", "cli.cjs"]) {
    routeLazyImports(path.join(dist, file));
    stampBuild(path.join(dist, file));
  }
  writeEntryCaches();

  const sdks = await buildSdks();
  const app = await esbuild.build({
    ...common,
    entryPoints: lazy,
    format: "esm",
    splitting: true,
    outdir: path.join(dist, "app"),
    entryNames: "[name]",
    chunkNames: "chunk-[hash]",
    plugins: [sharedPlugin("../shared.cjs", exportsOf), sdkPlugin(sdks.exportsOf), missingPackagesPlugin()],
    banner: { js: esmRequire },
  });

  // deflate-pool.ts starts `new URL("./deflate-worker.js", import.meta.url)`: dist/app is flat,
  // so the worker must sit in dist/app whichever chunk holds the pool.
  const worker = await esbuild.build({
    ...common,
    entryPoints: [path.join(src, "archive/deflate-worker.ts")],
    format: "esm",
    outfile: path.join(dist, "app/deflate-worker.js"),
    banner: { js: esmRequire },
  });

  const outputs = Object.assign({}, ...[shared, cli, app, worker].map((b) => inputsOf(b.metafile)), ...sdks.metafiles.map(inputsOf));
  const pool = Object.entries(outputs).find(([, inputs]) => inputs.includes("src/archive/deflate-pool.ts"));
  if (!pool || path.dirname(pool[0]) !== "app") throw new Error(`build: the deflate pool landed in ${pool?.[0]}, not in dist/app next to its worker`);

  // One instance of every module: nothing may be bundled into both the entry and the lazy part.
  const cliInputs = new Set(inputsOf(cli.metafile)["cli.cjs"].filter((i) => !i.startsWith("shared:")));
  const twice = Object.entries(inputsOf(app.metafile)).flatMap(([, inputs]) => inputs.filter((i) => cliInputs.has(i)));
  if (twice.length) throw new Error(`build: bundled into both dist/cli.cjs and dist/app: ${[...new Set(twice)].join(", ")} (add them to SHARED)`);

  fs.writeFileSync(path.join(dist, "build-meta.json"), JSON.stringify({ outputs }, null, 1) + "\n");
}

await main();
