// Where Lambda runtimes look inside /opt. bin/ (PATH), lib/ (LD_LIBRARY_PATH) and extensions/
// (Lambda extensions) work with every runtime, so a zip holding only those is never flagged;
// a custom runtime layer may also ship its `bootstrap` at the top.
import { layoutWarningFor, type LayoutRule } from "../layout.js";

export const AWS_LAYOUT_RULES: LayoutRule[] = [
  { runtimePrefixes: ["python"], expected: ["python"], suggestPrefix: "python" },
  { runtimePrefixes: ["nodejs"], expected: ["nodejs/node_modules"], suggestPrefix: "nodejs/node_modules" },
  { runtimePrefixes: ["java"], expected: ["java/lib"], suggestPrefix: "java/lib" },
  { runtimePrefixes: ["ruby"], expected: ["ruby/gems", "ruby/lib"], suggestPrefix: "ruby/lib" },
  { runtimePrefixes: ["provided", "go1"], expected: ["bin", "lib"], suggestPrefix: "bin" },
];

const ANY_RUNTIME = ["bin", "lib", "extensions"];

export function awsLayoutWarning(topLevel: string[], nativeRuntimes: string[]): string | null {
  const customOnly = nativeRuntimes.every((r) => r.startsWith("provided"));
  return layoutWarningFor(AWS_LAYOUT_RULES, topLevel, nativeRuntimes, "aws", customOnly ? [...ANY_RUNTIME, "bootstrap"] : ANY_RUNTIME);
}
