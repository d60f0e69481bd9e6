// The compatibility rules: given what the pass noted about a layer's files and what each target
// runs, which files will fail to load there, and why. Every (runtime, architecture) a target may
// run is judged on its own; findings that agree are merged into one line per file and target.
//
// A file counts where its loader would pick it: a build in a platform folder (linux-arm64/,
// x.cpython-311-aarch64-linux-gnu.so) only on that platform, anything else everywhere. Errors
// are for what certainly fails; warnings where the evidence is weaker (a floor not documented for
// the runtime, libstdc++ that the layer or function may bring, Node-API versions, dead weight).
import type { Architecture, RuntimePlatform } from "../providers/types.js";
import type { ProviderName } from "../providers/names.js";
import { compareVersions } from "./elf.js";
import { NODE_MODULE_VERSIONS } from "./node-api.js";
import { gnuArch, npmCpu, platformOf, type PathMarker } from "./platform-path.js";
import { abi3Minimum, cpTag, distributionOf, importsOn, normalizeName, pythonExtension, type PythonExtension } from "./python-abi.js";
import type { BinaryFacts, ElfFacts, Finding, Machine, NamedNote } from "./types.js";

/** One provider as the check sees it: its runtimes' platforms and the architectures its functions may run. */
export interface CheckTarget {
  /** null: no provider given (pack alone): what fails on every cloud. */
  provider: ProviderName | null;
  runtimes: Array<{ id: string; platform: RuntimePlatform | null }>;
  /** Empty: not known (any of them). */
  architectures: Architecture[];
  /** Said with the architecture when it was not given (e.g. "no --arch given: Lambda's default"). */
  architectureNote?: string;
}

interface Prepared {
  name: string;
  facts: BinaryFacts;
  marker: PathMarker;
  ext: PythonExtension | null;
  /** The CPython version of a `lib/pythonX.Y/site-packages/` path: only that version imports from it. */
  siteVersion?: string;
  /** The loader picks it by this name: a shared object, an addon, a Python extension, a custom runtime's bootstrap, a command on PATH. */
  loadable: boolean;
  ecosystem: "python" | "node" | "other";
}

type Raw = Omit<Finding, "runtimes" | "architectures"> & { runtime?: string; architecture?: string };

const SUPPORTED: readonly Machine[] = ["x86_64", "arm64"];

function prepare(name: string, facts: BinaryFacts): Prepared {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const site = /(?:^|\/)lib\/python(\d+\.\d+)\/site-packages\//.exec(name);
  const ext = pythonExtension(name);
  const ecosystem = ext || /(^|\/)python\//.test(name) || site ? "python" : /(^|\/)node_modules\//.test(name) || base.endsWith(".node") ? "node" : "other";
  const loadable = /\.(so(\.[0-9.]+)?|node|pyd)$/.test(base) || name === "bootstrap" || /^bin\/[^/]+$/.test(name);
  return { name, facts, marker: platformOf(name), ext, siteVersion: site?.[1], loadable, ecosystem };
}

/** Every finding for every target, errors first, in file order within each severity. */
export function evaluate(notes: NamedNote[], targets: CheckTarget[]): Finding[] {
  const binaries: Prepared[] = [];
  const abi3From = new Map<string, string>();
  for (const { name, note } of notes) {
    if (note.kind === "binary") binaries.push(prepare(name, note.facts));
    else {
      const dist = distributionOf(name);
      const min = abi3Minimum(note.tags);
      if (dist && min) abi3From.set(`${dist.site}${dist.name}`, min);
    }
  }
  const bringsLibstdcxx = notes.some((n) => /(^|\/)libstdc\+\+\.so\.6[0-9.]*$/.test(n.name));
  const ctx: Context = { binaries, abi3From, bringsLibstdcxx };
  const out: Finding[] = [];
  for (const target of targets) out.push(...merge(target, judgeTarget(ctx, target)).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)));
  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
}

interface Context {
  binaries: Prepared[];
  abi3From: Map<string, string>;
  bringsLibstdcxx: boolean;
}

