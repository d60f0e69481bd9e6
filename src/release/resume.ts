// `publish --resume FILE`: after a run that left some targets failed (a region down, a timeout),
// publish again to those only. FILE is the record file that run wrote (--record): a target it
// shows holding this very zip (same SHA-256) is done and left as it is; every other target (failed,
// never reached, or holding another zip) is published to. The new versions are merged into FILE.
// With --align-version, the version the done targets hold is the one to reach.
import path from "node:path";
import type { Logger } from "../output/log.js";
import { readRecordFile } from "../record/write.js";
import { describeTarget } from "../targets/describe.js";
import type { Target } from "../targets/resolve.js";

export interface ResumeSelection {
  /** Per target: publish to it (true) or leave it (false). */
  keep: boolean[];
  /** The highest version the done targets hold (what --align-version aligns at); undefined when none is done. */
  alignedVersion?: number;
}

export async function selectForResume(file: string, layerName: string, targets: Target[], sha256: string, log: Logger): Promise<ResumeSelection> {
  const abs = path.resolve(file);
  const record = await readRecordFile(abs);
  const byTarget = record.layers[layerName] ?? {};
  const done = targets.map((t) => {
    const entry = byTarget[t.provider.name]?.[t.region];
    return entry?.codeSha256 ? { entry, same: entry.codeSha256.toLowerCase() === sha256.toLowerCase() } : null;
  });
  const keep = done.map((d) => !d?.same);
  const versions = done.flatMap((d) => (d?.same ? [d.entry.version] : []));
  const left = targets.filter((_, i) => keep[i]);
  const held = targets.length - left.length;
  log.info(
    left.length === 0
      ? `resume: all ${targets.length} targets hold this zip in ${file}; nothing to publish`
      : `resume: ${held} of ${targets.length} targets hold this zip in ${file}; publishing to ${left.map(describeTarget).join(", ")}`,
  );
  const stale = targets.filter((_, i) => done[i] && !done[i]!.same);
  if (stale.length > 0) log.info(`resume: ${file} holds another zip for ${stale.map(describeTarget).join(", ")}: publishing this one there`);
  return { keep, alignedVersion: versions.length > 0 ? Math.max(...versions) : undefined };
}
