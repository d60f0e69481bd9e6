// Packages made by the tests, installed offline by the real tools: wheels (a zip holding the
// files and a .dist-info with WHEEL, METADATA and RECORD; the platform tags in its name, PEP 427)
// for pip --no-index --find-links, and npm tarballs (npm pack) with os/cpu/libc fields.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pack } from "../../src/archive/index.js";
import { tempDir } from "./archive.js";

/** Writes `<name>-<version>-<tag>.whl` into `into`. `tag` is python-abi-platform, platforms dot-separated. */
export async function makeWheel(into: string, spec: { name: string; version: string; tag: string; files: Record<string, Buffer | string>; requires?: string[] }): Promise<string> {
  const src = await tempDir("layerctl-wheel-");
  const info = `${spec.name}-${spec.version}.dist-info`;
  const [py, abi, platforms] = spec.tag.split("-") as [string, string, string];
  const files: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(spec.files)) files[k] = Buffer.from(v);
  files[`${info}/METADATA`] = Buffer.from(
    `Metadata-Version: 2.1\nName: ${spec.name}\nVersion: ${spec.version}\n${(spec.requires ?? []).map((r) => `Requires-Dist: ${r}\n`).join("")}`,
  );
  files[`${info}/WHEEL`] = Buffer.from(
    `Wheel-Version: 1.0\nGenerator: layerctl-tests\nRoot-Is-Purelib: ${abi === "none" ? "true" : "false"}\n${platforms
      .split(".")
      .map((p) => `Tag: ${py}-${abi}-${p}\n`)
      .join("")}`,
  );
  const record = Object.entries(files).map(([k, v]) => `${k},sha256=${createHash("sha256").update(v).digest("base64url")},${v.length}`);
  files[`${info}/RECORD`] = Buffer.from(`${[...record, `${info}/RECORD,,`].join("\n")}\n`);
  for (const [k, v] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(src, k)), { recursive: true });
    await writeFile(path.join(src, k), v);
  }
  const out = path.join(into, `${spec.name}-${spec.version}-${spec.tag}.whl`);
  await pack({ dir: src, output: `${out}.zip` });
  await rename(`${out}.zip`, out);
  await rm(src, { recursive: true, force: true });
  return out;
}

export interface NpmSpec {
  name: string;
  version: string;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  files?: Record<string, Buffer | string>;
  scripts?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** `npm pack`s a package into `into`; returns the tarball's path. */
export async function makeNpmPackage(into: string, spec: NpmSpec, env: Record<string, string>): Promise<string> {
  const dir = await tempDir("layerctl-npm-");
  const { files = {}, ...manifest } = spec;
  await writeFile(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  for (const [k, v] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, k)), { recursive: true });
    await writeFile(path.join(dir, k), v);
  }
  const name = execFileSync("npm", ["pack", "--pack-destination", into, "--ignore-scripts"], { cwd: dir, env, encoding: "utf8" }).trim().split("\n").pop()!;
  return path.join(into, name);
}
