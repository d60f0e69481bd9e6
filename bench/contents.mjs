// The contents check's cost (issue #21): `pack` of a real node_modules tree with the check against
// the same pack with --no-check, in alternated pairs; the process exits 1 when the check adds more
// than 5% to pack's wall time. The target is judged on the fastest run of each kind: on a shared
// machine a run is only ever slowed down by others, so the fastest is the closest to the work's
// own cost. CPU time (user + system, from GNU time where it is installed) must meet it too.
//
//   npm run bench                    (all benches; builds dist/ first)
//   node bench/contents.mjs          (this one; BENCH_RUNS=9 for more runs, default 7)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./report.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const work = path.join(here, ".work");
const BIN = path.join(repo, "bin/layerctl");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const LIMIT = 1.05;

/** The same copy of this repo's node_modules as bench/release.mjs uses (made once, reused). */
function nodeModulesCopy() {
  const dir = path.join(work, "node_modules-copy");
  if (fs.existsSync(path.join(dir, ".complete"))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(repo, "node_modules"), dir, { recursive: true, verbatimSymlinks: true, filter: (src) => !/[/\\]node_modules[/\\]\.(vite|cache)([/\\]|$)/.test(src) });
  fs.writeFileSync(path.join(dir, ".complete"), "");
  return dir;
}

const timeBin = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Wall ms, CPU ms (user + system, NaN without GNU time) and the zip's sha256. */
function packMs(tree, out, extra) {
  const args = [BIN, "pack", tree, "-o", out, "--prefix", "nodejs/node_modules", "--output", "json", ...extra];
  const [cmd, argv] = timeBin ? [timeBin, ["-f", "%U %S", process.execPath, ...args]] : [process.execPath, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`pack ${extra.join(" ")} exited ${r.status}: ${r.stderr}`);
  const cpu = timeBin ? r.stderr.trim().split("\n").pop().split(" ").map(Number) : [NaN, NaN];
  return { ms, cpuMs: (cpu[0] + cpu[1]) * 1000, sha256: JSON.parse(r.stdout).sha256 };
}

if (!fs.existsSync(path.join(repo, "dist/cli.cjs"))) {
  console.error("bench: dist/ is missing; run `npm run build` first");
  process.exit(2);
}
fs.mkdirSync(path.join(work, "out"), { recursive: true });
const tree = nodeModulesCopy();
const out = path.join(work, "out/contents.zip");
// The check for a real target (every ELF file judged for Node.js 20 on x86_64), against none.
const checked = ["-p", "aws", "--runtime", "nodejs20", "--arch", "x86_64"];
const unchecked = ["--no-check"];
packMs(tree, out, checked); // warm the page cache
const t = { checked: [], unchecked: [], cpu: { checked: [], unchecked: [] } };
const shas = new Set();
for (let i = 0; i < RUNS; i++) {
  // Alternated, and in both orders, so a slow spell of a shared machine falls on both.
  const pair = i % 2 === 0 ? [checked, unchecked] : [unchecked, checked];
  const got = {};
  for (const args of pair) {
    const r = packMs(tree, out, args);
    const kind = args === checked ? "checked" : "unchecked";
    got[kind] = r.ms;
    t.cpu[kind].push(r.cpuMs);
    shas.add(r.sha256);
  }
  t.checked.push(got.checked);
  t.unchecked.push(got.unchecked);
}
const min = (xs) => Math.min(...xs);
const ratio = min(t.checked) / min(t.unchecked);
const files = spawnSync("find", [tree, "-type", "f"], { encoding: "utf8" }).stdout.split("\n").length - 1;
// CPU time is the steadier figure on a busy machine (others' load stretches wall time, not it): both must meet the target.
const cpuRatio = timeBin ? median(t.cpu.checked) / median(t.cpu.unchecked) : NaN;
const ok = ratio <= LIMIT && (!timeBin || cpuRatio <= LIMIT);
console.log(`contents check (issue #21): ${process.version}, ${RUNS} alternated pairs, ${files} files`);
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `${ok ? "ok    " : "MISSED"} pack wall, with the check / --no-check, node_modules: ${ratio.toFixed(3)}x (target <= ${LIMIT}x)  fastest ${s(min(t.checked))} vs ${s(min(t.unchecked))}`,
);
console.log(
  `       medians ${s(median(t.checked))} vs ${s(median(t.unchecked))}${timeBin ? `; CPU (user+sys) medians ${s(median(t.cpu.checked))} vs ${s(median(t.cpu.unchecked))} (${cpuRatio.toFixed(3)}x, target <= ${LIMIT}x)` : ""}`,
);
console.log(shas.size === 1 ? "       same zip bytes with and without the check" : "MISSED the check changed the zip's bytes");
if (!ok || shas.size !== 1) process.exitCode = 1;
