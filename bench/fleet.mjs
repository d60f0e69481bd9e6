// Fleet targets (issue #22). Every figure is a ratio to a baseline measured in the same run
// (alternated runs, medians), or a memory ceiling; the process exits 1 when a target is missed.
//
//   npm run bench                                (all scripts; this one is bench/fleet.mjs)
//   BENCH_ONLY=fleet,status node bench/fleet.mjs (sections: fleet, fleetmem, status, copy)
//   BENCH_RUNS=5 ...                             (alternated runs per figure; default 3)
//
// The clouds are emulated by one `layerctl emulate` process per cloud (./emulators.mjs; 200 ms
// latency on every call, Tencent publish delay 500 ms), and layerctl runs as a child, so its wall
// time, CPU time and peak RSS (GNU time) are its own; every baseline is measured against the same
// processes, the same way, as the figure it is compared with. "Every region
// we know" is each provider's list in src/providers/<cloud>/regions.ts (20 Tencent + 38 AWS + 21
// Aliyun = 79 targets today). Timings on a shared machine are noisy: the load is printed first.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulators } from "./emulators.mjs";
import { cliEnv } from "./env.mjs";
import { sourceBundle } from "../test/helpers/source-bundle.mjs";
import { median, fmtS, fmtMiB, report, finish } from "./report.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const work = path.join(here, ".work");
const BIN = path.join(repo, "bin/layerctl");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",")) : null;
const timeBin = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Runs layerctl to completion: wall ms, CPU ms (user + system), peak RSS KiB, stdout. */
function layerctl(args, env, { check = true } = {}) {
  const full = timeBin ? [timeBin, ["-f", "%M %U %S", process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0], full[1], { env, cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const lines = stderr.trimEnd().split("\n");
      const [rssKiB, user, sys] = timeBin ? lines.pop().split(" ").map(Number) : [Number.NaN, Number.NaN, Number.NaN];
      if (check && code !== 0) reject(new Error(`layerctl ${args.join(" ")} exited ${code}:\n${lines.join("\n")}`));
      else resolve({ ms, cpuMs: (user + sys) * 1000, rssKiB, stdout, code });
    });
  });
}

/** A layer folder whose zip is about `mb` MB: incompressible bytes plus some text. */
function layerDir(name, mb) {
  const dir = path.join(work, name);
  if (fs.existsSync(path.join(dir, ".complete"))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "lib"), { recursive: true });
  fs.writeFileSync(path.join(dir, "lib/blob.bin"), randomBytes(Math.round(mb * 1024 * 1024)));
  fs.writeFileSync(path.join(dir, "lib/index.js"), "module.exports = 1;\n".repeat(2000));
  fs.writeFileSync(path.join(dir, ".complete"), "");
  return dir;
}

async function startEmulator() {
  const emu = await startEmulators(["--publish-delay", "500", "--fault", "*:*:latency::200"]);
  return { emu, env: cliEnv(emu.env) };
}

/** Every region layerctl knows, per provider (its own lists, not an `all` listing). */
async function knownRegions() {
  const { providers } = await import((await sourceBundle("providers/index.ts"))[0]);
  return Object.fromEntries(["tencent", "aws", "aliyun"].map((p) => [p, [...providers[p].regions]]));
}

function targetArgs(spec) {
  const providers = Object.keys(spec);
  return ["-p", providers.join(","), "-r", providers.flatMap((p) => spec[p].map((r) => `${p}:${r}`)).join(",")];
}

const count = (spec) => Object.values(spec).reduce((n, rs) => n + rs.length, 0);
const singles = (spec) => Object.keys(spec).map((p) => ({ [p]: [spec[p][0]] }));

/** A run of layerctl with the CPU seconds the emulators spent meanwhile (emuCpuMs). */
async function measured(emu, run) {
  const before = await emu.cpuSeconds();
  const r = await run();
  return { ...r, emuCpuMs: ((await emu.cpuSeconds()) - before) * 1000 };
}

