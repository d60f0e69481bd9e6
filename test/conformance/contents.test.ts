import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckDocument } from "../../src/commands/check.js";
import { npmCpu, platformOf } from "../../src/contents/platform-path.js";
import { NODE_MODULE_VERSIONS } from "../../src/contents/node-api.js";
import { providers } from "../../src/providers/index.js";
import type { Architecture, Provider, RuntimePlatform } from "../../src/providers/types.js";
import { tempDir, tempTree } from "../helpers/archive.js";
import { elf, glibcElf, machO, pe } from "../helpers/binaries.js";
import { runCommand } from "../helpers/invoke.js";
import { sharedEmulator } from "../helpers/shared-emulator.js";
import { profiles } from "./profiles.js";

type Family = "python" | "node" | "custom";
const FAMILIES: Family[] = ["python", "node", "custom"];

const tree = (files: Record<string, Buffer | string>) => tempTree("layerctl-contents-", files);

/** One step up a dotted version: "2.26" -> "2.27". */
const newer = (v: string) => v.replace(/\d+$/, (m) => String(Number(m) + 1));
const other = (a: Architecture): Architecture => (a === "x86_64" ? "arm64" : "x86_64");
const pyTag = (version: string, arch: Architecture) => `cpython-${version.replace(".", "")}-${arch === "arm64" ? "aarch64" : "x86_64"}-linux-gnu`;
const nodeModuleVersion = (major: number) => Number(Object.entries(NODE_MODULE_VERSIONS).find(([, m]) => m === major)![0]);

