// SCF extracts layers to /opt. Node.js has /opt and /opt/node_modules on NODE_PATH (so node_modules
// goes at the zip root, not AWS's nodejs/node_modules); Python has /opt on PYTHONPATH (so packages
// go at the root, not under AWS's python/).
import { layoutWarningFor, type LayoutRule } from "../layout.js";

const rules: LayoutRule[] = [{ runtimePrefixes: ["Nodejs"], expected: ["node_modules"], suggestPrefix: "node_modules" }];

export function tencentLayoutWarning(topLevel: string[], nativeRuntimes: string[]): string | null {
  const top = new Set(topLevel.map((t) => t.replace(/\/$/, "").split("/")[0]!));
  const python = nativeRuntimes.find((r) => r.toLowerCase().startsWith("python"));
  // The AWS layout: packages under python/, which SCF does not put on PYTHONPATH. A package really
  // named "python" is far rarer than a zip built for Lambda.
  if (python && top.has("python")) {
    return `tencent: ${python} puts /opt (not /opt/python) on PYTHONPATH, but the zip has python/ at the top; pack the packages at the root of the zip (without --prefix python)`;
  }
  return layoutWarningFor(rules, topLevel, nativeRuntimes, "tencent");
}
