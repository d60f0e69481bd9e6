// The layer contents check as pack, publish and check run it: which targets to judge (each
// provider's runtimes and architectures, or "any cloud" when none is given), and what to do with
// the findings (warnings on stderr, errors stop the run before anything is written or sent).
import { valuesFor } from "../config/per-provider.js";
import { evaluate, type CheckTarget } from "./rules.js";
import { checkTargets } from "./targets.js";
import { findingLines, incompatibleError } from "./report.js";
import type { Finding, NamedNote } from "./types.js";
import { UsageError } from "../errors.js";
import type { Logger } from "../output/log.js";
import type { Architecture, Provider } from "../providers/types.js";

export { checkTargets };
import { checkArchitectureNames } from "../providers/validate.js";
import { selectProviders, splitList } from "../targets/resolve.js";

/** `-p`, `--runtime` and `--arch` as pack and check take them. */
export interface CheckOptions {
  provider?: string[];
  runtime?: string[];
  arch?: string[];
}

/** The check's targets: each provider given with its runtimes (`aws:python3.12` entries allowed), or any cloud. */
export function targetsFromOptions(opts: CheckOptions): CheckTarget[] {
  const architectures = splitList(opts.arch);
  const runtimes = splitList(opts.runtime);
  if (splitList(opts.provider).length === 0) {
    if (runtimes.length > 0) {
      throw new UsageError("--runtime needs --provider: a runtime is checked against that provider's platform", { code: "MissingProvider", hint: "add -p aws, tencent or aliyun" });
    }
    return [anyCloudTarget(architectures)];
  }
  const providers = new Map<Provider, string[]>();
  for (const p of selectProviders(opts.provider)) providers.set(p, p.resolveRuntimes(valuesFor(p.name, runtimes)));
  return checkTargets(providers, architectures);
}

/** Without a provider: what fails on every cloud, for the architectures given (none: either). */
export function anyCloudTarget(architectures: string[]): CheckTarget {
  checkArchitectureNames(architectures);
  return { provider: null, runtimes: [], architectures: [...new Set(architectures)] as Architecture[] };
}

/**
 * The callback pack and inspectZip take: judges the notes, prints warnings, and throws the
 * error that stops the run (exit 2) when a file will not load. `seen` gets every finding.
 */
export function contentsCheck(targets: CheckTarget[], log: Logger, what: "published" | "written", seen?: (findings: Finding[]) => void): (notes: NamedNote[]) => void {
  return (notes) => {
    const findings = evaluate(notes, targets);
    seen?.(findings);
    for (const line of findingLines(findings.filter((f) => f.severity === "warning"))) log.warn(line);
    const errors = findings.filter((f) => f.severity === "error");
    if (errors.length > 0) throw incompatibleError(errors, what);
  };
}