const fmtCpu = (runs) => `layerctl CPU ${fmtS(median(runs.map((r) => r.cpuMs)))}, emulators CPU ${fmtS(median(runs.map((r) => r.emuCpuMs)))}`;

/** The slowest of the single-target runs of one round. */
const slowest = (runs) => runs.reduce((a, b) => (b.ms > a.ms ? b : a));

// ---- every region of the three clouds: wall against the slowest single target -------------------
async function fleet() {
  const spec = await knownRegions();
  const layer = layerDir("layer-0.4mb", 0.3);
  const { emu, env } = await startEmulator();
  const publish = (name, s) => measured(emu, () => layerctl(["publish", layer, "-n", name, "--runtime", "python3.10", ...targetArgs(s), "--output", "json"], env));
  const t = { single: [], fleet: [] };
  try {
    for (let i = 0; i < RUNS; i++) {
      const each = [];
      for (const s of singles(spec)) each.push(await publish(`fleet-single-${Object.keys(s)[0]}-${i}`, s));
      t.single.push(slowest(each));
      const run = await publish(`fleet-${i}`, spec);
      const results = JSON.parse(run.stdout).results;
      if (results.length !== count(spec) || results.some((r) => r.status !== "published")) throw new Error("fleet publish: not every target published");
      t.fleet.push(run);
    }
  } finally {
    await emu.close();
  }
  const ms = (runs) => median(runs.map((r) => r.ms));
  report(
    `fleet publish: ${count(spec)} targets / slowest single target (pack included)`,
    ms(t.fleet) / ms(t.single),
    1.25,
    `${fmtS(ms(t.fleet))} vs ${fmtS(ms(t.single))} (~300 KiB layer)`,
  );
  console.log(`       fleet: ${fmtCpu(t.fleet)}; slowest single: ${fmtCpu(t.single)}`);
}

// ---- a 10 MB zip to every region: peak RSS ---------------------------------------------------------
async function fleetMemory() {
  if (!timeBin) return console.log("skip   fleet memory: /usr/bin/time (GNU time) not found");
  const spec = await knownRegions();
  const layer = layerDir("layer-10mb", 10);
  const { emu, env } = await startEmulator();
  const runs = [];
  try {
    for (let i = 0; i < Math.min(RUNS, 2); i++) {
      runs.push(await measured(emu, () => layerctl(["publish", layer, "-n", `fleet-10mb-${i}`, "--runtime", "python3.10", ...targetArgs(spec), "--output", "json"], env)));
    }
  } finally {
    await emu.close();
  }
  const limitMiB = 300;
  const rss = median(runs.map((r) => r.rssKiB));
  report(
    `fleet memory: 10 MiB zip to ${count(spec)} targets, peak RSS / ${limitMiB} MiB`,
    rss / 1024 / limitMiB,
    1,
    `${fmtMiB(rss)} (wall ${fmtS(median(runs.map((r) => r.ms)))}; ${fmtCpu(runs)})`,
  );
}

// ---- status over every region: against the slowest single target's two reads -----------------------
async function status() {
  const spec = await knownRegions();
  const layer = layerDir("layer-0.4mb", 0.3);
  const { emu, env } = await startEmulator();
  const name = "fleet-status";
  const t = { single: [], fleet: [] };
  try {
    // Half the regions hold the layer, so both reads are made where there is a version.
    const half = Object.fromEntries(Object.entries(spec).map(([p, rs]) => [p, rs.filter((_, i) => i % 2 === 0)]));
    await layerctl(["publish", layer, "-n", name, "--runtime", "python3.10", ...targetArgs(half), "--output", "json"], env);
    const statusOf = (s) => measured(emu, () => layerctl(["status", layer, "-n", name, ...targetArgs(s), "--output", "json"], env, { check: false }));
    for (let i = 0; i < RUNS; i++) {
      const each = [];
      for (const s of singles(spec)) each.push(await statusOf(s));
      t.single.push(slowest(each));
      const run = await statusOf(spec);
      if (run.code !== 3 || JSON.parse(run.stdout).layers[0].targets.length !== count(spec)) throw new Error(`status over the fleet: exit ${run.code}`);
      t.fleet.push(run);
    }
  } finally {
    await emu.close();
  }
  const ms = (runs) => median(runs.map((r) => r.ms));
  report(`status: ${count(spec)} targets / slowest single target (its two reads)`, ms(t.fleet) / ms(t.single), 1.5, `${fmtS(ms(t.fleet))} vs ${fmtS(ms(t.single))}`);
  console.log(`       fleet: ${fmtCpu(t.fleet)}; slowest single: ${fmtCpu(t.single)}`);
}

