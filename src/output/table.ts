// Plain aligned tables for people. Colour only decorates (NO_COLOR / FORCE_COLOR: ./colors.ts);
// the text is the same without it.
import { stdoutColors as chalk } from "./colors.js";

/** Key/value block: one "key  value" line per pair. */
export function keyValueTable(rows: Array<[string, string]>): string {
  const width = Math.max(0, ...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${chalk.bold(k.padEnd(width))}  ${v}`).join("\n") + "\n";
}

/** Column table with a header row. */
export function columnTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [chalk.bold(line(header)), ...rows.map(line)].join("\n") + "\n";
}

/** A version number's cell: "-" where there is none (a failure, a plan, a layer with no versions). */
export function versionCell(version: number | null): string {
  return version === null ? "-" : String(version);
}

/** The first four cells of every layer-version row: where it is and which version. */
export function layerVersionCells(r: { provider: string; region: string; layerName: string; version: number | null }): string[] {
  return [r.provider, r.region, r.layerName, versionCell(r.version)];
}

export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
