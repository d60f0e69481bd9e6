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
 * `paths`: the zip's names one and two levels deep ("nodejs", "nodejs/node_modules"), so a layout
 * is checked to the depth the runtime needs and the fix suggested is the one that gives it.
 * `neutral`: top-level folders that work with every runtime (bin/ on PATH, lib/ on
 * LD_LIBRARY_PATH...). A zip holding only those is fine; anything else at the top while the
 * runtime's folder is missing is out of the runtime's reach.
 */
export function layoutWarningFor(rules: LayoutRule[], paths: string[], runtimes: string[], where: string, neutral: string[] = []): string | null {
  const names = new Set(paths.map((t) => t.replace(/\/+$/, "").split("/").slice(0, 2).join("/")));
  const top = new Set([...names].map((t) => t.split("/")[0]!));
  if ([...top].every((t) => neutral.includes(t))) return null;
  for (const rt of runtimes) {
    const rule = rules.find((r) => r.runtimePrefixes.some((p) => rt.toLowerCase().startsWith(p.toLowerCase())));
    if (!rule) continue;
    if (rule.expected.some((e) => names.has(e.split("/").slice(0, 2).join("/")))) continue;
    return `${where}: ${rt} looks for ${rule.expected.map((e) => `${e}/`).join(" or ")} at the top of the layer, but the zip has ${[...top].slice(0, 5).join(", ") || "nothing"}${top.size > 5 ? ", ..." : ""}; ${layoutFix(rule, names, top)}`;
  }
  return null;
}

/**
 * The fix that gives the runtime's layout, not one that nests it again: node_modules/ at the top
 * needs --prefix nodejs (not nodejs/node_modules); the runtime's folder one level down (x/node_modules)
 * means x/ itself is the layer.
 */
function layoutFix(rule: LayoutRule, names: Set<string>, top: Set<string>): string {
  for (const e of rule.expected) {
    const segments = e.split("/");
    const last = segments.at(-1)!;
    if (segments.length > 1 && top.has(last)) return `pack with --prefix ${segments.slice(0, -1).join("/")}`;
    const holder = [...top].find((t) => names.has(`${t}/${segments[0]}`));
    if (holder !== undefined) return `publish its ${holder}/ folder instead (its ${segments[0]}/ belongs at the top), without --prefix`;
  }
  return `pack with --prefix ${rule.suggestPrefix}`;
}
