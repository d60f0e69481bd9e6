// Packing benchmark: layerctl vs Info-ZIP (`zip -r -X -q`, level 6) on the same generated tree,
// alternated, medians reported; plus one archiver 8 run so the choice of writer has a figure.
//
//   npm run bench:writers                                      (builds dist/ first)
//   BENCH_FILES=2000 BENCH_MB=20 BENCH_RUNS=3 npm run bench:writers   (quick run)
// Peak RSS comes from GNU time (/usr/bin/time) when present.
//
// The tree is generated from a seeded PRNG under bench/.work/ (gitignored) once and reused.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./report.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const FILES = Number(process.env.BENCH_FILES ?? 20_000);
const MB = Number(process.env.BENCH_MB ?? 150);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const work = path.join(here, ".work");
const tree = path.join(work, `tree-${FILES}-${MB}`);
const outDir = path.join(work, "out");

// ---- deterministic tree ---------------------------------------------------------------------
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0; // mulberry32
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "function return const let var if else for while import export from default class new this " +
  "async await module require exports object string number true false null undefined length value index data " +
  "error result options config path file buffer stream callback promise resolve reject array map filter reduce"
).split(" ");

function textBytes(rand, size) {
  const parts = [];
  let n = 0;
  while (n < size) {
    const line = Array.from({ length: 3 + Math.floor(rand() * 9) }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(" ");
    const indented = " ".repeat(2 * Math.floor(rand() * 4)) + line + (rand() < 0.3 ? ` // ${Math.floor(rand() * 1e6)}` : "") + ";\n";
    parts.push(indented);
    n += indented.length;
  }
  return Buffer.from(parts.join("")).subarray(0, size);
}

function binaryBytes(rand, size) {
  const words = new Uint32Array(Math.ceil(size / 4));
  for (let i = 0; i < words.length; i++) words[i] = (rand() * 4294967296) >>> 0;
  return Buffer.from(words.buffer, 0, size);
}

function generate() {
  if (fs.existsSync(path.join(tree, ".complete"))) return;
  console.log(`generating ${FILES} files (~${MB} MB) in ${path.relative(repo, tree)} ...`);
  fs.rmSync(tree, { recursive: true, force: true });
  const rand = prng(20240601);
  const large = FILES >= 1000 ? [8, 8, 6, 6] : []; // MiB; a few .so-sized files take the chunked path
  const largeBytes = large.reduce((a, b) => a + b, 0) * 1024 * 1024;
  // Log-uniform sizes from 100 B to 64 KiB, scaled so the total lands near the target.
  const raw = Array.from({ length: FILES - large.length }, () => Math.exp(Math.log(100) + rand() * Math.log(655)));
  const scale = Math.max(0, MB * 1024 * 1024 - largeBytes) / raw.reduce((a, b) => a + b, 0);
  let total = 0;
  for (let i = 0; i < FILES; i++) {
    const depth = 1 + Math.floor(rand() * 4);
    const dirs = Array.from({ length: depth }, (_, d) => (d === 0 ? `pkg-${Math.floor(rand() * 400)}` : `d${Math.floor(rand() * 6)}`));
    const binary = rand() < 0.25;
    const isLarge = i < large.length;
    const size = isLarge ? large[i] * 1024 * 1024 : Math.max(1, Math.round(raw[i - large.length] * scale));
    const file = path.join(tree, ...dirs, `f${i}${binary ? ".bin" : ".js"}`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, binary ? binaryBytes(rand, size) : textBytes(rand, size));
    if (rand() < 0.05) fs.chmodSync(file, 0o755);
    total += size;
  }
  fs.writeFileSync(path.join(tree, ".complete"), "");
  console.log(`  ${FILES} files, ${(total / 1048576).toFixed(1)} MiB`);
}

// ---- runners --------------------------------------------------------------------------------
const timeBin = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Runs a command; wall ms, and peak RSS (KiB) via GNU time when present. */
function run(cmd, args, opts = {}) {
  const full = timeBin ? [timeBin, ["-f", "%M", cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], { encoding: "utf8", ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  const rssKiB = timeBin ? Number(r.stderr.trim().split("\n").pop()) : NaN;
  return { ms, rssKiB, stdout: r.stdout };
}

const zipPath = (name) => path.join(outDir, name);
const size = (file) => fs.statSync(file).size;
const hasZip = spawnSync("zip", ["-v"]).status === 0;

function layerctl() {
  const out = zipPath("layerctl.zip");
  fs.rmSync(out, { force: true });
  const r = run(process.execPath, [path.join(repo, "bin/layerctl"), "pack", tree, "-o", out, "--output", "json"]);
  return { ...r, bytes: size(out), sha256: JSON.parse(r.stdout).sha256 };
}

function infoZip() {
  const out = zipPath("infozip.zip");
  fs.rmSync(out, { force: true }); // zip updates an existing archive instead of replacing it
  return { ...run("zip", ["-r", "-X", "-q", out, "."], { cwd: tree }), bytes: size(out) };
}

function archiver() {
  const out = zipPath("archiver.zip");
  fs.rmSync(out, { force: true });
  const script = `
    import fs from "node:fs";
    import { ZipArchive } from "archiver";
    const a = new ZipArchive({ zlib: { level: 6 } });
    const done = new Promise((resolve, reject) => { const s = fs.createWriteStream(process.argv[2]); s.on("close", resolve); a.on("error", reject); a.pipe(s); });
    a.directory(process.argv[1], false);
    await a.finalize();
    await done;`;
  return { ...run(process.execPath, ["--input-type=module", "-e", script, tree, out], { cwd: repo }), bytes: size(out) };
}

// ---- main -----------------------------------------------------------------------------------
if (!fs.existsSync(path.join(repo, "dist/cli.cjs"))) {
  console.error("bench: dist/ is missing; run `npm run build` first");
  process.exit(2);
}
generate();
fs.mkdirSync(outDir, { recursive: true });
if (!hasZip) console.log("Info-ZIP `zip` not found: reporting layerctl alone");

layerctl(); // warm the page cache and the module cache before measuring
if (hasZip) infoZip();
const ours = [];
const theirs = [];
for (let i = 0; i < RUNS; i++) {
  ours.push(layerctl());
  if (hasZip) theirs.push(infoZip());
}
const arch = archiver();

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mib = (b) => `${(b / 1048576).toFixed(2)} MiB`;
console.log(`\ntree: ${FILES} files, ~${MB} MB; ${RUNS} alternated runs, medians; ${process.version}`);
const oursMs = median(ours.map((r) => r.ms));
console.log(
  `layerctl pack     ${fmt(oursMs)}  zip ${mib(ours[0].bytes)}  peak RSS ${timeBin ? `${(median(ours.map((r) => r.rssKiB)) / 1024).toFixed(0)} MiB (max ${(Math.max(...ours.map((r) => r.rssKiB)) / 1024).toFixed(0)})` : "n/a (/usr/bin/time missing)"}`,
);
if (hasZip) {
  const theirMs = median(theirs.map((r) => r.ms));
  console.log(`zip -r -X -q      ${fmt(theirMs)}  zip ${mib(theirs[0].bytes)}  peak RSS ${timeBin ? `${(median(theirs.map((r) => r.rssKiB)) / 1024).toFixed(0)} MiB` : "n/a"}`);
  console.log(`ratio layerctl/zip: time ${(oursMs / theirMs).toFixed(2)}x, size ${(ours[0].bytes / theirs[0].bytes).toFixed(3)}x`);
}
console.log(`archiver 8 (1 run) ${fmt(arch.ms)}  zip ${mib(arch.bytes)}${hasZip ? `  (${(arch.ms / median(theirs.map((r) => r.ms))).toFixed(2)}x zip)` : ""}`);
const shas = new Set(ours.map((r) => r.sha256));
console.log(shas.size === 1 ? `layerctl output identical across runs (sha256 ${[...shas][0].slice(0, 16)}...)` : "layerctl output DIFFERED between runs");
if (shas.size !== 1) process.exitCode = 1;
