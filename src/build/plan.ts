// Which builds a layer's targets need. A build is one install of the packages for one (language
// version, architecture, C library floor); targets that share those share the build. Each
// provider then gets one tree: the build(s) it needs under its install path (python/ on AWS and
// Aliyun, the zip root on Tencent...), which is what gets packed for it.
//
// Node.js builds are keyed by architecture only: `npm ci` picks packages by --os/--cpu/--libc,
// and with install scripts skipped (as they are for another platform) neither the Node.js
// release nor the glibc version changes what it installs. Python builds are keyed by all three:
// the CPython version decides the wheels' ABI tags and the glibc floor their manylinux tags.
import { gnuArch, npmCpu } from "../contents/platform-path.js";
import { checkTargets } from "../contents/targets.js";
import { compareVersions } from "../contents/elf.js";
import { UsageError } from "../errors.js";
import type { ProviderName } from "../providers/names.js";
import type { Architecture, Provider } from "../providers/types.js";

export type Ecosystem = "python" | "node";

export interface PlannedBuild {
  /** e.g. python3.12-aarch64-glibc2.34, node-x64-glibc. */
  id: string;
  ecosystem: Ecosystem;
  arch: Architecture;
  /** The glibc the packages must not need more than (the lowest of the runtimes sharing the build). */
  glibc: string;
  /** The runtimes' OS, for messages. */
  os: string;
  python?: string;
}

export interface PlannedTree {
  provider: ProviderName;
  /** Folder inside the zip the packages go in ("" = root). */
  installPath: string;
  /** Build ids, merged in this order (a Node.js layer for both architectures holds both builds' platform packages). */
  builds: string[];
}

export interface BuildPlan {
  builds: PlannedBuild[];
  trees: PlannedTree[];
}

export function planBuilds(ecosystem: Ecosystem, providers: Map<Provider, string[]>, architectures: string[], layer: string): BuildPlan {
  const builds = new Map<string, PlannedBuild>();
  const trees: PlannedTree[] = [];
  const targets = checkTargets(providers, architectures);
  for (const [i, provider] of [...providers.keys()].entries()) {
    const t = targets[i]!;
    if (t.runtimes.length === 0)
      throw new UsageError(`layer ${layer} builds ${ecosystem} packages but gives ${provider.name} no runtime to build for`, {
        code: "MissingRuntime",
        hint: "declare its runtimes (--runtime)",
      });
    const foreign = t.runtimes.find((r) => !r.platform || (ecosystem === "python" ? r.platform.python === undefined : r.platform.node === undefined));
    if (foreign) {
      throw new UsageError(
        `layer ${layer} builds ${ecosystem === "python" ? "Python" : "Node.js"} packages, but ${foreign.id} (${provider.name}) is not a ${ecosystem === "python" ? "Python" : "Node.js"} runtime`,
        {
          code: "BuildRuntimeMismatch",
          hint: "declare only runtimes of the language the build installs for",
        },
      );
    }
    const platforms = t.runtimes.map((r) => r.platform!);
    const glibc = platforms.map((p) => p.glibc).sort(compareVersions)[0]!;
    const os = platforms.find((p) => p.glibc === glibc)!.os;
    const ids: string[] = [];
    if (ecosystem === "python") {
      const versions = [...new Set(platforms.map((p) => p.python!))];
      if (versions.length > 1) {
        throw new UsageError(`layer ${layer} declares Python ${versions.join(" and ")} for ${provider.name}; one build installs for one Python version`, {
          code: "BuildRuntimeMismatch",
          hint: "publish one layer per Python version (a compiled package is built for one)",
        });
      }
      if (t.architectures.length > 1) {
        throw new UsageError(`layer ${layer} builds Python packages for ${t.architectures.join(" and ")} on ${provider.name}; both would need the same python/ folder`, {
          code: "BuildRuntimeMismatch",
          hint: "publish one layer per architecture (e.g. deps-x86 with --arch x86_64, deps-arm with --arch arm64)",
        });
      }
      const arch = t.architectures[0]!;
      const id = `python${versions[0]}-${gnuArch(arch)}-glibc${glibc}`;
      builds.set(id, { id, ecosystem, arch, glibc, os, python: versions[0] });
      ids.push(id);
    } else {
      for (const arch of t.architectures) {
        const id = `node-${npmCpu(arch)}-glibc`;
        const known = builds.get(id);
        // Shared by targets of different floors: the lowest is the one reported.
        if (!known || compareVersions(glibc, known.glibc) < 0) builds.set(id, { id, ecosystem, arch, glibc, os });
        ids.push(id);
      }
    }
    trees.push({ provider: provider.name, installPath: provider.contents.installPaths[ecosystem], builds: ids });
  }
  return { builds: [...builds.values()], trees };
}
