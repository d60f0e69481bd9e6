// `--older-than 30d`: a whole number with a unit (m minutes, h hours, d days, w weeks).
import { UsageError } from "../../errors.js";

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export function parseDuration(flag: string, value: string): number {
  const m = /^\s*(\d+)\s*([mhdw])\s*$/.exec(value);
  if (!m || Number(m[1]) === 0) {
    throw new UsageError(`${flag} must be a whole number with a unit (m, h, d or w), not "${value}"`, { code: "InvalidDuration", hint: `e.g. ${flag} 30d` });
  }
  return Number(m[1]) * UNITS[m[2]!]!;
}