function judgeTarget(ctx: Context, target: CheckTarget): Raw[] {
  const runtimes = target.runtimes.length > 0 ? target.runtimes : [null];
  const arches: Array<Architecture | null> = target.architectures.length > 0 ? target.architectures : [null];
  const raw: Raw[] = [];
  for (const rt of runtimes) for (const arch of arches) raw.push(...judgePair(ctx, target, rt, arch));
  if (arches[0] === null) raw.push(...mixedArchitectures(ctx));
  return raw;
}

/** One runtime on one architecture (null: not known). */
function judgePair(ctx: Context, target: CheckTarget, rt: CheckTarget["runtimes"][number] | null, arch: Architecture | null): Raw[] {
  const out: Raw[] = [];
  const platform = rt?.platform ?? null;
  const where = { provider: target.provider, runtime: rt?.id, architecture: arch ?? undefined };
  const archText = arch && `${arch}${target.architectureNote ? ` (${target.architectureNote})` : ""}`;
  const python = platform?.python;
  // Python runtimes import extension modules by name: judged per module, over its variants.
  const byModule = new Map<string, Prepared[]>();
  const files: Prepared[] = [];
  for (const b of ctx.binaries) {
    if (b.siteVersion !== undefined && python !== undefined && b.siteVersion !== python) continue;
    if (python !== undefined && b.ext) byModule.set(b.ext.module, [...(byModule.get(b.ext.module) ?? []), b]);
    else files.push(b);
  }
  const loaded: Prepared[] = [];
  for (const [module, variants] of byModule) {
    const abi3 = abi3MinimumOf(ctx.abi3From, module);
    const pick = variants.find((v) => importsOn(v.ext!, python!, arch, abi3) && runsHere(v.facts, arch));
    if (pick) loaded.push(pick);
    else out.push(moduleFinding(variants, python!, arch, abi3, target, platform, where, archText));
  }

  const slots = new Map<string, { members: Prepared[]; arches: Set<Machine> }>();
  for (const b of files) {
    const f = b.facts;
    if (f.format !== "elf") {
      if (f.format === "pe" && f.managed) continue;
      if (b.marker.os !== undefined && b.marker.os !== "linux") continue;
      out.push(foreignFinding(b, where));
      continue;
    }
    if (b.marker.os !== undefined && b.marker.os !== "linux") continue;
    if (f.libc === "musl" && b.marker.libc !== "musl") {
      out.push(muslFinding(b, f, platform, where));
      continue;
    }
    if (b.marker.libc === "musl") continue;
    if (arch === null) {
      if (b.marker.arch === undefined && !SUPPORTED.includes(f.machine)) {
        out.push({
          ...where,
          severity: "error",
          code: "UnsupportedArchitecture",
          file: b.name,
          needs: `an ${machineName(f)} CPU`,
          has: "x86_64 or arm64 (the clouds run nothing else)",
          fix: `install the x86_64 or arm64 build (${installHint(b.ecosystem, "x86_64")})`,
        });
      }
      continue;
    }
    if (b.marker.arch !== undefined) {
      const slot = slots.get(b.marker.slot!) ?? { members: [], arches: new Set<Machine>() };
      slot.members.push(b);
      slot.arches.add(b.marker.arch);
      slots.set(b.marker.slot!, slot);
      if (b.marker.arch !== arch) continue;
    }
    if (f.machine !== arch) {
      out.push(wrongArchitecture(b, f, arch, archText!, target, where));
      continue;
    }
    loaded.push(b);
  }

  if (arch !== null) {
    for (const { members, arches } of slots.values()) {
      if (arches.has(arch)) continue;
      const b = members[0]!;
      out.push({
        ...where,
        severity: "error",
        code: "MissingArchitecture",
        file: b.name,
        needs: `an ${arch} build beside this ${b.marker.arch} one`,
        has: `${archText}; the layer holds no ${arch} build of it`,
        fix: `install the ${arch} build (${installHint(b.ecosystem, arch)})${otherArchFix(target, b.marker.arch!)}`,
      });
    }
  }

  for (const b of loaded) {
    if (b.facts.format !== "elf") continue;
    out.push(...libraryFindings(b, b.facts, platform, rt?.id, arch, ctx.bringsLibstdcxx, where));
    if (b.name.endsWith(".node") && platform?.node) out.push(...addonFindings(b, b.facts, platform.node, rt!.id, where));
  }
  return out;
}