// ---- copy of a 40 MB version to 6 targets: streamed, and against a download plus one publish ---------
async function copy() {
  const dir = layerDir("layer-40mb", 40);
  const zip = path.join(work, "out/layer-40mb.zip");
  fs.mkdirSync(path.dirname(zip), { recursive: true });
  const { emu, env } = await startEmulator();
  if (!fs.existsSync(zip)) await layerctl(["pack", dir, "-o", zip], env);
  // Tencent takes at most 20 MB inline: the six targets are AWS and Aliyun regions.
  const to = ["aws:eu-west-1", "aws:us-west-2", "aws:ap-northeast-1", "aliyun:cn-hangzhou", "aliyun:cn-shanghai", "aliyun:cn-beijing"];
  const t = { copy: [], download: [], publish: [] };
  try {
    await layerctl(["publish", zip, "-n", "big", "--runtime", "python3.10", "-p", "aws", "-r", "us-east-1", "--output", "json"], env);
    for (let i = 0; i < RUNS; i++) {
      const out = path.join(work, "out/copy-download.zip");
      t.download.push(await measured(emu, () => layerctl(["download", "big:1", "-p", "aws", "-r", "us-east-1", "-o", out, "--output", "json"], env)));
      const each = [];
      for (const target of ["aws:eu-west-1", "aliyun:cn-hangzhou"]) {
        const [p, r] = target.split(":");
        each.push(await measured(emu, () => layerctl(["publish", zip, "-n", `big-single-${p}-${i}`, "--runtime", "python3.10", "-p", p, "-r", r, "--output", "json"], env)));
      }
      t.publish.push(slowest(each));
      const run = await measured(emu, () => layerctl(["copy", "big:1", "--from", "aws:us-east-1", "--to", to.join(","), "-n", `big-copy-${i}`, "--output", "json"], env));
      if (JSON.parse(run.stdout).results.some((r) => r.status !== "published")) throw new Error("copy: not every target published");
      t.copy.push(run);
    }
  } finally {
    await emu.close();
  }
  const ms = (runs) => median(runs.map((r) => r.ms));
  const base = ms(t.download) + ms(t.publish);
  report(
    "copy: 40 MiB version to 6 targets / (download + slowest single publish)",
    ms(t.copy) / base,
    1.3,
    `${fmtS(ms(t.copy))} vs ${fmtS(ms(t.download))} + ${fmtS(ms(t.publish))}`,
  );
  console.log(`       copy: ${fmtCpu(t.copy)}; download: ${fmtCpu(t.download)}; slowest single publish: ${fmtCpu(t.publish)}`);
  const rss = median(t.copy.map((r) => r.rssKiB));
  if (timeBin) report("copy memory: 40 MiB version to 6 targets, peak RSS / 250 MiB", rss / 1024 / 250, 1, fmtMiB(rss));
}

// ---- main -----------------------------------------------------------------------------------------
if (!fs.existsSync(path.join(repo, "dist/cli.cjs"))) {
  console.error("bench: dist/ is missing; run `npm run build` first");
  process.exit(2);
}
fs.mkdirSync(path.join(work, "out"), { recursive: true });
console.log(
  `\nfleet targets (issue #22): ${process.version}, ${RUNS} alternated runs per figure, medians; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
const sections = { fleet, fleetmem: fleetMemory, status, copy };
for (const [name, fn] of Object.entries(sections)) if (!ONLY || ONLY.has(name)) await fn();
finish();
