// One HTTP server for all three clouds: find the cloud and action a request names, let the cloud
// check its headers (size, signature headers, clock) before reading the body, read the body up to
// the cloud's cap, apply injected faults and rate limits, then let the cloud module answer.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { instantiate, restoreState } from "./cloud.js";
import { cloudNames, clouds } from "./clouds.js";
import { mergeCredentials } from "./credentials.js";
import { ContentLinks, contentReply, damaged, DEFAULT_CONTENT_URL_TTL_MS, DOWNLOAD_ACTION, xmlError } from "./content.js";
import { emptyBody, type FaultDecision, Faults, gatewayError, incompleteReply, stallAfterHeaders, truncateBody, truncateChunked } from "./faults.js";
import { DirBlobStore, lockStateDir, MemoryBlobStore, StateFiles } from "./store.js";
import { readBody } from "./body.js";
import type { BlobStore, CloudEmulator, EmulatorCredentials, EmulatorOptions, IncomingCall, Reply, RunningEmulator } from "./types.js";

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

/** What answering a request needs: the cloud modules and what they share. */
interface Served {
  modules: CloudEmulator[];
  faults: Faults;
  links: ContentLinks;
  blobs: BlobStore;
  now: () => Date;
  /** Known once the server listens. */
  baseUrl: () => string;
}

async function serve(options: EmulatorOptions, stateDir: string | undefined, unlock: () => Promise<void>): Promise<RunningEmulator> {
  const credentials = mergeCredentials(options.credentials);
  const files = new StateFiles(stateDir);
  let baseUrl = "";
  const served: Served = {
    modules: [],
    faults: new Faults(options.faults ?? [], options.rateLimit ?? null),
    links: new ContentLinks(),
    blobs: stateDir ? new DirBlobStore(path.join(stateDir, "blobs")) : new MemoryBlobStore(),
    now: options.now ?? (() => new Date()),
    baseUrl: () => baseUrl,
  };
  served.modules = await instantiateClouds(options, credentials, files, served);

  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    handleRequest(served, req, res).catch((err) => {
      if (!res.headersSent) send(res, { status: 500, body: { message: `emulator bug: ${(err as Error).message}` } });
      else res.destroy();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

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
    faults: served.faults,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      await files.flush();
      await unlock();
    },
  };
}

/** Each cloud as its definition says, tuned by the options, with its saved state and seeded functions. */
async function instantiateClouds(options: EmulatorOptions, credentials: EmulatorCredentials, files: StateFiles, served: Served): Promise<CloudEmulator[]> {
  const seeds = options.functions ?? [];
  const modules: CloudEmulator[] = [];
  for (const name of cloudNames) {
    // The loose type spares a union of three generic instantiations.
    const def = clouds[name] as unknown as Parameters<typeof instantiate>[0];
    const tuning = {
      ...def.tuning,
      ...(options.maxClockSkewMs !== undefined ? { maxClockSkewMs: options.maxClockSkewMs } : {}),
      ...(options.functionUpdateDelayMs !== undefined ? { functionUpdateDelayMs: options.functionUpdateDelayMs } : {}),
      ...def.tuningAliases?.(options),
      buckets: (options.buckets ?? []).filter((b) => b.provider === name),
      autoCreateBuckets: options.autoCreateBuckets ?? false,
      ...options.tuning?.[name],
    };
    const saved = restoreState(def, await files.load(name), files.file(name));
    const mod: ReturnType<typeof instantiate> = instantiate(
      def,
      {
        credentials: credentials[name],
        tuning,
        blobs: served.blobs,
        baseUrl: served.baseUrl,
        blobUrl: (sha) => served.links.url(served.baseUrl(), name, sha, served.now(), tuning.contentUrlTtlMs ?? DEFAULT_CONTENT_URL_TTL_MS),
        now: served.now,
        save: (): Promise<void> => files.save(name, () => mod.state()),
      },
      saved,
      seeds.filter((f) => !f.provider || f.provider === name),
    );
    modules.push(mod);
  }
  return modules;
}

