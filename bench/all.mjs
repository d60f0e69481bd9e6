// `npm run bench`: every bench script in turn, each to its end; exits 1 if any missed a target.
// The start-up targets go first: they compare runs of ~30 ms, and the other scripts write and
// read hundreds of MB whose aftermath (write-back, memory reclaim) slows a shared machine's
// process start-up for a while after they end.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const failed = [];
for (const script of ["startup.mjs", "release.mjs", "checksums.mjs", "storage.mjs", "contents.mjs", "fleet.mjs"]) {
  const run = spawnSync(process.execPath, [path.join(here, script)], { stdio: "inherit" });
  if (run.status !== 0) failed.push(script);
}
if (failed.length) {
  console.log(`\nbench: ${failed.join(", ")} missed a target or failed`);
  process.exitCode = 1;
}
