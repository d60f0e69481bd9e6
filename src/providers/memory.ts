// Garbage from SDKs that copy a large request body. Tencent's SDK serializes an inline upload's
// JSON twice (once to send, once to hash for the signature, with json-bigint's stringify) and
// node-fetch copies it once more: ~3x the body per upload, all garbage once the call returns.
// V8 collects such large strings only at a full collection, which it schedules by heap growth:
// 20 uploads of a 10 MB zip left ~400 MB resident where ~200 MB were live. After every so many
// bytes of such garbage a full collection is asked for (tens of ms on a heap this size), which
// keeps a fleet publish of big zips within a few hundred MB.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Garbage bytes (request bodies' copies) after which a full collection is asked for. */
const COLLECT_EVERY_BYTES = 32 * 1024 * 1024;

let pending = 0;
let collect: (() => void) | null | undefined;

function loadCollector(): (() => void) | null {
  try {
    // The one documented way to reach V8's gc() without starting node with --expose-gc.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as unknown;
    return typeof gc === "function" ? (gc as () => void) : null;
  } catch {
    return null;
  }
}

/** Work that made `bytes` of large short-lived buffers (a request body's copies, a download's chunks) has ended: they are garbage now. */
export function releasedBodyCopies(bytes: number): void {
  pending += bytes;
  if (pending < COLLECT_EVERY_BYTES) return;
  pending = 0;
  collect ??= loadCollector();
  collect?.();
}
