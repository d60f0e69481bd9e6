// Loaded with `node --import`: records every module the process loads into the file named by
// LAYERCTL_TRACE_IMPORTS, one per line, so tests can prove that SDKs are loaded lazily. Both
// loaders are traced: ESM imports (specifier and resolved URL, through a resolve hook) and
// CommonJS require() (resolved file name): the bundled CLI's entry is CommonJS, run by vm.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const file = process.env.LAYERCTL_TRACE_IMPORTS;
const { port1, port2 } = new MessageChannel();
port1.on("message", (line) => appendFileSync(file, line + "\n"));
port1.unref();
register("./trace-imports-hook.mjs", { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });

const require = createRequire(import.meta.url);
// bin/layerctl runs the entry bundles through vm (from V8's code cache), not require: trace
// the files it compiles too.
const vm = require("node:vm");
const Script = vm.Script;
vm.Script = class extends Script {
  constructor(code, options) {
    super(code, options);
    if (typeof options?.filename === "string") appendFileSync(file, options.filename + "\n");
  }
};

const Module = require("node:module");
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const resolved = resolveFilename.apply(this, args);
  appendFileSync(file, resolved + "\n");
  return resolved;
};
