// Modules of src/ built for a child Node process, for the tests whose subject is a fresh process
// (what importing an adapter loads, what it prints on stderr) and for the benchmarks of internal
// functions: Node 20 cannot run TypeScript, and dist/ is one bundle with no module per source file.
// Packages stay imports, so the child loads them from node_modules, where a test can see them in
// require.cache.
import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Builds `entries` (paths under src/, e.g. "providers/aws/index.ts") into one folder, split as
 * dist/ is (what src/ imports lazily is a chunk of its own, with the package imports it holds),
 * and returns their file: URLs in order. The folder is under node_modules/.cache (packages resolve
 * from the repo's node_modules; the repo's package.json makes .js ESM), one per set of entries,
 * rebuilt on every call.
 */
export async function sourceBundle(...entries) {
  const id = createHash("sha256").update(entries.join("\n")).digest("hex").slice(0, 12);
  const outdir = path.join(REPO, "node_modules/.cache/layerctl-sources", id);
  const points = entries.map((e) => ({ in: path.join(REPO, "src", e), out: e.replace(/\.ts$/, "").replaceAll("/", "-") }));
  await build({ entryPoints: points, outdir, bundle: true, splitting: true, format: "esm", platform: "node", target: "node20", packages: "external", logLevel: "error" });
  return points.map((p) => pathToFileURL(path.join(outdir, `${p.out}.js`)).href);
}