/** The abi3 minimum of the distribution installed beside a module's top folder (`python/cryptography/...` <- `python/cryptography-42.0.dist-info`). */
function abi3MinimumOf(abi3From: Map<string, string>, module: string): string | undefined {
  const parts = module.split("/");
  for (let i = 0; i < parts.length - 1; i++) {
    const hit = abi3From.get(
      `${parts
        .slice(0, i)
        .map((p) => `${p}/`)
        .join("")}${normalizeName(parts[i]!)}`,
    );
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Whether the loader on `arch` can load this file at all (format, machine, C library). */
function runsHere(f: BinaryFacts, arch: Architecture | null): boolean {
  if (f.format !== "elf" || f.libc === "musl") return false;
  return arch === null ? SUPPORTED.includes(f.machine) : f.machine === arch;
}

/**
 * No variant of a Python extension module imports on this runtime. One built for this CPython
 * version is told as a file would be (wrong CPU, musl, macOS...); with none for this version,
 * the versions there are are named.
 */
function moduleFinding(
  variants: Prepared[],
  python: string,
  arch: Architecture | null,
  abi3: string | undefined,
  target: CheckTarget,
  platform: RuntimePlatform | null,
  where: RawWhere,
  archText: string | null,
): Raw {
  const forThisVersion = (v: Prepared) => {
    const t = v.ext!.tag;
    return t.kind === "plain" || (t.kind === "abi3" && importsOn(v.ext!, python, null, abi3)) || (t.kind === "cpython" && t.version === python);
  };
  const near = variants.find(forThisVersion);
  if (near) {
    const f = near.facts;
    if (f.format !== "elf") return foreignFinding({ ...near, loadable: true }, where);
    if (f.libc === "musl") return muslFinding(near, f, platform, where);
    // Right version, other CPU: by its headers, or by the platform its name gives (the importer goes by the name).
    const machine = f.machine !== arch ? f : { ...f, machine: near.marker.arch ?? f.machine };
    return wrongArchitecture(near, machine, arch!, archText!, target, where);
  }
  const b = variants.find((v) => v.facts.format === "elf" && v.ext!.tag.kind === "cpython") ?? variants[0]!;
  const t = b.ext!.tag;
  const built = [...new Set(variants.map((v) => builtFor(v.ext!, abi3)))];
  return {
    ...where,
    severity: "error",
    code: t.kind === "other" && b.facts.format === "pe" ? "WindowsBinary" : "PythonAbi",
    file: b.name,
    needs: `${built.join(" or ")}${variants.length > 1 ? ` (${variants.length} builds of the module)` : ""}`,
    has: `CPython ${python}, which imports only extensions built for it, abi3 ones from their minimum, or untagged .so files`,
    fix: `install the ${cpTag(python)} build (layerctl build, or pip install --python-version ${python} --implementation cp${arch ? ` --platform manylinux2014_${gnuArch(arch)}` : ""} --only-binary=:all:)`,
  };
}

function builtFor(ext: PythonExtension, abi3: string | undefined): string {
  const t = ext.tag;
  if (t.kind === "cpython") return `CPython ${t.version}`;
  if (t.kind === "abi3") return `CPython ${abi3} or newer (abi3)`;
  if (t.kind === "other") return `another interpreter or OS (${t.text})`;
  return "any CPython";
}

function muslFinding(b: Prepared, f: ElfFacts, platform: RuntimePlatform | null, where: RawWhere): Raw {
  return {
    ...where,
    severity: "error",
    code: "MuslBinary",
    file: b.name,
    needs: `the musl C library (built for Alpine Linux, ${f.machine})`,
    has: `glibc (${platform ? platform.os : "every cloud's runtimes"})`,
    fix: `install the glibc build instead (${b.ecosystem === "python" ? "a manylinux wheel, not musllinux" : b.ecosystem === "node" ? "npm ci --libc=glibc" : "rebuild it against glibc"})`,
  };
}

/** A Mach-O or PE file outside any other-OS folder. */
function foreignFinding(b: Prepared, where: RawWhere): Raw {
  const f = b.facts;
  const mac = f.format === "macho";
  const kind = mac ? `a macOS (Mach-O ${(f as { machines: Machine[] }).machines.join("+")}) build` : `a Windows (PE ${(f as { machine: Machine }).machine}) build`;
  if (b.loadable) {
    return {
      ...where,
      severity: "error",
      code: mac ? "MacOSBinary" : "WindowsBinary",
      file: b.name,
      needs: `${mac ? "macOS" : "Windows"}: it is ${kind}`,
      has: "Linux",
      fix: `install it for Linux (${installHint(b.ecosystem, null)})`,
    };
  }
  const dir = b.name.includes("/") ? b.name.slice(0, b.name.lastIndexOf("/") + 1) : "";
  const ext = /\.[A-Za-z0-9]+$/.exec(b.name)?.[0];
  return {
    ...where,
    severity: "warning",
    code: "NotForLinux",
    file: b.name,
    needs: `${mac ? "macOS" : "Windows"}: it is ${kind}`,
    has: "Linux, which never loads it",
    fix: `dead weight: leave it out (--exclude '${ext ? `${dir}*${ext}` : b.name}')`,
  };
}

function wrongArchitecture(b: Prepared, f: ElfFacts, arch: Architecture, archText: string, target: CheckTarget, where: RawWhere): Raw {
  const inFolder = b.marker.arch !== undefined ? ` (it sits where the ${b.marker.arch} build belongs)` : "";
  return {
    ...where,
    severity: "error",
    code: "WrongArchitecture",
    file: b.name,
    needs: `an ${machineName(f)} CPU${inFolder}`,
    has: archText,
    fix: `install the ${arch} build (${installHint(b.ecosystem, arch)})${otherArchFix(target, f.machine)}`,
  };
}

/** Where the target could run the other architecture instead: say so (AWS --arch). */
function otherArchFix(target: CheckTarget, machine: Machine): string {
  if (target.provider === null || !(SUPPORTED as string[]).includes(machine)) return "";
  return target.architectures.length === 1 && target.architectures[0] !== machine ? `, or publish it for ${machine} functions (--arch ${machine}) if that is what it is for` : "";
}

function libraryFindings(
  b: Prepared,
  f: ElfFacts,
  platform: RuntimePlatform | null,
  runtime: string | undefined,
  arch: Architecture | null,
  bringsLibstdcxx: boolean,
  where: RawWhere,
): Raw[] {
  if (!platform || f.libc === "musl") return [];
  const out: Raw[] = [];
  const on = `${runtime ?? "the runtime"} runs ${platform.os}`;
  const evidence = platform.evidence === "documented" ? platform.source : `${platform.evidence}: ${platform.source}`;
  if (f.glibc && compareVersions(f.glibc, platform.glibc) > 0) {
    out.push({
      ...where,
      severity: platform.evidence === "unconfirmed" ? "warning" : "error",
      code: "GlibcTooNew",
      file: b.name,
      needs: `GLIBC_${f.glibc}`,
      has: `${on} with glibc ${platform.glibc} (${evidence})`,
      fix:
        b.ecosystem === "python"
          ? `install a wheel built for glibc ${platform.glibc} or older (manylinux ${manylinuxFor(platform.glibc, arch)}; layerctl build picks one)`
          : `install a build made against glibc ${platform.glibc} or older (e.g. built in the runtime's own image)`,
    });
  }
  if (!bringsLibstdcxx && platform.libstdcxx) {
    const over = f.glibcxx && compareVersions(f.glibcxx, platform.libstdcxx) > 0;
    if (over) {
      out.push({
        ...where,
        severity: "warning",
        code: "LibstdcxxTooNew",
        file: b.name,
        needs: `GLIBCXX_${f.glibcxx} (libstdc++)`,
        has: `${on}, whose libstdc++ goes to GLIBCXX_${platform.libstdcxx} (${evidence})`,
        fix: "ship a libstdc++.so.6 that has it (e.g. in lib/), or install a build made with an older compiler",
      });
    }
  }
  return out;
}

function addonFindings(b: Prepared, f: ElfFacts, node: { major: number; napi?: number }, runtime: string, where: RawWhere): Raw[] {
  if (f.nodeModuleVersion !== undefined) {
    const major = NODE_MODULE_VERSIONS[f.nodeModuleVersion];
    if (major === node.major) return [];
    return [
      {
        ...where,
        severity: "error",
        code: "NodeAbi",
        file: b.name,
        needs: `Node.js ${major ?? `of NODE_MODULE_VERSION ${f.nodeModuleVersion}`} (a V8/NAN addon is built for one Node.js major)`,
        has: `${runtime} runs Node.js ${node.major}`,
        fix: `install or rebuild it for Node.js ${node.major} (npm rebuild with Node.js ${node.major}, or a Node-API build of the package)`,
      },
    ];
  }
  if (f.napi !== undefined && node.napi !== undefined && f.napi > node.napi) {
    return [
      {
        ...where,
        severity: "warning",
        code: "NodeApiVersion",
        file: b.name,
        needs: `Node-API ${f.napi} (from the Node-API functions it imports)`,
        has: `${runtime} runs Node.js ${node.major}, which has Node-API ${node.napi}`,
        fix: "use a release of the package built for an older Node-API, or a newer runtime",
      },
    ];
  }
  return [];
}

/** With no architecture known: binaries for both, none in a platform folder, cannot all load on one machine. */
function mixedArchitectures(ctx: Context): Raw[] {
  const by = new Map<Machine, Prepared[]>();
  for (const b of ctx.binaries) {
    if (b.facts.format !== "elf" || b.marker.arch !== undefined || (b.marker.os !== undefined && b.marker.os !== "linux") || b.marker.libc === "musl") continue;
    if (!SUPPORTED.includes(b.facts.machine)) continue;
    by.set(b.facts.machine, [...(by.get(b.facts.machine) ?? []), b]);
  }
  if (by.size < 2) return [];
  const [major, minor] = [...by.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] === "x86_64" ? -1 : 1));
  return minor![1].map((b) => ({
    provider: null,
    severity: "error" as const,
    code: "MixedArchitectures",
    file: b.name,
    needs: `an ${minor![0]} CPU`,
    has: `${major![1].length} other binar${major![1].length === 1 ? "y needs" : "ies need"} ${major![0]} (e.g. ${major![1][0]!.name}): no function runs both`,
    fix: `install every package for one architecture (${installHint(b.ecosystem, major![0] as Architecture)})`,
  }));
}

