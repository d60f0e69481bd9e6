// CPython extension modules and the interpreters that import them. CPython looks for a module
// `m` as `m` + each of importlib.machinery.EXTENSION_SUFFIXES, which on Linux are
// `.cpython-311-x86_64-linux-gnu.so` (one version, one platform), `.abi3.so` (the stable ABI,
// PEP 384: any version from the one it was built for) and `.so`. Anything else (`.pyd`, a
// `-darwin` tag, another version's tag) is never imported on the target. PEP 3149 names the tags.
import type { Machine } from "./types.js";
import { gnuArch } from "./platform-path.js";

export interface PythonExtension {
  /** Folder and module name (`python/numpy/core/_multiarray_umath`): the variants of one module share it. */
  module: string;
  /** cpython-311-...: the version; abi3: the stable ABI; plain: `.so` without a tag; other: PyPy, Windows .pyd and the like. */
  tag: { kind: "cpython"; version: string; platform: string } | { kind: "abi3" } | { kind: "plain" } | { kind: "other"; text: string };
}

const EXT = /^(.*\/)?([^./]+)\.(?:([^/]+)\.)?(so|pyd)$/;

/** The extension module a file name is, or null for a name CPython's importer would not read as one. */
export function pythonExtension(name: string): PythonExtension | null {
  const m = EXT.exec(name);
  if (!m) return null;
  const [, dir = "", mod, tag, ext] = m;
  const module = `${dir}${mod}`;
  if (ext === "pyd") return { module, tag: { kind: "other", text: tag ? `${tag}.pyd` : "pyd" } };
  if (tag === undefined) return { module, tag: { kind: "plain" } };
  if (tag === "abi3") return { module, tag: { kind: "abi3" } };
  const cp = /^cpython-(\d)(\d+)[dmu]*(?:-(.+))?$/.exec(tag);
  if (cp) return { module, tag: { kind: "cpython", version: `${cp[1]}.${cp[2]}`, platform: cp[3] ?? "" } };
  // Names like libfoo.so.1 or foo.bar.so that are not tagged extensions.
  if (!/^(pypy|cp\d)/.test(tag)) return null;
  return { module, tag: { kind: "other", text: tag } };
}

/** Whether CPython `version` on Linux `arch` imports this variant (by name; the file's own headers are checked apart). */
export function importsOn(ext: PythonExtension, version: string, arch: Machine | null, abi3From?: string): boolean {
  const t = ext.tag;
  if (t.kind === "plain") return true;
  if (t.kind === "abi3") return abi3From === undefined || compareMinor(version, abi3From) >= 0;
  if (t.kind === "other") return false;
  return t.version === version && (arch === null ? /-linux-gnu$/.test(t.platform) : t.platform === `${gnuArch(arch)}-linux-gnu`);
}

function compareMinor(a: string, b: string): number {
  const [a1, a2] = a.split(".").map(Number);
  const [b1, b2] = b.split(".").map(Number);
  return a1! - b1! || a2! - b2!;
}

/** `python3.10` -> `cp310`. */
export function cpTag(version: string): string {
  return `cp${version.replace(".", "")}`;
}

/** Where an installed distribution's modules live: its site folder and normalized name (PEP 503). */
export function distributionOf(wheelFile: string): { site: string; name: string } | null {
  const m = /^(.*\/)?([^/]+?)-[^/-]+\.dist-info\/WHEEL$/.exec(wheelFile);
  return m ? { site: m[1] ?? "", name: normalizeName(m[2]!) } : null;
}

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "_");
}

/** The lowest CPython version a wheel's `cpXY-abi3-*` tags accept. */
export function abi3Minimum(tags: string[]): string | undefined {
  let min: string | undefined;
  for (const tag of tags) {
    const m = /^cp(\d)(\d+)-abi3-/.exec(tag);
    if (!m) continue;
    const v = `${m[1]}.${m[2]}`;
    if (min === undefined || compareMinor(v, min) < 0) min = v;
  }
  return min;
}
