// What must not outlive an interrupted run (Ctrl-C, SIGTERM from CI) without a word: temp files
// and folders (removed, synchronously), unfinished multipart uploads and staged objects (removed
// within a small budget, or named with the command that removes them), and calls under way whose
// outcome the run will never learn (named, with the command that checks). Registered while they
// exist; the CLI runs them before it exits on a signal.
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

/**
 * One thing to settle on an interrupt: a line to print (a call whose outcome will not be known), or
 * a cleanup to run and the line to print if it fails or does not finish in time (what is left).
 */
export interface InterruptTask {
  note?: () => string | undefined;
  cleanup?: { run: () => Promise<void>; left: () => string };
}

const tasks = new Set<InterruptTask>();

/** Register a task while its thing exists or its call is under way; returns the function that forgets it. */
export function onInterrupt(task: InterruptTask): () => void {
  tasks.add(task);
  return () => void tasks.delete(task);
}

let interrupted = false;

/** The run was interrupted: nothing more is written or decided by the command, the CLI is exiting. */
export function isInterrupted(): boolean {
  return interrupted;
}

/** Runs every cleanup at once for at most `budgetMs`; returns the lines to print: the notes, then what is left behind. */
export async function settleInterrupted(budgetMs: number): Promise<string[]> {
  interrupted = true;
  const all = [...tasks];
  tasks.clear();
  const notes = all.map((t) => t.note?.()).filter((l): l is string => Boolean(l));
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), budgetMs);
  });
  const cleanups = all.flatMap((t) => (t.cleanup ? [t.cleanup] : []));
  const done = await Promise.all(
    cleanups.map((c) =>
      Promise.race([
        c.run().then(
          () => true,
          () => false,
        ),
        outOfTime,
      ]),
    ),
  );
  clearTimeout(timer);
  return [...notes, ...cleanups.filter((_, i) => !done[i]).map((c) => c.left())];
}
