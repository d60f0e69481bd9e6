// The clouds of a bench: one `layerctl emulate` process per cloud, as the real clouds are three
// services apart from each other and from the machine that runs layerctl. In the bench's own
// process the emulator's work (hashing, parsing and decoding every upload) would queue behind the
// bench's event loop, and one process for all three clouds would serve every cloud's uploads one
// at a time: both make a fleet look slower than layerctl makes it. The processes still share this
// machine's cores with layerctl (the bench prints the load): what they cost it is reported.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sourceBundle } from "../test/helpers/source-bundle.mjs";

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BIN = path.join(repo, "bin/layerctl");

function startOne(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "emulate", "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const onExit = (code) => reject(new Error(`layerctl emulate exited (${code}): ${err}`));
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => {
      out += d;
      const m = /^export LAYERCTL_ENDPOINT_ALIYUN=(\S+)$/m.exec(out);
      if (!m) return;
      child.off("exit", onExit);
      resolve({ child, url: m[1] });
    });
    child.on("error", reject);
    child.on("exit", onExit);
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc; NaN where there is none. */
async function cpuSeconds(pid) {
  try {
    const { readFile } = await import("node:fs/promises");
    const stat = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1].split(" ");
    return (Number(stat[11]) + Number(stat[12])) / 100; // utime, stime in clock ticks (100 Hz on Linux)
  } catch {
    return Number.NaN;
  }
}

/**
 * Starts one emulator process per cloud with the same options (e.g. `--publish-delay 500 --fault
 * '*:*:latency::200'`): the environment that sends each cloud's calls to its own process, the CPU
 * seconds the processes have used so far, and close().
 */
export async function startEmulators(args) {
  // Each cloud's variables (credentials, endpoints) as its own definition names them.
  const { clouds, cloudNames } = await import((await sourceBundle("emulator/clouds.ts"))[0]);
  const procs = await Promise.all(cloudNames.map(() => startOne(args)));
  const env = {};
  for (const [i, name] of cloudNames.entries()) Object.assign(env, clouds[name].env(clouds[name].credentials, procs[i].url));
  return {
    env,
    async cpuSeconds() {
      let sum = 0;
      for (const p of procs) sum += await cpuSeconds(p.child.pid);
      return sum;
    },
    async close() {
      await Promise.all(
        procs.map(
          ({ child }) =>
            new Promise((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once("exit", resolve);
              child.kill("SIGTERM");
            }),
        ),
      );
    },
  };
}
