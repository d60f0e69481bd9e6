// What the bench scripts share: medians, units, and one line per figure; a script calls finish()
// last, which exits 1 when any target was missed.
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const fmtS = (ms) => `${(ms / 1000).toFixed(2)} s`;
export const fmtMiB = (kib) => `${(kib / 1024).toFixed(0)} MiB`;

/** The names of the targets missed so far (a script may add its own checks). */
export const missed = [];

/** One figure: a ratio against `limit` (a target), or printed only when `limit` is undefined. */
export function report(name, value, limit, detail) {
  const ok = limit === undefined || value <= limit;
  if (!ok) missed.push(name);
  const verdict = limit === undefined ? "      " : ok ? "ok    " : "MISSED";
  console.log(`${verdict} ${name}: ${value.toFixed(2)}x${limit === undefined ? "" : ` (target <= ${limit}x)`}  ${detail}`);
}

/** The closing line when a target was missed, and exit code 1. */
export function finish(what = "target(s)") {
  if (missed.length === 0) return;
  console.log(`\n${missed.length} ${what} missed: ${missed.join("; ")}`);
  process.exitCode = 1;
}
