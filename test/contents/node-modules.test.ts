// The project's own node_modules as a Node.js layer: checked for x86_64 and arm64, the findings
// must be exactly what its platform packages imply. The expectation is worked out here without
// the check's rules: from each package's package.json (`os`/`cpu`) and each file's e_machine.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckDocument } from "../../src/commands/check.js";
import { REPO } from "../helpers/cli.js";
import { runCommand } from "../helpers/invoke.js";

const NM = path.join(REPO, "node_modules");
const PREFIX = "nodejs/node_modules";

/** Every ELF file under node_modules with its e_machine, and the npm `cpu` list of the package holding it, if any. */
function elfFiles(): Array<{ name: string; machine: number; cpu: string[] | null }> {
  const out: Array<{ name: string; machine: number; cpu: string[] | null }> = [];
  const head = Buffer.alloc(20);
  const walk = (dir: string, cpu: string[] | null) => {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      const json = JSON.parse(fs.readFileSync(pkg, "utf8")) as { cpu?: string[] };
      if (json.cpu) cpu = json.cpu;
    }
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p, cpu);
      else if (d.isFile()) {
        const fd = fs.openSync(p, "r");
        const n = fs.readSync(fd, head, 0, 20, 0);
        fs.closeSync(fd);
        if (n === 20 && head.readUInt32BE(0) === 0x7f454c46) out.push({ name: `${PREFIX}/${path.relative(NM, p).split(path.sep).join("/")}`, machine: head.readUInt16LE(18), cpu });
      }
    }
  };
  walk(NM, null);
  return out;
}

const E_MACHINE = { x86_64: 62, arm64: 183 } as const;
const NPM_CPU = { x86_64: "x64", arm64: "arm64" } as const;
/** Folders of prebuilt binaries named for a platform other than glibc Linux: never loaded by a Linux function. */
const OTHER_PLATFORM = /\/prebuilds\/(android|darwin|ios|win32)[^/]*\//;

describe("the project's own node_modules", () => {
  const files = elfFiles();

  it.each(["x86_64", "arm64"] as const)("checked for %s gives exactly the findings its platform packages imply", async (arch) => {
    const r = await runCommand("check", { source: NM, prefix: PREFIX, provider: ["aws"], runtime: ["nodejs20"], arch: [arch] });
    const doc = JSON.parse(r.stdout) as CheckDocument;
    // A platform package (npm `cpu`) for another CPU has no sibling for this one here (npm installed
    // this machine's); a binary outside any platform package or folder loads on every CPU.
    const expected = files
      .filter((f) => !OTHER_PLATFORM.test(f.name))
      .filter((f) => {
        if (f.cpu) return !f.cpu.includes(NPM_CPU[arch]);
        // prebuildify's prebuilds/linux-<cpu>/: this CPU's folder must be there too.
        const prebuild = /^(.*\/prebuilds\/)linux-[a-z0-9]+\//.exec(f.name);
        if (prebuild) return !fs.existsSync(path.join(NM, prebuild[1]!.slice(PREFIX.length + 1), `linux-${NPM_CPU[arch]}`));
        return f.machine !== E_MACHINE[arch];
      })
      .map((f) => f.name)
      .sort();
    expect(doc.findings.map((f) => f.file).sort()).toEqual(expected);
    expect(doc.findings.every((f) => f.severity === "error" && (f.code === "WrongArchitecture" || f.code === "MissingArchitecture"))).toBe(true);
    expect(r.code).toBe(expected.length > 0 ? 2 : 0);
    // Not vacuous: this tree has binaries, and platform packages for this machine only.
    expect(doc.binaries).toBeGreaterThan(3);
    if (process.arch === "x64") expect(expected.length > 0).toBe(arch === "arm64");
  });
});
