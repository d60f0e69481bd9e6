// Option values that several commands take, checked the same way everywhere.
import { UsageError } from "../../errors.js";

/** A layer version number as typed: a whole number from 1. */
export function parseVersion(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`version must be a positive whole number, not "${value}"`, { code: "InvalidVersion" });
  }
  return Number(value);
}