type RawWhere = { provider: ProviderName | null; runtime?: string; architecture?: string };

function machineName(f: ElfFacts | { machine: Machine }): string {
  if ("machineCode" in f && f.machine === "other") return `e_machine ${f.machineCode}`;
  return f.machine === "x86" ? "x86 (32-bit)" : f.machine === "arm" ? "ARM (32-bit)" : f.machine;
}

function installHint(ecosystem: Prepared["ecosystem"], arch: Machine | null): string {
  if (ecosystem === "node") return `layerctl build, or npm ci --os=linux${arch ? ` --cpu=${npmCpu(arch)}` : ""} --libc=glibc`;
  if (ecosystem === "python") return `layerctl build, or pip install --platform manylinux2014_${gnuArch(arch ?? "x86_64")} --only-binary=:all:`;
  return arch ? `rebuild it for ${arch} Linux` : "rebuild it for Linux";
}

/** The newest manylinux tag a glibc floor accepts, for the fix. */
function manylinuxFor(glibc: string, arch: Architecture | null): string {
  const [, minor] = glibc.split(".").map(Number);
  return `manylinux_2_${minor}_${gnuArch(arch ?? "x86_64")} or older, e.g. manylinux2014_${gnuArch(arch ?? "x86_64")}`;
}

/** Findings that agree across runtimes and architectures become one, naming them all. */
function merge(target: CheckTarget, raw: Raw[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const r of raw) {
    const key = `${r.code}\0${r.file}\0${r.needs}`;
    const { runtime, architecture, ...rest } = r;
    const f = byKey.get(key) ?? { ...rest, provider: target.provider, runtimes: [], architectures: [] };
    if (runtime !== undefined && !f.runtimes.includes(runtime)) f.runtimes.push(runtime);
    if (architecture !== undefined && !f.architectures.includes(architecture)) f.architectures.push(architecture);
    if (byKey.has(key) && !f.has.split("; ").includes(r.has)) f.has = `${f.has}; ${r.has}`;
    // A finding some pair calls an error is an error.
    if (r.severity === "error") f.severity = "error";
    byKey.set(key, f);
  }
  return [...byKey.values()];
}
