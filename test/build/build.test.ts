// layerctl build and publish with a `build` key, run with the real pip (wheels made here,
// --no-index --find-links) and the real npm (tarballs made here, installed from local files):
// both ecosystems, both architectures, one build per distinct target, skipped when unchanged.
import { execFileSync } from "node:child_process";
import { readFileSync, existsSync, readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { BuildDocument } from "../../src/build/index.js";
import { installCommand } from "../../src/build/python.js";
import { manylinuxPlatforms } from "../../src/build/wheel-tags.js";
import { memorySource } from "../../src/contents/byte-source.js";
import { noteFor } from "../../src/contents/sniff.js";
import { buildDocumentSchema } from "../../src/record/output-schema.js";
import { tempDir, writeTree } from "../helpers/archive.js";
import { glibcElf } from "../helpers/binaries.js";
import { runCommand } from "../helpers/invoke.js";
import { makeNpmPackage, makeWheel } from "../helpers/packages.js";
import { sharedEmulator } from "../helpers/shared-emulator.js";

const shared = sharedEmulator();
/** pip and npm are separate processes (pip's start-up alone is ~0.5 s): on a busy shared machine a build takes tens of seconds. */
const SLOW = { timeout: 240_000 };

/** The machine an installed binary is built for, read back from the tree. */
function machineOf(file: string): string {
  const n = noteFor(file, memorySource(readFileSync(file)));
  return n?.kind === "binary" && n.facts.format === "elf" ? n.facts.machine : "not ELF";
}

describe("Python builds (pip, wheels made here)", SLOW, () => {
  let wheels: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    wheels = await tempDir("layerctl-wheels-");
    // This machine's pip configuration (indexes, constraints) stays out: only these wheels exist.
    env = { PIP_CONFIG_FILE: "/dev/null", PIP_NO_INDEX: "1", PIP_FIND_LINKS: wheels, LAYERCTL_PYTHON_INSTALLER: "pip" };
    for (const [arch, gnu] of [
      ["x86_64", "x86_64"],
      ["arm64", "aarch64"],
    ] as const) {
      for (const v of ["310", "312"]) {
        await makeWheel(wheels, {
          name: "fastlib",
          version: "1.0",
          tag: `cp${v}-cp${v}-manylinux_2_17_${gnu}.manylinux2014_${gnu}`,
          files: { "fastlib/__init__.py": "from ._core import *\n", [`fastlib/_core.cpython-${v}-${gnu}-linux-gnu.so`]: glibcElf(arch, "2.17") },
          requires: ["puretool"],
        });
      }
      // Only for glibc 2.28 and newer: Aliyun's Debian 10 takes it, Amazon Linux 2 and CentOS 7 do not.
      await makeWheel(wheels, {
        name: "newglibc",
        version: "2.0",
        tag: `cp310-cp310-manylinux_2_28_${gnu}`,
        files: { "newglibc/_x.cpython-310-x86_64-linux-gnu.so": glibcElf(arch, "2.28") },
      });
    }
    await makeWheel(wheels, { name: "puretool", version: "3.1", tag: "py3-none-any", files: { "puretool/__init__.py": "VERSION = '3.1'\n" } });
  }, SLOW.timeout);

  const project = async (requirements: string, layer: Record<string, unknown>) => {
    const dir = await tempDir("layerctl-pyproj-");
    await writeTree(dir, {
      "requirements.txt": requirements,
      "layerctl.config.json": JSON.stringify({ layers: [{ name: "deps", build: { python: "requirements.txt" }, ...layer }] }),
    });
    return dir;
  };
  const build = (cwd: string, extra: Record<string, unknown> = {}) => runCommand("build", { layer: "deps", cwd, ...extra }, { env });

  it("builds for each architecture from the wheels for it, in the provider's layout, and the tree passes the check", async () => {
    for (const [arch, gnu] of [
      ["x86_64", "x86_64"],
      ["arm64", "aarch64"],
    ] as const) {
      const cwd = await project("fastlib==1.0\n", { providers: ["aws"], runtimes: ["python3.12"], architectures: [arch] });
      const r = await build(cwd);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as BuildDocument;
      expect(buildDocumentSchema.safeParse(doc).success).toBe(true);
      expect(doc.builds).toEqual([
        expect.objectContaining({
          id: `python3.12-${gnu}-glibc2.34`,
          architecture: arch,
          python: "3.12",
          glibc: "2.34",
          os: "Amazon Linux 2023",
          status: "built",
          tool: expect.stringMatching(/^pip \d/),
        }),
      ]);
      const tree = path.join(cwd, ".layerctl/build/deps/aws");
      expect(doc.trees).toEqual([{ provider: "aws", dir: tree, installPath: "python", builds: [doc.builds[0]!.id] }]);
      expect(readdirSync(path.join(tree, "python")).sort()).toEqual(["fastlib", "fastlib-1.0.dist-info", "puretool", "puretool-3.1.dist-info"]);
      expect(machineOf(path.join(tree, `python/fastlib/_core.cpython-312-${gnu}-linux-gnu.so`))).toBe(arch);
      // Nothing that records the build machine: no compiled .pyc, no console scripts.
      expect(execFileSync("find", [tree, "-name", "*.pyc", "-o", "-name", "bin"], { encoding: "utf8" })).toBe("");
      const check = await runCommand("check", { source: tree, provider: ["aws"], runtime: ["python3.12"], arch: [arch] });
      expect(JSON.parse(check.stdout).findings).toEqual([]);
    }
  });

  it("one build per distinct glibc floor: a wheel too new for one target is one error naming it and the tags tried", async () => {
    const cwd = await project("newglibc==2.0\n", { providers: ["aliyun", "aws"], runtimes: ["python3.10"] });
    const ok = await build(cwd, { provider: ["aliyun"] });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).builds[0]).toMatchObject({ id: "python3.10-x86_64-glibc2.28", os: "Debian 10" });
    const refused = await build(cwd, { provider: ["aws"] });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(
      /^layerctl: no wheel of newglibc==2\.0 for CPython 3\.10 on Amazon Linux 2 x86_64 \(glibc 2\.26\): tried cp310, abi3 and py3 wheels for manylinux_2_26_x86_64 down to manylinux_2_5_x86_64 \(and manylinux2014\/2010\/1\); pick a version of newglibc that publishes a manylinux wheel for that, or build one in a container of the runtime's OS \(Amazon Linux 2, e\.g\. with Docker\).*does not compile from source\n$/,
    );
  });

  it("skips a build whose inputs hash the same, and builds again when the lockfile changes", async () => {
    const cwd = await project("fastlib==1.0\n", { providers: ["tencent", "aws"], runtimes: ["python3.10"] });
    const first = JSON.parse((await build(cwd)).stdout) as BuildDocument;
    // Tencent (CentOS 7, 2.17) and AWS (Amazon Linux 2, 2.26): two floors, two builds; Tencent's tree is the zip root.
    expect(first.builds.map((b) => [b.id, b.status])).toEqual([
      ["python3.10-x86_64-glibc2.17", "built"],
      ["python3.10-x86_64-glibc2.26", "built"],
    ]);
    expect(existsSync(path.join(cwd, ".layerctl/build/deps/tencent/fastlib/__init__.py"))).toBe(true);
    expect(existsSync(path.join(cwd, ".layerctl/build/deps/aws/python/fastlib/__init__.py"))).toBe(true);
    const again = JSON.parse((await build(cwd)).stdout) as BuildDocument;
    expect(again.builds.map((b) => b.status)).toEqual(["unchanged", "unchanged"]);
    await writeFile(path.join(cwd, "requirements.txt"), "fastlib==1.0\npuretool==3.1\n");
    const changed = JSON.parse((await build(cwd)).stdout) as BuildDocument;
    expect(changed.builds.map((b) => b.status)).toEqual(["built", "built"]);
  });

  it("publish builds, checks, packs and publishes each provider's tree; the same inputs give the same zip anywhere", async () => {
    const cwd = await project("fastlib==1.0\n", { providers: ["aws", "tencent"], runtimes: ["python3.10"] });
    const r = await runCommand("publish", { cwd }, { env: { ...shared.env(), ...env } });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { provider: string; status: string }) => `${x.provider} ${x.status}`)).toEqual(["aws published", "tencent published"]);
    expect(doc.archives).toHaveLength(2);
    // Built again elsewhere, from scratch: byte for byte the same zips.
    const other = await project("fastlib==1.0\n", { providers: ["aws", "tencent"], runtimes: ["python3.10"] });
    const dry = JSON.parse((await runCommand("publish", { cwd: other, dryRun: true }, { env: { ...shared.env(), ...env } })).stdout);
    expect(dry.archives.map((a: { sha256: string }) => a.sha256)).toEqual(doc.archives.map((a: { sha256: string }) => a.sha256));
  });

  it("uv's command line: the runtime's version and one glibc-aware platform (uv is not installed here, so not run)", () => {
    const b = { id: "x", ecosystem: "python" as const, arch: "arm64" as const, glibc: "2.26", os: "Amazon Linux 2", python: "3.11" };
    expect(installCommand({ name: "uv", version: "uv 0.5" }, b, "req.txt", "/t")).toEqual({
      command: "uv",
      args: [
        "pip",
        "install",
        "--target",
        "/t",
        "--python-version",
        "3.11",
        "--python-platform",
        "aarch64-manylinux_2_26",
        "--only-binary",
        ":all:",
        "--no-progress",
        "-r",
        "req.txt",
      ],
    });
    // pip's list, for comparison: every tag the floor accepts (pip does not widen PEP 600 tags itself).
    expect(manylinuxPlatforms("2.26", "arm64")).toEqual([...Array.from({ length: 10 }, (_, i) => `manylinux_2_${26 - i}_aarch64`), "manylinux2014_aarch64"]);
    expect(manylinuxPlatforms("2.17", "x86_64").slice(-4)).toEqual(["manylinux_2_5_x86_64", "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]);
  });

  it("pyproject.toml / uv.lock need uv to export their pins; without it, one line says so", async () => {
    const cwd = await tempDir();
    await writeTree(cwd, {
      "pyproject.toml": '[project]\nname = "app"\nversion = "1"\ndependencies = ["fastlib==1.0"]\n',
      "uv.lock": "version = 1\n",
      "layerctl.config.json": JSON.stringify({ layers: [{ name: "deps", build: { python: "pyproject.toml" }, providers: ["aws"], runtimes: ["python3.12"] }] }),
    });
    const r = await build(cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^layerctl: pyproject\.toml: exporting its pinned requirements needs uv, which is not installed; install uv, or give a requirements\.txt/);
  });

  it("config mistakes are one line naming the key", async () => {
    const both = await tempDir();
    await writeTree(both, { "requirements.txt": "", "layerctl.config.json": JSON.stringify({ layers: [{ name: "deps", dir: "x", build: { python: "requirements.txt" } }] }) });
    expect((await build(both)).stderr).toMatch(/layers\[0\] \(deps\) build: has no use with "dir"/);
    const wrong = await project("", { providers: ["aws"], runtimes: ["nodejs20"] });
    expect((await build(wrong)).stderr).toMatch(/^layerctl: layer deps builds Python packages, but nodejs20\.x \(aws\) is not a Python runtime/);
    const twoArches = await project("", { providers: ["aws"], runtimes: ["python3.12"], architectures: ["x86_64", "arm64"] });
    expect((await build(twoArches)).stderr).toMatch(/both would need the same python\/ folder; publish one layer per architecture/);
  });
});

