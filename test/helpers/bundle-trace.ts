// The CLI runs bundled (scripts/build.mjs): a trace of loaded files names dist outputs, not the
// packages inside them. dist/build-meta.json lists each output's source files, so a trace can be
// read in terms of sources and packages again.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { REPO } from "./cli.js";

/** The trace's lines, followed by the source files of every dist output among them. */
export function withBundleSources(trace: string): string {
  const meta = JSON.parse(readFileSync(path.join(REPO, "dist/build-meta.json"), "utf8")) as { outputs: Record<string, string[]> };
  const files = new Set(trace.split("\n").map((l) => (l.startsWith("file:") ? fileURLToPath(l) : l)));
  const sources = Object.entries(meta.outputs)
    .filter(([out]) => files.has(path.join(REPO, "dist", out)))
    .flatMap(([, inputs]) => inputs);
  return [trace, ...sources].join("\n");
}
