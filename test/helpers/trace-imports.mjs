// Loaded with `node --import`: records every module the process loads into the file named by
// LAYERCTL_TRACE_IMPORTS, one per line, so tests can prove that SDKs are loaded lazily. Both
// loaders are traced: ESM imports (specifier and resolved URL, through a resolve hook: the bundle
// in dist/ is ESM, one file per chunk) and, at exit, every file in CommonJS's require.cache (a
// package left outside the bundle would be loaded from node_modules that way).
import { appendFileSync } from "node:fs";
import module from "node:module";

const file = process.env.LAYERCTL_TRACE_IMPORTS;
const record = (lines) => appendFileSync(file, lines.map((l) => `${l}\n`).join(""));

if (module.registerHooks) {
  // Node 22.15 and later: hooks on this thread, so every line is written before the CLI exits.
  module.registerHooks({
    resolve(specifier, context, nextResolve) {
      const result = nextResolve(specifier, context);
      record([specifier, result.url]);
      return result;
    },
  });
} else {
  // Node 20: the hooks run on a thread of their own and post each resolution here.
  const { port1, port2 } = new MessageChannel();
  port1.on("message", (line) => record([line]));
  port1.unref();
  module.register("./trace-imports-hook.mjs", { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
}

const require = module.createRequire(import.meta.url);
process.on("exit", () => record(Object.keys(require.cache)));
