// Deterministic layer packing: the same tree gives the same zip bytes wherever it is packed with the
// same Node release (Node bundles its zlib; a zlib upgrade may change deflate output).
//
// Layout decisions: every folder gets an explicit entry (0755), like `zip -r`, so empty folders
// survive and folders extract with the same mode everywhere; entries are sorted bytewise on their
// UTF-8 path; no extra fields except zip64 where sizes, offsets or the entry count need it.
import path from "node:path";
import type { NamedNote } from "../contents/types.js";
import { createDeflater, type Deflater } from "./deflate-pool.js";
import { loadIgnore } from "./ignore.js";
import { checkPaths, normalisePrefix } from "./paths.js";
import { dosDateTime, resolveSourceDateEpoch } from "./timestamp.js";
import type { PackOptions, PackResult } from "./types.js";
import { compareUtf8 } from "./utf8-order.js";
import { walk } from "./walk.js";
import { writeEntries } from "./write-entries.js";
import { ZipFileWriter } from "./zip-writer.js";

export { inspectZip } from "./inspect.js";
export type { ArchiveSummary, PackOptions, PackResult, SymlinkMode } from "./types.js";

export async function pack(opts: PackOptions): Promise<PackResult> {
  const shownRoot = path.resolve(opts.dir);
  const { root, output } = checkPaths(opts.dir, opts.output);
  const prefix = normalisePrefix(opts.prefix);
  const stamp = dosDateTime(resolveSourceDateEpoch(opts.sourceDateEpoch));
  const walked = walk({ root, shownRoot, prefix, symlinks: opts.symlinks ?? "keep", ignored: loadIgnore(root, opts.exclude ?? []) });

  // Counted as the entries stream past: nothing per entry is kept here.
  let fileCount = 0;
  let uncompressedBytes = 0;
  const top = new Set<string>();
  // Second-level names, for layout hints: one per child of a top-level folder (a handful in the
  // layouts the clouds expect; the one per-entry cost left when a top-level folder is flat).
  const second = new Set<string>();
  function* counted() {
    for (const e of walked) {
      // The first two segments, found without splitting the whole path (this runs per entry).
      const first = e.name.indexOf("/");
      top.add(first < 0 ? e.name : e.name.slice(0, first));
      if (first >= 0 && first + 1 < e.name.length) {
        const end = e.name.indexOf("/", first + 1);
        second.add(end < 0 ? e.name : e.name.slice(0, end));
      }
      if (e.kind !== "dir") {
        fileCount++;
        uncompressedBytes += e.kind === "file" ? e.size : Buffer.byteLength(e.target);
      }
      yield e;
    }
  }

  const shown = (source: string) => path.join(shownRoot, path.relative(root, source));
  const zip = ZipFileWriter.create(output);
  const deflater: Deflater = createDeflater();
  const notes: NamedNote[] = [];
  try {
    await writeEntries(counted(), zip, deflater, stamp, shown, opts.check ? (name, note) => notes.push({ name, note }) : undefined);
    // Before the zip is put in place: a check that refuses the layer leaves no zip behind.
    opts.check?.(notes);
    const { zipBytes, sha256 } = zip.finish();
    return {
      archive: { path: output, fileCount, uncompressedBytes, zipBytes, sha256 },
      topLevel: [...top].sort(compareUtf8),
      secondLevel: [...second].sort(compareUtf8),
    };
  } catch (err) {
    zip.abort();
    throw err;
  } finally {
    await deflater.close();
  }
}
