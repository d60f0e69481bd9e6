// A version's download link may send the client elsewhere (a store's regional host, a CDN): the
// download follows redirects as a browser would, a bounded number of times, and still checks
// what arrives. A store on loopback stands in for the far end of the link.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/output/log.js";
import { downloadZip } from "../../src/providers/content.js";
import { startBudget } from "../../src/providers/budget.js";
import { blankRecord } from "../../src/providers/record.js";
import type { LayerContent } from "../../src/providers/types.js";

const zip = randomBytes(200_003);
const sha256 = createHash("sha256").update(zip).digest("hex");
let server: http.Server;
let base: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "layerctl-content-"));
  // /hop/N redirects N more times (302, then 307, 301...) before /zip answers with the bytes.
  const codes = [302, 307, 301, 303, 308];
  server = http.createServer((req, res) => {
    const hop = /^\/hop\/(\d+)$/.exec(req.url ?? "");
    if (hop) {
      const n = Number(hop[1]);
      res.writeHead(codes[n % codes.length]!, { location: n > 1 ? `/hop/${n - 1}` : `${base}/zip` }).end();
    } else if (req.url === "/zip") {
      res.writeHead(200, { "content-type": "application/zip", "content-length": zip.length }).end(zip);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const content = (location: string): LayerContent => ({ record: { ...blankRecord("aws", "us-east-1", "hops"), version: 1 }, location, digest: { sha256 } });
const opts = () => ({ provider: "aws" as const, budget: startBudget(20_000), retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, log: silentLogger });

describe("downloadZip over redirects", () => {
  it("follows up to five redirects (relative and absolute) to the zip, and checks it", async () => {
    const out = path.join(dir, "five.zip");
    const got = await downloadZip(content(`${base}/hop/5`), out, opts());
    expect(got.sha256).toBe(sha256);
    expect(got.bytes).toBe(zip.length);
    expect((await readFile(out)).equals(zip)).toBe(true);
  });

  it("gives up after five, naming it, and leaves no file", async () => {
    const out = path.join(dir, "six.zip");
    await expect(downloadZip(content(`${base}/hop/6`), out, opts())).rejects.toMatchObject({
      code: "DownloadFailed",
      message: expect.stringMatching(/redirected more than 5 times/),
    });
    expect((await readdir(dir)).filter((f) => f.includes("six"))).toEqual([]);
  });

  it("reports the status of where the redirects end", async () => {
    const out = path.join(dir, "gone.zip");
    await expect(downloadZip(content(`${base}/nowhere`), out, opts())).rejects.toMatchObject({ code: "HTTP404", httpStatus: 404 });
  });
});