async function handleRequest(served: Served, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const rawUrl = req.url ?? "/";
  const q = rawUrl.indexOf("?");
  const call: IncomingCall = {
    method: req.method ?? "GET",
    rawPath: q === -1 ? rawUrl : rawUrl.slice(0, q),
    url: new URL(rawUrl, served.baseUrl()),
    headers: req.headers,
    body: Buffer.alloc(0),
    requestId: randomUUID(),
    corruptChecksum: false,
    failPublish: false,
  };

  const content = ContentLinks.parse(call.rawPath);
  if (content && (call.method === "GET" || call.method === "HEAD")) {
    // Counted apart from the APIs' calls: what a lookup downloads (it should download nothing).
    served.faults.count(`blob:${call.method}`);
    return serveContent(served, call, content, req, res);
  }

  const owner = served.modules.find((m) => m.route(call) !== null);
  if (!owner) {
    send(res, { status: 404, body: { message: `the emulator serves no API at ${call.method} ${call.rawPath}` } });
    return;
  }
  // Nothing of an unauthenticated body is kept: refuse on the headers alone (Node then reads and
  // drops the rest, so the client sees the answer), and keep at most the cloud's own request
  // limit (what a signed request may send) before the signature over it is checked.
  const refused = owner.admit(call);
  if (refused) return send(res, refused);
  const body = await readBody(req, owner.requestCap?.(call) ?? owner.maxRequestBytes, owner.hashesBody?.(call) ?? false);
  if (body === null) return send(res, owner.tooLarge(call));
  call.body = body.bytes;
  call.bodySha256 = body.sha256;

  for (const mod of served.modules) {
    const action = mod.route(call);
    if (action === null) continue;
    const decision = served.faults.decide(mod.provider, action, Date.now());
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    return answerCall(mod, call, action, decision, req, res);
  }
}

/** The cloud's answer to an API call, through the fault decided for it (none: as it is). */
async function answerCall(mod: CloudEmulator, call: IncomingCall, action: string, decision: FaultDecision, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
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
    case "expire-credentials":
      mod.expireCredentials?.();
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
    case "empty-body":
      return emptyBody(res, await mod.handle(call, action));
    case "hollow":
    case "no-list": {
      const reply = await mod.handle(call, action);
      return send(res, incompleteReply(reply, decision.kind, mod.hollow?.(reply, call)));
    }
    case "truncate-chunked":
      return truncateChunked(res, await mod.handle(call, action));
    case null:
      break;
  }
  return send(res, await mod.handle(call, action));
}

/**
 * A download link (./content.ts): checked like a presigned URL, then the stored bytes (or a
 * range of them), with the cloud's faults for "DownloadLayerContent" applied on the way.
 */
async function serveContent(
  served: Served,
  call: IncomingCall,
  content: NonNullable<ReturnType<typeof ContentLinks.parse>>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const refused = served.links.refusal(content, call.url.searchParams, served.now());
  if (refused) return send(res, refused);
  const answer = async (): Promise<Reply> => {
    const bytes = await served.blobs.get(content.sha256);
    if (!bytes) return xmlError(404, "NoSuchKey", "The specified key does not exist.");
    const range = req.headers.range;
    return contentReply(bytes, typeof range === "string" ? range : undefined);
  };
  const head = call.method === "HEAD";
  const decision = content.provider ? served.faults.decideNamed(content.provider, DOWNLOAD_ACTION) : { latencyMs: 0, kind: null };
  if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
  switch (decision.kind) {
    case "hang":
      return;
    case "reset":
    case "lost-response":
      req.socket.resetAndDestroy();
      return;
    case "throttle":
    case "rate-limited":
      return send(res, xmlError(503, "SlowDown", "Please reduce your request rate."));
    case "server-error":
      return send(res, xmlError(500, "InternalError", "We encountered an internal error. Please try again."));
    case "html-error":
      return gatewayError(res);
    case "stall":
      return stallAfterHeaders(res, await answer());
    case "truncate":
      return truncateBody(res, await answer());
    case "bad-checksum":
      return send(res, damaged(await answer()), head);
    case "empty-body":
      return emptyBody(res, await answer());
    case "truncate-chunked":
      return truncateChunked(res, await answer());
    default:
      return send(res, await answer(), head);
  }
}

/** `head`: the headers a GET would get (its content-length included), no body. */
function send(res: http.ServerResponse, reply: Reply, head = false): void {
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
  res.end(head ? undefined : payload);
}
