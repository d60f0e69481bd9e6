// Checksum throughput (the CRC-64/XZ Aliyun verifies, next to Node's SHA-256): a 50 MB layer is
// hashed on every publish, so both must stay far below a second. Figures, not assertions.
import { createHash, randomBytes } from "node:crypto";
import { sourceBundle } from "../test/helpers/source-bundle.mjs";

const [crc64Module] = await sourceBundle("archive/crc64.ts");
const { crc64 } = await import(crc64Module);

const data = randomBytes(64 * 1024 * 1024);
function mbps(fn) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return (64 / (times[2] / 1000)).toFixed(0);
}
console.log(`checksums over 64 MiB, median of 5: crc64/xz ${mbps(() => crc64(data))} MB/s, sha256 ${mbps(() => createHash("sha256").update(data).digest())} MB/s`);
