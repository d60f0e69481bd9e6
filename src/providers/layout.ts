// Layers are extracted to /opt and each runtime only looks in fixed sub-folders. A zip whose top
// level does not match publishes fine and then fails at import time: warn before that happens.

export interface LayoutRule {
  /** Native runtime ids (prefix match, case-insensitive) this rule is for. */
  runtimePrefixes: string[];
  /** Top-level folders of the zip where the runtime looks; one must be present. */
  expected: string[];
  /** --prefix value to suggest. */
  suggestPrefix: string;
}

/**
 * `neutral`: top-level folders that work with every runtime (bin/ on PATH, lib/ on
 * LD_LIBRARY_PATH...). A zip holding only those is fine; anything else at the top while the
 * runtime's folder is missing is out of the runtime's reach.
 */
export function layoutWarningFor(rules: LayoutRule[], topLevel: string[], runtimes: string[], where: string, neutral: string[] = []): string | null {
  const top = new Set(topLevel.map((t) => t.replace(/\/$/, "").split("/")[0]!));
  if ([...top].every((t) => neutral.includes(t))) return null;
  for (const rt of runtimes) {
    const rule = rules.find((r) => r.runtimePrefixes.some((p) => rt.toLowerCase().startsWith(p.toLowerCase())));
    if (!rule) continue;
    if (rule.expected.some((e) => top.has(e.split("/")[0]!))) continue;
    return `${where}: ${rt} looks for ${rule.expected.map((e) => `${e}/`).join(" or ")} at the top of the layer, but the zip has ${[...top].slice(0, 5).join(", ") || "nothing"}${top.size > 5 ? ", ..." : ""}; pack with --prefix ${rule.suggestPrefix}`;
  }
  return null;
}
