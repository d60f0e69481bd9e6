// One HTTP server for all three clouds: read the request, find the cloud and action it names,
// apply injected faults and rate limits, then let the cloud module answer.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { ProviderName } from "../providers/names.js";
import { clouds } from "./clouds.js";
import { mergeCredentials } from "./credentials.js";
import { Faults, gatewayError, stallAfterHeaders, truncateBody } from "./faults.js";
import { DirBlobStore, lockStateDir, MemoryBlobStore, StateFiles } from "./store.js";
import type { CloudEmulator, EmulatorContext, EmulatorOptions, IncomingCall, Reply, RunningEmulator } from "./types.js";

/** Larger than any provider accepts inline (AWS rejects requests over ~70 MB), so we can answer with the provider's error. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;
const BLOB_PATH = /^\/_layerctl\/blobs\/([0-9a-f]{64})\.zip$/;

export async function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const stateDir = options.stateDir ? path.resolve(options.stateDir) : undefined;
  const unlock = stateDir ? await lockStateDir(stateDir) : async () => {};
  try {
    return await serve(options, stateDir, unlock);
  } catch (err) {
    await unlock();
    throw err;
  }
}

async function serve(options: EmulatorOptions, stateDir: string | undefined, unlock: () => Promise<void>): Promise<RunningEmulator> {
  const credentials = mergeCredentials(options.credentials);
  const blobs = stateDir ? new DirBlobStore(path.join(stateDir, "blobs")) : new MemoryBlobStore();
  const files = new StateFiles(stateDir);
  const faults = new Faults(options.faults ?? [], options.rateLimit ?? null);
  const seeds = options.functions ?? [];
  let baseUrl = "";

  const modules: CloudEmulator[] = [];
  for (const [name, factory] of Object.entries(clouds) as Array<[ProviderName, (typeof clouds)[ProviderName]]>) {
    const ctx: EmulatorContext = {
      credentials,
      blobs,
      baseUrl: () => baseUrl,
      blobUrl: (sha) => `${baseUrl}/_layerctl/blobs/${sha}.zip`,
      now: options.now ?? (() => new Date()),
      options: {
        tencentPublishDelayMs: options.tencentPublishDelayMs ?? 1000,
        maxClockSkewMs: options.maxClockSkewMs ?? 15 * 60 * 1000,
      },
      save: () => files.save(name, () => mod.state()),
    };
    const saved = await files.load(name);
    const mod = factory(ctx, saved, seeds.filter((f) => !f.provider || f.provider === name));
    modules.push(mod);
  }

  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    handleRequest(req, res).catch((err) => {
      if (!res.headersSent) send(res, { status: 500, body: { message: `emulator bug: ${(err as Error).message}` } });
      else res.destroy();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === null) {
      send(res, { status: 413, body: { message: "request body too large for the emulator" } });
      return;
    }
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const call: IncomingCall = {
      method: req.method ?? "GET",
      rawPath: q === -1 ? rawUrl : rawUrl.slice(0, q),
      url: new URL(rawUrl, baseUrl),
      headers: req.headers,
      body,
      requestId: randomUUID(),
      corruptChecksum: false,
      failPublish: false,
    };

    const blob = BLOB_PATH.exec(call.rawPath);
    if (blob && (call.method === "GET" || call.method === "HEAD")) {
      const bytes = await blobs.get(blob[1]!);
      if (!bytes) return send(res, { status: 404, body: { message: "no such object" } });
      res.writeHead(200, { "content-type": "application/zip", "content-length": String(bytes.length) });
      res.end(call.method === "HEAD" ? undefined : bytes);
      return;
    }

    for (const mod of modules) {
      const action = mod.route(call);
      if (action === null) continue;
      const decision = faults.decide(mod.provider, action, Date.now());
      if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
      switch (decision.kind) {
        case "hang":
          return; // never answer; close() destroys the socket
        case "reset":
          req.socket.resetAndDestroy();
          return;
        case "throttle":
        case "rate-limited":
          return send(res, mod.faultReply("throttle", call, action));
        case "server-error":
          return send(res, mod.faultReply("server-error", call, action));
        case "bad-checksum":
          call.corruptChecksum = true;
          break;
        case "publish-failed":
          call.failPublish = true;
          break;
        case "lost-response":
          await mod.handle(call, action);
          req.socket.resetAndDestroy();
          return;
        case "stall":
          return stallAfterHeaders(res, await mod.handle(call, action));
        case "truncate":
          return truncateBody(res, await mod.handle(call, action));
        case "html-error":
          return gatewayError(res);
        case null:
          break;
      }
      return send(res, await mod.handle(call, action));
    }
    send(res, { status: 404, body: { message: `the emulator serves no API at ${call.method} ${call.rawPath}` } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  return {
    url: baseUrl,
    port: address.port,
    credentials,
    faults,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      await files.flush();
      await unlock();
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: Buffer;
  if (Buffer.isBuffer(reply.body)) {
    payload = reply.body;
  } else if (reply.body === undefined || reply.body === null) {
    payload = Buffer.alloc(0);
  } else {
    payload = Buffer.from(JSON.stringify(reply.body));
    headers["content-type"] ??= "application/json";
  }
  headers["content-length"] = String(payload.length);
  res.writeHead(reply.status, headers);
  res.end(payload);
}
