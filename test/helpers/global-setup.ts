// One temporary folder per test run, shared by every test file (they run in forked workers, which
// inherit the environment) and removed at the end.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export default function setup(): () => void {
  const root = mkdtempSync(path.join(tmpdir(), "layerctl-tests-"));
  process.env.LAYERCTL_TEST_TMP = root;
  return () => rmSync(root, { recursive: true, force: true });
}
