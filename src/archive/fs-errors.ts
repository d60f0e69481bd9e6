// File-system failures on the user's paths are bad input (exit 2), reported with the path and a fix.
import { UsageError } from "../errors.js";

export const LEAVE_OUT_HINT = "leave it out with --exclude or .layerignore";
const RETRY = "try again once nothing is changing the folder";

/** `code` is an errno code, or "CHANGED" when a file no longer matches what the walk saw. */
export function readError(code: string | undefined, shownPath: string, cause?: unknown): UsageError {
  switch (code) {
    case "EACCES":
    case "EPERM":
      return new UsageError(`cannot read ${shownPath}: permission denied`, { hint: `fix its permissions or ${LEAVE_OUT_HINT}`, cause });
    case "ENOENT":
      return new UsageError(`${shownPath} disappeared while packing`, { hint: RETRY, cause });
    case "CHANGED":
    case "EISDIR":
      return new UsageError(`${shownPath} changed while packing`, { hint: RETRY, cause });
    default:
      return new UsageError(`cannot read ${shownPath}: ${code ?? "unknown error"}`, { hint: LEAVE_OUT_HINT, cause });
  }
}

function writeError(code: string, shownPath: string, cause: unknown): UsageError {
  // A full disk is the machine's state, not a bug: one line, exit 2 like every local write
  // failure (nothing was sent anywhere).
  if (code === "ENOSPC" || code === "EDQUOT") {
    return new UsageError(`no space left on device while writing ZIP ${shownPath}`, {
      code: "NoSpace",
      hint: "free some space, or write the zip elsewhere (pack/publish -o; publish without -o writes under TMPDIR)",
      cause,
    });
  }
  const why = code === "EACCES" || code === "EPERM" ? "permission denied" : code;
  return new UsageError(`cannot write ${shownPath}: ${why}`, { hint: "choose another output path with -o", cause });
}

/** Runs `fn`, turning errno failures into UsageErrors that name `shownPath`. */
export function guardFs<T>(shownPath: string | (() => string), fn: () => T, action: "read" | "write" = "read"): T {
  try {
    return fn();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code;
    if (typeof code !== "string" || !code.startsWith("E")) throw err;
    // A function when the call is made per file: the path is only built if it is needed.
    const shown = typeof shownPath === "function" ? shownPath() : shownPath;
    throw action === "read" ? readError(code, shown, err) : writeError(code, shown, err);
  }
}
