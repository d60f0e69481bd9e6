// Runs a cloud SDK bundled as one CommonJS file (dist/sdk/<cloud>.cjs) with V8's code cache
// (<file>.cache, written by `npm run build`). Measured on Node 20 (which has no
// module.enableCompileCache): the Aliyun and Tencent SDKs took 227 ms of CPU to load compiled
// from source as CommonJS and 138 ms from the cache, against ~265 ms as ESM chunks. A cache V8
// rejects (another Node version, changed flags) only costs the compile: the code is the same.
//
// Bundled into dist/app by scripts/build.mjs, which also uses it to write the caches.
import fs from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";

const loaded = new Map();

/** The id on a bundle's first line (`// layerctl build <id>`, written by scripts/build.mjs), or "". */
function buildId(source) {
  const stamp = /^\/\/ layerctl build ([0-9a-f]{16})\n/.exec(source);
  return stamp ? stamp[1] : "";
}

/**
 * The code cache of `file`, if it was made from this very build of it: V8 checks a cache against
 * its source's length only, so one left from another build of the same length would run that
 * build's code. (The same check as bin/layerctl's, which cannot import this module.)
 */
function cacheOf(file, source) {
  const id = buildId(source);
  if (!id) return undefined;
  let data;
  try {
    data = fs.readFileSync(`${file}.cache`);
  } catch {
    return undefined;
  }
  const header = id.length + 1;
  return data.length > header && data.toString("latin1", 0, header) === `${id}\n` ? data.subarray(header) : undefined;
}

/** module.exports of a CommonJS file, run once per process; `makeCache` writes its code cache after running it. */
export function runCommonJs(file, { makeCache = false } = {}) {
  if (loaded.has(file)) return loaded.get(file);
  const source = fs.readFileSync(file, "utf8");
  const cachedData = makeCache ? undefined : cacheOf(file, source);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  // After running, so the functions its start-up compiled are in the cache too.
  if (makeCache) fs.writeFileSync(`${file}.cache`, Buffer.concat([Buffer.from(`${buildId(source)}\n`), script.createCachedData()]));
  loaded.set(file, mod.exports);
  return mod.exports;
}

/** dist/sdk/<name>.cjs, from a dist/app chunk. Resolved through require, so import traces see it. */
export function loadSdk(name) {
  return runCommonJs(createRequire(import.meta.url).resolve(`../sdk/${name}.cjs`));
}
