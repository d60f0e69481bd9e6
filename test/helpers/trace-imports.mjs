// Loaded with `node --import`: records every module the process loads into the file named by
// LAYERCTL_TRACE_IMPORTS, one per line, so tests can prove that SDKs are loaded lazily. Both
// loaders are traced: ESM imports (specifier and resolved URL, through a resolve hook: the bundle
// in dist/ is ESM, one file per chunk) and, at exit, every file in CommonJS's require.cache (a
// package left outside the bundle would be loaded from node_modules that way).
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const file = process.env.LAYERCTL_TRACE_IMPORTS;
const { port1, port2 } = new MessageChannel();
port1.on("message", (line) => appendFileSync(file, line + "\n"));
port1.unref();
register("./trace-imports-hook.mjs", { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });

const require = createRequire(import.meta.url);
process.on("exit", () =>
  appendFileSync(
    file,
    Object.keys(require.cache)
      .map((f) => `${f}\n`)
      .join(""),
  ),
);
