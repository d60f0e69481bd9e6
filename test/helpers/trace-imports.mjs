// Loaded with `node --import`: records every module specifier the process resolves into the file
// named by LAYERCTL_TRACE_IMPORTS, so tests can prove that SDKs are loaded lazily.
import { register } from "node:module";
import { appendFileSync } from "node:fs";

const file = process.env.LAYERCTL_TRACE_IMPORTS;
const { port1, port2 } = new MessageChannel();
port1.on("message", (spec) => appendFileSync(file, spec + "\n"));
port1.unref();
register("./trace-imports-hook.mjs", { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
