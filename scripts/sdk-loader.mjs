// Loads a cloud SDK bundled as one CommonJS file (dist/sdk/<cloud>.cjs). Run by bin/layerctl, it
// comes from V8's code cache through the launcher's loader (<file>.cache, written by `npm run
// build`; used only with the build it was made from). Measured on Node 20 (which has no
// module.enableCompileCache): the Aliyun and Tencent SDKs took 227 ms of CPU to load compiled
// from source as CommonJS and 138 ms from the cache, against ~265 ms as ESM chunks.
//
// Bundled into dist/app by scripts/build.mjs.
import { createRequire } from "node:module";

const LOAD = Symbol.for("layerctl.load");
const requireHere = createRequire(import.meta.url);

/** dist/sdk/<name>.cjs, from a dist/app chunk. Resolved through require, so import traces see it. */
export function loadSdk(name) {
  const file = requireHere.resolve(`../sdk/${name}.cjs`);
  // Not started by bin/layerctl (no launcher loader): an ordinary require, compiled from source.
  const load = globalThis[LOAD];
  return load ? load(file) : requireHere(file);
}
