// Step 2 of a publish: the zip, packed from a directory (into a temporary file unless --out keeps
// it) or read as it is, its contents checked for every provider's runtimes.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspectZip, pack } from "../archive/index.js";
import type { PackResult } from "../archive/types.js";
import { checkTargets, contentsCheck } from "../contents/contents-check.js";
import type { NamedNote } from "../contents/types.js";
import { UsageError } from "../errors.js";
import { removeOnInterrupt } from "../interrupt.js";
import type { CommandContext } from "../targets/context.js";
import type { CheckedPublish } from "./publish-validate.js";

export interface BuiltArchive {
  packed: PackResult;
  /** The zip on disk (a temporary file unless --out or a .zip source). */
  path: string;
  /** Removes a temporary zip. */
  dispose: () => Promise<void>;
}

/** The publish's zip, checked for what it is published to (unless --no-check). */
export function buildPublishArchive(p: CheckedPublish, ctx: CommandContext): Promise<BuiltArchive> {
  ctx.progress?.(p.kind === "zip" ? `reading ${p.input.source}` : `packing ${p.input.source}`);
  const check = p.input.check === false ? undefined : contentsCheck(checkTargets(p.providers, p.architectures), ctx.log, "published");
  return buildArchive(p.kind, p.source, { ...p.input, symlinks: p.symlinks, check });
}

export async function buildArchive(
  kind: "dir" | "zip",
  source: string,
  opts: { exclude?: string[]; prefix?: string; symlinks: "keep" | "follow"; out?: string; check?: (notes: NamedNote[]) => void },
): Promise<BuiltArchive> {
  if (kind === "zip") {
    const packed = await inspectZip(source, { check: opts.check });
    if (packed.archive.fileCount === 0) {
      throw new UsageError(`${source} holds no files`, { code: "EmptyZip", hint: "publish a zip with the layer's files, or a folder to pack" });
    }
    return { packed, path: source, dispose: async () => {} };
  }
  if (opts.out) {
    const packed = await pack({ dir: source, output: path.resolve(opts.out), exclude: opts.exclude, prefix: opts.prefix, symlinks: opts.symlinks, check: opts.check });
    return { packed, path: packed.archive.path!, dispose: async () => {} };
  }
  // A temporary zip, kept until every target is done with it (staging streams it from disk).
  const tmp = await mkdtemp(path.join(tmpdir(), "layerctl-"));
  const forget = removeOnInterrupt(tmp);
  const dispose = async () => {
    await rm(tmp, { recursive: true, force: true });
    forget();
  };
  try {
    const packed = await pack({ dir: source, output: path.join(tmp, "layer.zip"), exclude: opts.exclude, prefix: opts.prefix, symlinks: opts.symlinks, check: opts.check });
    return { packed: { ...packed, archive: { ...packed.archive, path: null } }, path: path.join(tmp, "layer.zip"), dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
