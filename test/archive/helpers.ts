// Tree builders and zip readers shared by the archive tests.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import yauzl from "yauzl";

export function tempDir(): string {
  return fs.mkdtempSync(path.join(process.env.LAYERCTL_TEST_TMP ?? os.tmpdir(), "layerctl-archive-"));
}

/** path -> content (string/Buffer), `{ link }` for a symlink, `{ dir: true }` for an empty folder. */
export type TreeSpec = Record<string, string | Buffer | { link: string } | { dir: true } | { exec: string }>;

export function writeTree(root: string, spec: TreeSpec): string {
  fs.mkdirSync(root, { recursive: true });
  for (const [rel, what] of Object.entries(spec)) {
    const p = path.join(root, rel);
    if (typeof what === "object" && "dir" in what) {
      fs.mkdirSync(p, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (typeof what === "object" && "link" in what) fs.symlinkSync(what.link, p);
    else if (typeof what === "object" && "exec" in what) fs.writeFileSync(p, what.exec, { mode: 0o755 });
    else fs.writeFileSync(p, what);
  }
  return root;
}

export interface ZipEntryInfo {
  name: string;
  mode: number;
  madeBy: number;
  extraFields: number;
  dosDate: number;
  dosTime: number;
  flags: number;
  method: number;
  size: number;
  data: Buffer;
}

/** Every entry in central-directory order, with its data unless `withData` is false, via yauzl (an independent reader). */
export async function readZip(file: string, withData = true): Promise<ZipEntryInfo[]> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, decodeStrings: true });
  const out: ZipEntryInfo[] = [];
  try {
    for await (const e of zip.eachEntry()) {
      const chunks: Buffer[] = [];
      if (withData) for await (const c of await zip.openReadStreamPromise(e)) chunks.push(c as Buffer);
      out.push({
        name: e.fileName,
        mode: e.externalFileAttributes >>> 16,
        madeBy: e.versionMadeBy >> 8,
        extraFields: e.extraFields.length,
        dosDate: e.lastModFileDate,
        dosTime: e.lastModFileTime,
        flags: e.generalPurposeBitFlag,
        method: e.compressionMethod,
        size: e.uncompressedSize,
        data: Buffer.concat(chunks),
      });
    }
  } finally {
    zip.close();
  }
  return out;
}

export function hasTool(name: string): boolean {
  return spawnSync(name, ["-h"], { stdio: "ignore" }).status !== null;
}

/** Files in `dir` other than `keep`: a failed pack must leave neither a zip nor a temp file. */
export function strayFiles(dir: string, keep: string[] = []): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((n) => !keep.includes(n));
}