describe.each(profiles)("contents check conformance: $provider", (profile) => {
  const provider: Provider = providers[profile.provider];
  const arches = provider.contents.architectures;
  const takesBoth = arches.length > 1;

  describe.each(FAMILIES)("%s runtime", (family) => {
    const runtime = profile.contents[family];
    const native = provider.resolveRuntimes([runtime])[0]!;
    const platform: RuntimePlatform = provider.runtimes.find((r) => r.native === native)!.platform!;
    // Where this family's files go in the provider's layout.
    const base = family === "custom" ? "" : `${provider.contents.installPaths[family]}/`.replace(/^\//, "");

    const check = async (files: Record<string, Buffer | string>, arch?: Architecture[]) => {
      const r = await runCommand("check", { source: await tree(files), provider: [profile.provider], runtime: [runtime], arch: arch ?? [] });
      return { ...r, doc: JSON.parse(r.stdout) as CheckDocument };
    };

    /** A layer such as a careful release has: every binary built for `arch` and the runtime, other platforms' builds in their folders. */
    function cleanLayer(arch: Architecture): Record<string, Buffer | string> {
      const lib = glibcElf(arch, platform.glibc);
      const files: Record<string, Buffer | string> = {
        [`${base}README.txt`]: "docs\n",
        [`${base}vendor/prebuilds/darwin-arm64/x.node`]: machO("arm64"),
        [`${base}vendor/prebuilds/win32-x64/x.node`]: pe("x86_64"),
        [`${base}vendor/prebuilds/linuxmusl-x64/x.node`]: elf({ machine: "x86_64", needed: ["libc.musl-x86_64.so.1"] }),
        [`${base}vendor/prebuilds/linux-${npmCpu(arch)}/x.node`]: lib,
        [`${base}tools/App.dll`]: pe("x86", { managed: true }),
      };
      if (family === "python") {
        const v = platform.python!;
        files[`${base}fast/_speedups.${pyTag(v, arch)}.so`] = lib;
        // Another version's build beside this one: never imported here, never reported.
        files[`${base}fast/_speedups.${pyTag(newer(v), arch)}.so`] = lib;
        files[`${base}fast/_abi.abi3.so`] = lib;
        files[`${base}fast-1.0.dist-info/WHEEL`] = `Wheel-Version: 1.0\nTag: cp36-abi3-manylinux2014_${arch === "arm64" ? "aarch64" : "x86_64"}\n`;
        files[`${base}fast.libs/libgfortran-1a2b.so.5`] = glibcElf(arch, "2.17");
      } else if (family === "node") {
        const major = platform.node!.major;
        files[`${base}nan-addon/build/Release/addon.node`] = elf({
          machine: arch,
          needed: ["libc.so.6"],
          versions: { "libc.so.6": ["GLIBC_2.17"] },
          exports: [`node_register_module_v${nodeModuleVersion(major)}`],
        });
        files[`${base}napi-addon/build/Release/addon.node`] = elf({
          machine: arch,
          needed: ["libc.so.6"],
          exports: ["napi_register_module_v1"],
          imports: ["napi_create_function"],
        });
        files[`${base}@scope/tool-linux-${npmCpu(arch)}/bin/tool`] = glibcElf(arch, "2.17");
      } else {
        files.bootstrap = elf({ machine: arch });
        files["bin/helper"] = glibcElf(arch, platform.glibc);
        files["lib/libhelper.so.1"] = glibcElf(arch, "2.17");
      }
      return files;
    }

    it.each(arches)("a clean layer for %s gives no finding", async (arch) => {
      const r = await check(cleanLayer(arch), [arch]);
      expect(r.doc.findings).toEqual([]);
      expect(r.code).toBe(0);
      expect(r.doc.binaries).toBeGreaterThan(5);
    });

    it("a binary for another CPU is an error naming the file, both CPUs and the fix", async () => {
      const arch = arches[0]!;
      const file = family === "custom" ? "bootstrap" : `${base}native/core.so`;
      const r = await check({ ...cleanLayer(arch), [file]: glibcElf(other(arch), "2.17") }, takesBoth ? [arch] : []);
      expect(r.code).toBe(2);
      expect(r.doc.findings).toEqual([
        expect.objectContaining({
          severity: "error",
          code: "WrongArchitecture",
          file,
          provider: profile.provider,
          runtimes: [native],
          architectures: [arch],
          fix: expect.stringContaining(`install the ${arch} build`),
        }),
      ]);
      expect(r.doc.findings[0]!.needs).toContain(other(arch));
      expect(r.doc.findings[0]!.has).toContain(arch);
      expect(r.stderr).toMatch(/IncompatibleLayer: 1 file in .* will not load/);
    });

    it.skipIf(!takesBoth)("where functions run on both CPUs: platform folders may hold both builds, and one missing is named", async () => {
      // Each architecture's builds where their loader looks for them (platform folders, tagged names): both load.
      const marked = (arch: Architecture) => Object.fromEntries(Object.entries(cleanLayer(arch)).filter(([name]) => platformOf(name).arch !== undefined));
      const both = await check({ ...marked("x86_64"), ...marked("arm64") }, ["x86_64", "arm64"]);
      expect(both.doc.binaries).toBeGreaterThanOrEqual(family === "custom" ? 2 : 4);
      expect(both.doc.findings).toEqual([]);
      // Only the x86_64 build of a platform-folder package: arm64 functions would not find one.
      const file = `${base}@scope/tool-linux-x64/bin/tool`;
      const oneSided = await check({ [file]: glibcElf("x86_64", "2.17") }, ["x86_64", "arm64"]);
      expect(oneSided.doc.findings).toEqual([expect.objectContaining({ severity: "error", code: "MissingArchitecture", file, architectures: ["arm64"] })]);
      // An unmarked binary is loaded on both: wrong for the other one.
      const unmarked = await check({ [`${base}core.so`]: glibcElf("arm64", "2.17") }, ["x86_64", "arm64"]);
      expect(unmarked.doc.findings).toEqual([expect.objectContaining({ code: "WrongArchitecture", architectures: ["x86_64"] })]);
    });

    it("a file needing a newer glibc than the runtime's OS is named with the floor and its source", async () => {
      const arch = arches[0]!;
      const file = `${base}lib/libnew.so.2`;
      const atFloor = await check({ [file]: glibcElf(arch, platform.glibc) });
      expect(atFloor.doc.findings).toEqual([]);
      const r = await check({ [file]: glibcElf(arch, newer(platform.glibc)) });
      // Evidence decides the severity: a floor the cloud does not document per runtime warns.
      const severity = platform.evidence === "unconfirmed" ? "warning" : "error";
      expect(r.doc.findings).toEqual([expect.objectContaining({ severity, code: "GlibcTooNew", file, needs: `GLIBC_${newer(platform.glibc)}` })]);
      expect(r.doc.findings[0]!.has).toContain(`${platform.os} with glibc ${platform.glibc}`);
      if (platform.evidence !== "documented") expect(r.doc.findings[0]!.has).toContain(platform.evidence);
      expect(r.code).toBe(severity === "error" ? 2 : 0);
    });

    it("libstdc++ newer than the OS's warns, unless the layer brings its own", async () => {
      const arch = arches[0]!;
      const file = `${base}lib/libcxx.so`;
      const needs = elf({
        machine: arch,
        needed: ["libstdc++.so.6", "libc.so.6"],
        versions: { "libc.so.6": ["GLIBC_2.17"], "libstdc++.so.6": [`GLIBCXX_${newer(platform.libstdcxx!)}`] },
      });
      const r = await check({ [file]: needs });
      expect(r.doc.findings).toEqual([expect.objectContaining({ severity: "warning", code: "LibstdcxxTooNew", file })]);
      expect(r.code).toBe(0);
      const bundled = await check({ [file]: needs, "lib/libstdc++.so.6": glibcElf(arch, "2.17") });
      expect(bundled.doc.findings).toEqual([]);
    });

    it("musl builds outside a musl folder are errors", async () => {
      const file = `${base}native/fast.so`;
      const r = await check({ [file]: elf({ machine: arches[0]!, needed: ["libc.musl-x86_64.so.1"] }) });
      expect(r.doc.findings).toEqual([expect.objectContaining({ severity: "error", code: "MuslBinary", file })]);
    });

    it("macOS and Windows builds: errors where a loader picks them, dead-weight warnings elsewhere", async () => {
      const r = await check({
        [`${base}native/core.so`]: machO("x86_64", "arm64"),
        [`${base}native/lib.dylib`]: machO("arm64"),
        [`${base}tools/cli-64.exe`]: pe("x86_64"),
        [`${base}tools/cli-arm64.exe`]: pe("arm64"),
      });
      expect(r.code).toBe(2);
      expect(r.doc.findings.map((f) => [f.severity, f.code, f.file])).toEqual([
        ["error", "MacOSBinary", `${base}native/core.so`],
        ["warning", "NotForLinux", `${base}native/lib.dylib`],
        ["warning", "NotForLinux", `${base}tools/cli-64.exe`],
        ["warning", "NotForLinux", `${base}tools/cli-arm64.exe`],
      ]);
      // On stderr (pack, publish) the two .exe warnings of one folder are one line.
      const packed = await runCommand("pack", {
        dir: await tree({ [`${base}tools/cli-64.exe`]: pe("x86_64"), [`${base}tools/cli-arm64.exe`]: pe("arm64") }),
        out: path.join(await tempDir(), "l.zip"),
        provider: [profile.provider],
        runtime: [runtime],
      });
      expect(packed.code).toBe(0);
      expect(packed.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(/^warning: .*tools\/cli-64\.exe \(and 1 more like it in that folder\): needs Windows.*--exclude '.*tools\/\*\.exe'/),
      ]);
    });

    it.runIf(family === "python")("CPython extensions: another version's build is an error unless one for this version is there; abi3 from its minimum", async () => {
      const arch = arches[0]!;
      const v = platform.python!;
      const lib = glibcElf(arch, "2.17");
      const only = await check({ [`${base}pkg/_core.${pyTag(newer(v), arch)}.so`]: lib });
      expect(only.doc.findings).toEqual([
        expect.objectContaining({
          severity: "error",
          code: "PythonAbi",
          file: `${base}pkg/_core.${pyTag(newer(v), arch)}.so`,
          needs: expect.stringContaining(`CPython ${newer(v)}`),
        }),
      ]);
      expect(only.doc.findings[0]!.fix).toContain(`--python-version ${v}`);
      const abi3 = (min: string) => ({
        [`${base}pkg/_rust.abi3.so`]: lib,
        [`${base}pkg-1.0.dist-info/WHEEL`]: `Wheel-Version: 1.0\nTag: cp${min.replace(".", "")}-abi3-manylinux2014_x86_64\n`,
      });
      expect((await check(abi3(newer(v)))).doc.findings).toEqual([expect.objectContaining({ code: "PythonAbi", needs: expect.stringContaining(`CPython ${newer(v)} or newer`) })]);
      expect((await check(abi3("3.6"))).doc.findings).toEqual([]);
      const windows = await check({ [`${base}pkg/_core.cp${v.replace(".", "")}-win_amd64.pyd`]: pe("x86_64") });
      expect(windows.doc.findings).toEqual([expect.objectContaining({ severity: "error", code: "WindowsBinary" })]);
    });

    it.runIf(family === "node")("Node addons: another Node major's ABI is an error; a newer Node-API than the runtime has warns", async () => {
      const arch = arches[0]!;
      const major = platform.node!.major;
      const otherMajor = major === 20 ? 22 : 20;
      const nan = await check({ [`${base}x/build/Release/x.node`]: elf({ machine: arch, exports: [`node_register_module_v${nodeModuleVersion(otherMajor)}`] }) });
      expect(nan.doc.findings).toEqual([
        expect.objectContaining({ severity: "error", code: "NodeAbi", needs: expect.stringContaining(`Node.js ${otherMajor}`), has: expect.stringContaining(`Node.js ${major}`) }),
      ]);
      const napi = platform.node!.napi;
      if (napi === undefined) return; // the runtime's Node-API version is not known: nothing to compare (see the runtime table)
      const newerApi = await check({
        [`${base}y/y.node`]: elf({ machine: arch, exports: ["napi_register_module_v1"], imports: napi < 9 ? ["node_api_symbol_for"] : ["node_api_create_external_string_latin1"] }),
      });
      expect(newerApi.doc.findings).toEqual([expect.objectContaining({ severity: "warning", code: "NodeApiVersion" })]);
      expect(newerApi.code).toBe(0);
    });

    it("a .zip gives the same findings as its folder", async () => {
      const arch = arches[0]!;
      const files = { ...cleanLayer(arch), [`${base}native/core.so`]: glibcElf(other(arch), newer(platform.glibc)) };
      const dir = await tree(files);
      const zip = path.join(await tempDir(), "layer.zip");
      expect((await runCommand("pack", { dir, out: zip, check: false })).code).toBe(0);
      const fromDir = await runCommand("check", { source: dir, provider: [profile.provider], runtime: [runtime] });
      const fromZip = await runCommand("check", { source: zip, provider: [profile.provider], runtime: [runtime] });
      expect(JSON.parse(fromZip.stdout).findings).toEqual(JSON.parse(fromDir.stdout).findings);
      expect(JSON.parse(fromDir.stdout).findings.length).toBeGreaterThan(0);
    });
  });

  describe("publish", () => {
    const shared = sharedEmulator();
    const publishCalls = () => shared.emu().faults.counts()[`${profile.provider}:${profile.publishLayerAction}`] ?? 0;

    it("refuses a layer that will not load: exit 2, one line per file, nothing uploaded; --no-check publishes it", async () => {
      const arch = provider.contents.architectures[0]!;
      const base = provider.contents.installPaths.python;
      const file = `${base ? `${base}/` : ""}native/core.so`;
      const source = await tree({ [file.slice(base ? base.length + 1 : 0)]: glibcElf(other(arch), "2.17") });
      const input = { source, prefix: base || undefined, provider: [profile.provider], name: `chk${profile.provider}`, runtime: [profile.contents.python] };
      const refused = await runCommand("publish", input, { env: shared.env() });
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe("");
      const lines = refused.stderr.trim().split("\n");
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^layerctl: error: ${profile.provider} .*: ${file.replace(/[.]/g, "\\.")}: needs an ${other(arch)} CPU; target: ${arch}.*; fix: `)),
        expect.stringMatching(/^layerctl: 1 file in the layer will not load on .*nothing was uploaded; .*--no-check/),
      ]);
      expect(publishCalls()).toBe(0);
      const forced = await runCommand("publish", { ...input, check: false }, { env: shared.env() });
      expect(forced.code).toBe(0);
      expect(JSON.parse(forced.stdout).results[0]).toMatchObject({ status: "published", version: 1 });
    });

    it("publishes a layer with warnings, saying them on stderr", async () => {
      const base = provider.contents.installPaths.python;
      const source = await tree({ "tools/cli.exe": pe("x86_64"), "m.py": "x = 1\n" });
      const r = await runCommand(
        "publish",
        { source, prefix: base || undefined, provider: [profile.provider], name: `warn${profile.provider}`, runtime: [profile.contents.python] },
        { env: shared.env() },
      );
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^warning: .*tools\/cli\.exe: needs Windows/m);
      expect(JSON.parse(r.stdout).results[0].status).toBe("published");
    });
  });
});