describe("Node.js builds (npm, tarballs made here)", SLOW, () => {
  let vendor: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    vendor = await tempDir("layerctl-vendor-");
    const cache = await tempDir("layerctl-npm-cache-");
    env = { npm_config_cache: cache, npm_config_offline: "true", npm_config_update_notifier: "false" };
    for (const [cpu, arch] of [
      ["x64", "x86_64"],
      ["arm64", "arm64"],
    ] as const) {
      await makeNpmPackage(vendor, { name: `fast-linux-${cpu}`, version: "1.0.0", os: ["linux"], cpu: [cpu], libc: ["glibc"], files: { "fast.node": glibcElf(arch, "2.17") } }, {
        ...process.env,
        ...env,
      } as Record<string, string>);
    }
    await makeNpmPackage(vendor, { name: "fast-darwin-arm64", version: "1.0.0", os: ["darwin"], cpu: ["arm64"], files: { "fast.node": "not for linux" } }, {
      ...process.env,
      ...env,
    } as Record<string, string>);
    // An install script: it runs only when this machine is the target's platform.
    await makeNpmPackage(
      vendor,
      {
        name: "fast",
        version: "1.0.0",
        files: { "index.js": "module.exports = 1;\n" },
        scripts: { install: "node -e \"require('fs').writeFileSync('installed-here', process.arch)\"" },
      },
      { ...process.env, ...env } as Record<string, string>,
    );
  }, SLOW.timeout);

  async function project(layer: Record<string, unknown>) {
    const dir = await tempDir("layerctl-nodeproj-");
    const dep = (n: string) => `file:${path.relative(path.join(dir, "app"), path.join(vendor, `${n}-1.0.0.tgz`))}`;
    await writeTree(dir, {
      "app/package.json": JSON.stringify({
        name: "app",
        version: "1.0.0",
        dependencies: { fast: dep("fast") },
        optionalDependencies: { "fast-linux-x64": dep("fast-linux-x64"), "fast-linux-arm64": dep("fast-linux-arm64"), "fast-darwin-arm64": dep("fast-darwin-arm64") },
      }),
      "layerctl.config.json": JSON.stringify({ layers: [{ name: "nodedeps", build: { node: "app/package.json" }, ...layer }] }),
    });
    execFileSync("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: path.join(dir, "app"), env: { ...process.env, ...env } });
    return dir;
  }

  it("installs the target's platform packages for each architecture; both architectures share one AWS tree", async () => {
    const cwd = await project({ providers: ["aws", "tencent"], runtimes: ["nodejs18"], architectures: ["x86_64", "arm64"] });
    const r = await runCommand("build", { layer: "nodedeps", cwd }, { env });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as BuildDocument;
    expect(doc.builds.map((b) => b.id).sort()).toEqual(["node-arm64-glibc", "node-x64-glibc"]);
    const aws = path.join(cwd, ".layerctl/build/nodedeps/aws/nodejs/node_modules");
    const tencent = path.join(cwd, ".layerctl/build/nodedeps/tencent/node_modules");
    expect(readdirSync(aws).sort()).toEqual(["fast", "fast-linux-arm64", "fast-linux-x64"]);
    expect(readdirSync(tencent).sort()).toEqual(["fast", "fast-linux-x64"]);
    expect(machineOf(path.join(aws, "fast-linux-arm64/fast.node"))).toBe("arm64");
    // The AWS layer takes both architectures: each finds its own platform package.
    const check = await runCommand("check", { source: path.join(cwd, ".layerctl/build/nodedeps/aws"), provider: ["aws"], runtime: ["nodejs18"], arch: ["x86_64", "arm64"] });
    expect(JSON.parse(check.stdout).findings).toEqual([]);
    // Install scripts ran for this machine's platform only, and the others were named.
    const here = process.arch === "x64" ? "node-x64-glibc" : "node-arm64-glibc";
    const there = here === "node-x64-glibc" ? "node-arm64-glibc" : "node-x64-glibc";
    expect(existsSync(path.join(cwd, `.layerctl/build/nodedeps/.builds/${here}/out/fast/installed-here`))).toBe(process.platform === "linux");
    expect(existsSync(path.join(cwd, `.layerctl/build/nodedeps/.builds/${there}/out/fast/installed-here`))).toBe(false);
    expect(r.stderr).toMatch(/^warning: layer nodedeps: install scripts of fast were not run \(building for linux (arm64|x64) on linux x64\)/m);
    const again = JSON.parse((await runCommand("build", { layer: "nodedeps", cwd }, { env })).stdout) as BuildDocument;
    expect(again.builds.map((b) => b.status)).toEqual(["unchanged", "unchanged"]);
  });

  it("a package.json without a lockfile is refused, naming the fix", async () => {
    const cwd = await tempDir();
    await writeTree(cwd, {
      "package.json": "{}",
      "layerctl.config.json": JSON.stringify({ layers: [{ name: "n", build: { node: "package.json" }, providers: ["aws"], runtimes: ["nodejs20"] }] }),
    });
    const r = await runCommand("build", { layer: "n", cwd }, { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no package-lock\.json beside it; .*run `npm install --package-lock-only`/);
  });
});
