// Placeholder until the deterministic writer lands.
import { UsageError } from "../errors.js";
import type { PackOptions, PackResult } from "./types.js";

export async function pack(_opts: PackOptions): Promise<PackResult> {
  throw new UsageError("pack is not implemented yet");
}
