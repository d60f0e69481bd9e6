// What must not outlive an interrupted run (Ctrl-C, SIGTERM from CI): temp files and folders.
// Registered while they exist; the CLI removes them, synchronously, before it exits on a signal.
import { rmSync } from "node:fs";

const leftovers = new Set<string>();

/** Remember a path to remove if the process is interrupted; returns the function that forgets it. */
export function removeOnInterrupt(path: string): () => void {
  leftovers.add(path);
  return () => void leftovers.delete(path);
}

export function removeLeftovers(): void {
  for (const p of leftovers) rmSync(p, { recursive: true, force: true });
  leftovers.clear();
}
