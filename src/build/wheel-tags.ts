// Which wheels a runtime can load, as pip's `--platform` values. A manylinux wheel names the
// oldest glibc it needs (PEP 600: manylinux_2_X_<arch>; the legacy names are aliases:
// manylinux2014 = 2.17, manylinux2010 = 2.12, manylinux1 = 2.5, PEP 599 / 571 / 513), and a
// runtime loads every one whose glibc is at most its own. pip does not widen a PEP 600 tag to
// older ones by itself, so every acceptable tag is listed, newest first.
import { gnuArch } from "../contents/platform-path.js";
import type { Architecture } from "../providers/types.js";

/** The oldest glibc each architecture has manylinux wheels for: x86_64 from manylinux1, aarch64 from manylinux2014. */
const OLDEST: Readonly<Record<Architecture, number>> = { x86_64: 5, arm64: 17 };
const LEGACY: ReadonlyArray<[string, number]> = [
  ["manylinux2014", 17],
  ["manylinux2010", 12],
  ["manylinux1", 5],
];

/** `--platform` values for a glibc floor ("2.26") and architecture, newest first. */
export function manylinuxPlatforms(glibc: string, arch: Architecture): string[] {
  const a = gnuArch(arch);
  const minor = Number(glibc.split(".")[1]);
  const out: string[] = [];
  for (let m = minor; m >= OLDEST[arch]; m--) out.push(`manylinux_2_${m}_${a}`);
  for (const [name, m] of LEGACY) if (m <= minor && m >= OLDEST[arch]) out.push(`${name}_${a}`);
  return out;
}

/** The same in few words, for messages: "manylinux_2_26 ... manylinux_2_5 (and manylinux2014/2010/1) for x86_64". */
export function describePlatforms(glibc: string, arch: Architecture): string {
  const all = manylinuxPlatforms(glibc, arch);
  const pep600 = all.filter((p) => p.startsWith("manylinux_"));
  const legacy = all.filter((p) => !p.startsWith("manylinux_")).map((p) => p.replace(/_[a-z0-9_]+$/, "").replace("manylinux", ""));
  const range = pep600.length > 1 ? `${pep600[0]} down to ${pep600.at(-1)}` : pep600[0];
  return `${range}${legacy.length ? ` (and manylinux${legacy.join("/")})` : ""}`;
}

/** uv's `--python-platform` for the same floor: one target, whose glibc uv compares itself. */
export function uvPlatform(glibc: string, arch: Architecture): string {
  return `${gnuArch(arch)}-manylinux_2_${Math.max(17, Number(glibc.split(".")[1]))}`;
}
