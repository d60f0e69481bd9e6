// #18: no function in src/ over 120 lines, counted as a reader sees them (signature to closing
// brace, blank lines and comments included). biome's noExcessiveLinesPerFunction (biome.jsonc)
// says so while editing, but skips blank lines; this counts every line.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";

const MAX_LINES = 120;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

/** Every function with a body longer than `max` lines, as `file:line (n lines)`. */
function longFunctions(file: string, text: string, max: number): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(node.end).line;
      if (last - first + 1 > max) found.push(`${file}:${first + 1} (${last - first + 1} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

it(`no function in src/ is over ${MAX_LINES} lines`, () => {
  const long = sources("src").flatMap((f) => longFunctions(f, fs.readFileSync(f, "utf8"), MAX_LINES));
  expect(long).toEqual([]);
});

it("the count can fail: a function of 121 lines is found", () => {
  const body = Array.from({ length: MAX_LINES - 2 }, (_, i) => `  const v${i} = ${i};`).join("\n");
  expect(longFunctions("x.ts", `function f() {\n${body}\n}\n`, MAX_LINES)).toEqual([]);
  expect(longFunctions("x.ts", `function f() {\n${body}\n  return 0;\n}\n`, MAX_LINES)).toEqual(["x.ts:1 (121 lines)"]);
});
