// Release-speed targets (issue #10). Every figure is a ratio to a baseline measured side by side
// in the same run (alternated runs, medians); the process exits 1 when a target is missed.
//
//   npm run bench                        (builds dist/ first; ~3-5 minutes)
//   BENCH_ONLY=packmem,release npm run bench   (some sections: packmem, packspeed, release, memory)
//   BENCH_RUNS=5 ...                     (alternated runs per figure; default 3)
// The start-up targets are bench/startup.mjs's.
//
// The emulator runs inside this process (200 ms latency on every call, Tencent publish delay
// 500 ms) so its calls can be counted; layerctl runs as a child, so its wall time and peak RSS
// (GNU time) are its own. Timings on a shared machine are noisy: read them with that in mind.
import { spawnSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cliEnv } from "./env.mjs";
import { sourceBundle } from "../test/helpers/source-bundle.mjs";
import { median, fmtS, fmtMiB, missed, report, finish } from "./report.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const work = path.join(here, ".work");
const BIN = path.join(repo, "bin/layerctl");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",")) : null;
const timeBin = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Runs a command to completion (async, so the in-process emulator keeps answering): wall ms, peak RSS KiB, stdout. */
function run(cmd, args, { env = cliEnv(), cwd = repo, check = true } = {}) {
  const full = timeBin ? [timeBin, ["-f", "%M", cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0], full[1], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const lines = stderr.trimEnd().split("\n");
      const rssKiB = timeBin ? Number(lines.pop()) : NaN;
      if (check && code !== 0) reject(new Error(`${cmd} ${args.join(" ")} exited ${code}:\n${lines.join("\n")}`));
      else resolve({ ms, rssKiB, stdout, stderr: lines.join("\n"), code });
    });
  });
}

// ---- pack memory: 100k tiny files vs 5k ----------------------------------------------------------
function tinyTree(count) {
  const dir = path.join(work, `tiny-${count}`);
  if (fs.existsSync(path.join(dir, ".complete"))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < count; i++) {
    const d = path.join(dir, `pkg-${Math.floor(i / 1000)}`, `sub-${Math.floor(i / 100) % 10}`);
    if (i % 100 === 0) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, `file-${i}.js`), `module.exports = ${i}; // tiny file number ${i}\n`);
  }
  fs.writeFileSync(path.join(dir, ".complete"), "");
  return dir;
}

async function packMemory() {
  if (!timeBin) return console.log("skip   pack memory: /usr/bin/time (GNU time) not found");
  const small = tinyTree(5_000);
  const large = tinyTree(100_000);
  const out = path.join(work, "out/tiny.zip");
  const rss = { small: [], large: [] };
  for (let i = 0; i < RUNS; i++) {
    rss.small.push((await run(process.execPath, [BIN, "pack", small, "-o", out])).rssKiB);
    rss.large.push((await run(process.execPath, [BIN, "pack", large, "-o", out])).rssKiB);
  }
  report("pack peak RSS: 100k tiny files / 5k", median(rss.large) / median(rss.small), 1.25, `${fmtMiB(median(rss.large))} vs ${fmtMiB(median(rss.small))}`);
}

// ---- pack speed: a real node_modules tree vs Info-ZIP ---------------------------------------------
/** A copy of this repo's node_modules, so test runs writing caches into it cannot disturb a run. */
function nodeModulesCopy() {
  const dir = path.join(work, "node_modules-copy");
  if (fs.existsSync(path.join(dir, ".complete"))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(repo, "node_modules"), dir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => !/[/\\]node_modules[/\\]\.(vite|cache)([/\\]|$)/.test(src),
  });
  fs.writeFileSync(path.join(dir, ".complete"), "");
  return dir;
}

async function packSpeed() {
  if (spawnSync("zip", ["-v"]).status !== 0) return console.log("skip   pack speed: Info-ZIP `zip` not found");
  const tree = nodeModulesCopy();
  const ours = path.join(work, "out/nm-layerctl.zip");
  const theirs = path.join(work, "out/nm-infozip.zip");
  const t = { ours: [], theirs: [] };
  await run(process.execPath, [BIN, "pack", tree, "-o", ours]); // warm the page cache
  for (let i = 0; i < RUNS; i++) {
    t.ours.push((await run(process.execPath, [BIN, "pack", tree, "-o", ours])).ms);
    fs.rmSync(theirs, { force: true }); // zip updates an existing archive instead of replacing it
    t.theirs.push((await run("zip", ["-r", "-X", "-q", "-y", theirs, "."], { cwd: tree })).ms);
  }
  const sizeRatio = fs.statSync(ours).size / fs.statSync(theirs).size;
  report("pack wall: node_modules, layerctl / zip -r -X -q -y", median(t.ours) / median(t.theirs), 0.5, `${fmtS(median(t.ours))} vs ${fmtS(median(t.theirs))}`);
  report("pack size: layerctl / Info-ZIP", sizeRatio, 1.02, `${(fs.statSync(ours).size / 1048576).toFixed(1)} MiB vs ${(fs.statSync(theirs).size / 1048576).toFixed(1)} MiB`);
}

// ---- release fan-out against the emulator ---------------------------------------------------------
const REGIONS = {
  tencent: ["ap-guangzhou", "ap-shanghai", "ap-beijing", "ap-chengdu"],
  aws: ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"],
  aliyun: ["cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen"],
};
const UPLOADS = ["tencent:PublishLayerVersion", "aws:PublishLayerVersion", "aliyun:CreateLayerVersion"];

