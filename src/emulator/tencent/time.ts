// SCF reports times as "YYYY-MM-DD HH:mm:ss" in China Standard Time (UTC+8, no DST), without a zone.
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

export function chinaTime(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");
}
