// Staging benchmark: a 120 MB zip published through object storage, to one target (AWS) and to
// three providers at once, against `layerctl emulate` running in its own process (so its memory,
// which holds every uploaded object, is not counted). Wall time and the CLI's peak RSS (GNU time)
// per run, medians reported. Target: peak RSS under 250 MB, not growing with the zip (it is
// streamed from disk part by part, never held whole).
//
//   npm run bench                               (builds dist/ first)
//   BENCH_STORAGE_MB=40 BENCH_RUNS=1 node bench/storage.mjs   (quick run)
//
// The zip (stored, random bytes: incompressible, as real binary layers are) is generated once
// under bench/.work/ (gitignored).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sourceBundle } from "../test/helpers/source-bundle.mjs";
import { median } from "./report.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const MB = Number(process.env.BENCH_STORAGE_MB ?? 120);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const work = path.join(here, ".work");
const zipPath = path.join(work, `staged-${MB}mb.zip`);
const bin = path.join(repo, "bin", "layerctl");
const hasTime = fs.existsSync("/usr/bin/time");

const { buildZip } = await import((await sourceBundle("emulator/zip.ts"))[0]);

function generate() {
  if (fs.existsSync(zipPath)) return;
  fs.mkdirSync(work, { recursive: true });
  console.log(`generating a ${MB} MB zip in ${path.relative(repo, zipPath)} ...`);
  const files = [];
  for (let i = 0; i < MB; i++) files.push({ name: `python/blob${String(i).padStart(4, "0")}.bin`, data: randomBytes(1024 * 1024) });
  fs.writeFileSync(zipPath, buildZip(files));
}

function startEmulator() {
  return new Promise((resolve, reject) => {
    const buckets = ["aws:us-east-1=bench-layers", "tencent:ap-guangzhou=bench-layers-1250000000", "aliyun:cn-hangzhou=bench-layers"].flatMap((b) => ["--bucket", b]);
    const child = spawn(process.execPath, [bin, "emulate", "--port", "0", "--publish-delay", "0", ...buckets], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("LAYERCTL_STORAGE_ENDPOINT_ALIYUN")) {
        const env = Object.fromEntries(
          out
            .trim()
            .split("\n")
            .map((l) =>
              l
                .replace(/^export /, "")
                .split(/=(.*)/s)
                .slice(0, 2),
            ),
        );
        resolve({ child, env });
      }
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`emulator exited (${code})`)));
  });
}

function publishOnce(env, providers, n) {
  const args = [bin, "publish", zipPath, "-p", providers, "-n", `bench${n}`, "--runtime", "python3.9", "--upload", "storage", "--output", "json"];
  const cmd = hasTime ? "/usr/bin/time" : process.execPath;
  const full = hasTime ? ["-f", "MAXRSS_KB=%M", process.execPath, ...args] : args;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, full, {
    env: {
      PATH: process.env.PATH,
      HOME: "/nonexistent-layerctl-home",
      ...env,
      LAYERCTL_BUCKET_AWS: "bench-layers",
      LAYERCTL_BUCKET_TENCENT: "bench-layers-1250000000",
      LAYERCTL_BUCKET_ALIYUN: "bench-layers",
    },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`publish failed (${r.status}): ${r.stderr}`);
  const doc = JSON.parse(r.stdout);
  for (const rec of doc.results) if (rec.upload !== "storage" || rec.status !== "published") throw new Error(`not staged: ${JSON.stringify(rec)}`);
  const rss = /MAXRSS_KB=(\d+)/.exec(r.stderr);
  return { ms, rssMb: rss ? Number(rss[1]) / 1024 : NaN };
}

generate();
const size = fs.statSync(zipPath).size;
const { child, env } = await startEmulator();
try {
  console.log(`\nstaging a ${(size / 1e6).toFixed(1)} MB zip (${RUNS} runs each, medians; emulator in its own process)`);
  let n = 0;
  for (const [label, providers] of [
    ["one target (aws)", "aws"],
    ["three providers", "tencent,aws,aliyun"],
  ]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(publishOnce(env, providers, ++n));
    const ms = median(runs.map((r) => r.ms));
    const rss = median(runs.map((r) => r.rssMb));
    const verdict = Number.isNaN(rss) ? "(no /usr/bin/time: RSS not measured)" : rss < 250 ? "under the 250 MB target" : "OVER the 250 MB target";
    console.log(`  ${label.padEnd(18)} wall ${(ms / 1000).toFixed(2)} s   peak RSS ${rss.toFixed(0)} MB  ${verdict}`);
    if (rss >= 250) process.exitCode = 1;
  }
} finally {
  child.kill("SIGTERM");
}
