// One timestamp for every entry, so mtimes never reach the archive.
import { UsageError } from "../errors.js";

/** 1980-01-01 00:00:00, the earliest DOS date: the default, and the floor for older epochs. */
const DOS_EPOCH = (1 << 5) | 1;

/** Explicit option first, then SOURCE_DATE_EPOCH (reproducible-builds convention); undefined = 1980. */
export function resolveSourceDateEpoch(option: number | undefined, env = process.env.SOURCE_DATE_EPOCH): number | undefined {
  if (option !== undefined) {
    if (!Number.isSafeInteger(option) || option < 0) {
      throw new UsageError(`sourceDateEpoch must be a whole number of seconds, not ${option}`);
    }
    return option;
  }
  if (env === undefined || env.trim() === "") return undefined;
  if (!/^\d+$/.test(env.trim())) {
    throw new UsageError(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not "${env}"`, {
      hint: "unset it or set e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)",
    });
  }
  return Number(env.trim());
}

/** DOS date (high 16 bits) and time (low 16 bits), read as UTC; DOS has 2-second resolution. */
export function dosDateTime(epochSeconds: number | undefined): number {
  if (epochSeconds === undefined) return DOS_EPOCH << 16;
  const d = new Date(epochSeconds * 1000);
  const year = d.getUTCFullYear();
  if (year < 1980) return DOS_EPOCH << 16;
  if (year > 2107) {
    throw new UsageError(`source date epoch ${epochSeconds} is after 2107, the last year a zip timestamp can hold`, {
      hint: "use a SOURCE_DATE_EPOCH before 2108",
    });
  }
  const date = ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
  return ((date << 16) | time) >>> 0;
}
