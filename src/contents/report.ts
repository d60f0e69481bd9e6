// Findings as lines for people (stderr, `check`'s table) and as the error that stops a pack or a
// publish. One line per file and target: where, the file inside the zip, what it needs, what the
// target has, the fix. Warnings about dead weight are folded per folder so a package that ships
// a dozen Windows launchers costs one line, not twelve.
import { UsageError } from "../errors.js";
import type { Finding } from "./types.js";

/** "aws python3.10 arm64", "tencent Python3.9 x86_64", "any cloud". */
export function targetLabel(f: Pick<Finding, "provider" | "runtimes" | "architectures">): string {
  return [f.provider ?? "any cloud", f.runtimes.join(","), f.architectures.join(",")].filter(Boolean).join(" ");
}

export function findingLine(f: Finding, also = 0): string {
  const file = also > 0 ? `${f.file} (and ${also} more like it in that folder)` : f.file;
  return `${targetLabel(f)}: ${file}: needs ${f.needs}; target: ${f.has}; fix: ${f.fix}`;
}

/** One line per finding, dead-weight warnings folded per target and folder. */
export function findingLines(findings: Finding[]): string[] {
  const out: string[] = [];
  const folded = new Map<string, { first: Finding; count: number; at: number }>();
  for (const f of findings) {
    if (f.code !== "NotForLinux") {
      out.push(findingLine(f));
      continue;
    }
    const key = `${targetLabel(f)}\0${f.file.slice(0, f.file.lastIndexOf("/") + 1)}`;
    const seen = folded.get(key);
    if (seen) seen.count++;
    else {
      folded.set(key, { first: f, count: 0, at: out.length });
      out.push("");
    }
  }
  for (const { first, count, at } of folded.values()) out[at] = findingLine(first, count);
  return out;
}

/** What stops a pack or publish: exit 2, one line per error finding before the summary. */
export function incompatibleError(errors: Finding[], what: "published" | "written"): UsageError {
  const targets = [...new Set(errors.map((f) => f.provider ?? "any cloud"))];
  return new UsageError(
    `${errors.length} file${errors.length === 1 ? "" : "s"} in the layer will not load on ${targets.join(", ")} (listed above); nothing was ${what === "published" ? "uploaded" : "written"}`,
    {
      code: "IncompatibleLayer",
      hint: "fix them as each line says (`layerctl build` installs packages for the target), or pass --no-check to go ahead anyway",
      details: errors.map((f) => `error: ${findingLine(f)}`),
    },
  );
}