/** A layer folder whose zip is about `mb` MB: half text, half incompressible bytes. */
function layerDir(name, mb) {
  const dir = path.join(work, name);
  if (fs.existsSync(path.join(dir, ".complete"))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "lib"), { recursive: true });
  const bytes = Math.round(mb * 1024 * 1024);
  fs.writeFileSync(path.join(dir, "lib/blob.bin"), randomBytes(bytes));
  fs.writeFileSync(path.join(dir, "lib/index.js"), "module.exports = 1;\n".repeat(2000));
  fs.writeFileSync(path.join(dir, ".complete"), "");
  return dir;
}

async function startEmulator() {
  const { start, emulatorEnv } = await import((await sourceBundle("emulator/index.ts"))[0]);
  const emu = await start({ port: 0, tencentPublishDelayMs: 500, faults: [{ provider: "*", action: "*", kind: "latency", latencyMs: 200 }] });
  return { emu, env: cliEnv(emulatorEnv(emu.credentials, emu.url)) };
}

function targetArgs(spec) {
  const providers = Object.keys(spec);
  return ["-p", providers.join(","), "-r", providers.flatMap((p) => spec[p].map((r) => `${p}:${r}`)).join(",")];
}

function diff(after, before) {
  const out = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) > 0) out[k] = v - (before[k] ?? 0);
  return out;
}

async function release() {
  const layer = layerDir("layer-0.4mb", 0.3);
  const { emu, env } = await startEmulator();
  const publish = (name, spec, extra = []) =>
    run(process.execPath, [BIN, "publish", layer, "-n", name, "--runtime", "python3.10", ...targetArgs(spec), "--output", "json", ...extra], { env });
  const t = { single: [], fanout: [], rerun: [] };
  let rerunCalls;
  let statuses;
  try {
    for (let i = 0; i < RUNS; i++) {
      const singles = [];
      for (const p of Object.keys(REGIONS)) singles.push((await publish(`single-${p}-${i}`, { [p]: [REGIONS[p][0]] })).ms);
      t.single.push(Math.max(...singles));
      t.fanout.push((await publish(`fanout-${i}`, REGIONS)).ms);
      const before = emu.faults.counts();
      const again = await publish(`fanout-${i}`, REGIONS, ["--skip-unchanged"]);
      rerunCalls = diff(emu.faults.counts(), before);
      statuses = JSON.parse(again.stdout).results.map((r) => r.status);
      t.rerun.push(again.ms);
    }
  } finally {
    await emu.close();
  }
  const zipKiB = (fs.statSync(path.join(layer, "lib/blob.bin")).size / 1024).toFixed(0);
  report(
    "fan-out: 12 targets / slowest single-target publish (pack included)",
    median(t.fanout) / median(t.single),
    1.3,
    `${fmtS(median(t.fanout))} vs ${fmtS(median(t.single))} (~${zipKiB} KiB layer)`,
  );
  report("unchanged re-run (--skip-unchanged) / first run", median(t.rerun) / median(t.fanout), 0.5, `${fmtS(median(t.rerun))} vs ${fmtS(median(t.fanout))}`);
  const uploads = UPLOADS.reduce((n, k) => n + (rerunCalls[k] ?? 0), 0);
  const unchanged = statuses.every((s) => s === "unchanged");
  if (uploads !== 0 || !unchanged) missed.push("unchanged re-run uploads");
  console.log(`${uploads === 0 && unchanged ? "ok    " : "MISSED"} unchanged re-run: ${uploads} uploads (target 0), statuses ${[...new Set(statuses)].join(",")}`);
  const perTarget = {};
  for (const [k, v] of Object.entries(rerunCalls)) {
    const [provider, action] = k.split(":");
    (perTarget[provider] ??= []).push(`${action} x${v / REGIONS[provider].length}`);
  }
  for (const [p, calls] of Object.entries(perTarget)) console.log(`       re-run calls per ${p} target: ${calls.join(", ")}`);
}

// ---- memory: a 40 MB zip to 12 targets ------------------------------------------------------------
async function memory() {
  if (!timeBin) return console.log("skip   memory: /usr/bin/time (GNU time) not found");
  const dir = layerDir("layer-40mb", 40);
  const zip = path.join(work, "out/layer-40mb.zip");
  if (!fs.existsSync(zip)) await run(process.execPath, [BIN, "pack", dir, "-o", zip]);
  // Tencent takes at most 20 MB inline: the 12 targets are AWS and Aliyun, six regions each.
  const spec = {
    aws: ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "eu-central-1", "us-east-2"],
    aliyun: ["cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "cn-qingdao", "cn-zhangjiakou"],
  };
  const { emu, env } = await startEmulator();
  const rss = [];
  try {
    for (let i = 0; i < Math.min(RUNS, 2); i++) {
      rss.push((await run(process.execPath, [BIN, "publish", zip, "-n", `big-${i}`, "--runtime", "python3.10", ...targetArgs(spec), "--output", "json"], { env })).rssKiB);
    }
  } finally {
    await emu.close();
  }
  const limitMiB = 350;
  report(`memory: ${(fs.statSync(zip).size / 1048576).toFixed(0)} MiB zip to 12 targets, peak RSS / ${limitMiB} MiB`, median(rss) / 1024 / limitMiB, 1, fmtMiB(median(rss)));
}

// ---- main -----------------------------------------------------------------------------------------
if (!fs.existsSync(path.join(repo, "dist/cli.cjs"))) {
  console.error("bench: dist/ is missing; run `npm run build` first");
  process.exit(2);
}
fs.mkdirSync(path.join(work, "out"), { recursive: true });
console.log(`release targets (issue #10): ${process.version}, ${RUNS} alternated runs per figure, medians`);
const sections = { packmem: packMemory, packspeed: packSpeed, release, memory };
for (const [name, fn] of Object.entries(sections)) if (!ONLY || ONLY.has(name)) await fn();
finish();
