// The zip options as typed (--symlinks, --out), checked the same way by pack, check, publish and status.
import { UsageError } from "../errors.js";
import type { SymlinkMode } from "./types.js";

export function parseSymlinkMode(value: string | undefined): SymlinkMode {
  if (value === undefined || value === "keep" || value === "follow") return value ?? "keep";
  throw new UsageError(`--symlinks must be "keep" or "follow", not "${value}"`);
}

/**
 * `publish --out` keeps the zip it built: a name without .zip is almost always `-o json` typed for
 * `--output json` (`-o` is --out there), which would write a zip named "json" and print the table.
 */
export function checkZipOut(out: string): void {
  if (out.toLowerCase().endsWith(".zip")) return;
  throw new UsageError(`--out "${out}" does not end in .zip; -o/--out names the zip to keep`, {
    code: "InvalidOutPath",
    hint: `to choose what is printed, use --output ${["table", "json", "version", "env"].includes(out) ? out : "<format>"}; to keep the zip, give a path ending in .zip`,
  });
}
