// Fault injection and rate limiting, applied by the router before a cloud module sees a call,
// so every cloud gets the same fault vocabulary with its own error shapes.
import type { ProviderName } from "../providers/names.js";
import type { ServerResponse } from "node:http";
import type { FaultController, FaultKind, FaultRule, Reply } from "./types.js";

interface ActiveRule extends FaultRule {
  remaining: number;
  skip: number;
}

export interface FaultDecision {
  latencyMs: number;
  /** The one non-latency fault to apply, if any. */
  kind: Exclude<FaultKind, "latency"> | "rate-limited" | null;
}

export class Faults implements FaultController {
  private rules: ActiveRule[] = [];
  private rateLimit: number | null = null;
  private readonly windows = new Map<string, number[]>();
  private readonly calls = new Map<string, number>();

  constructor(rules: FaultRule[] = [], rateLimit: number | null = null) {
    for (const r of rules) this.add(r);
    this.rateLimit = rateLimit;
  }

  add(rule: FaultRule): void {
    if (rule.kind === "latency" && !(rule.latencyMs && rule.latencyMs > 0)) {
      throw new Error("a latency fault needs latencyMs > 0");
    }
    this.rules.push({ ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY, skip: rule.after ?? 0 });
  }

  clear(): void {
    this.rules = [];
    this.windows.clear();
  }

  setRateLimit(perSecond: number | null): void {
    this.rateLimit = perSecond;
  }

  counts(): Record<string, number> {
    return Object.fromEntries(this.calls);
  }

  /** Counts a request that no cloud's fault rules apply to (the download links: `blob:GET`). */
  count(key: string): void {
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
  }

  /** Decide what happens to one call; consumes `times` of the rules that fire. */
  decide(provider: ProviderName, action: string, now: number): FaultDecision {
    const key = `${provider}:${action}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);

    const decision = this.fire(provider, (ruleAction) => ruleAction === "*" || ruleAction === action);
    if (decision.kind === null && this.overRate(key, now)) decision.kind = "rate-limited";
    return decision;
  }

  /**
   * The faults of a download link (./content.ts): only rules that name this action apply. A rule
   * for every action ("*") stands for the cloud's API and stores; a download link is a store's GET
   * that no layer API call makes, and counting it would change what "every call" meant to the
   * rules and counts users already have. Not counted, not rate limited.
   */
  decideNamed(provider: ProviderName, action: string): FaultDecision {
    return this.fire(provider, (ruleAction) => ruleAction === action);
  }

  /** Applies the live rules of `provider` whose action `applies`: latencies add up, the first other kind wins; each consumes one of its `times` (after its `skip`). */
  private fire(provider: ProviderName, applies: (ruleAction: string) => boolean): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, kind: null };
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || !applies(rule.action) || (rule.provider !== "*" && rule.provider !== provider)) continue;
      if (rule.skip > 0) {
        rule.skip--;
        continue;
      }
      if (rule.kind === "latency") {
        decision.latencyMs += rule.latencyMs ?? 0;
        rule.remaining--;
      } else if (decision.kind === null) {
        decision.kind = rule.kind;
        rule.remaining--;
      }
    }
    return decision;
  }

  // Sliding one-second window per provider+action, as the clouds document their limits.
  private overRate(key: string, now: number): boolean {
    if (this.rateLimit === null) return false;
    const times = (this.windows.get(key) ?? []).filter((t) => now - t < 1000);
    const over = times.length >= this.rateLimit;
    if (!over) times.push(now);
    this.windows.set(key, times);
    return over;
  }
}

// Answers the clouds' own modules never give: the transport or a gateway in between breaks them.
// The same for every cloud, since the breakage happens below the cloud's API.

/** The reply as bytes on the wire, with the content-length it would have had. */
function encode(reply: Reply): { headers: Record<string, string>; payload: Buffer } {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: Buffer = Buffer.alloc(0);
  if (Buffer.isBuffer(reply.body)) payload = reply.body;
  else if (reply.body !== undefined && reply.body !== null) {
    payload = Buffer.from(JSON.stringify(reply.body));
    headers["content-type"] ??= "application/json";
  }
  headers["content-length"] = String(payload.length);
  return { headers, payload };
}

/** "stall": status line and headers go out, the body never does (until the client gives up or the server closes). */
export function stallAfterHeaders(res: ServerResponse, reply: Reply): void {
  const { headers } = encode(reply);
  res.writeHead(reply.status, headers);
  res.flushHeaders();
}

/** "truncate": the full content-length is promised, half the body (at least one byte short) is sent, then the connection closes. */
export function truncateBody(res: ServerResponse, reply: Reply): void {
  const { headers, payload } = encode(reply);
  res.writeHead(reply.status, headers);
  const part = payload.subarray(0, Math.max(0, Math.min(payload.length - 1, Math.floor(payload.length / 2))));
  res.write(part, () => res.destroy());
}

/** "html-error": what a load balancer in front of any of the clouds sends when the backend is gone. */
export function gatewayError(res: ServerResponse): void {
  const page = Buffer.from("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n");
  res.writeHead(502, { "content-type": "text/html", "content-length": String(page.length) });
  res.end(page);
}

// "2xx but incomplete": answers whose status says success and whose body does not hold the
// answer. The call was carried out first, so a creating call's version exists.

/** "empty-body": the status and headers of the answer, and no body at all. */
export function emptyBody(res: ServerResponse, reply: Reply): void {
  const { headers } = encode(reply);
  res.writeHead(reply.status, { ...headers, "content-length": "0" });
  res.end();
}

/** An XML answer's root element, emptied (object stores answer XML). */
function emptyXmlRoot(xml: string): string | null {
  const root = /<([A-Za-z][\w.-]*)[\s>]/.exec(xml.replace(/^<\?xml[^>]*\?>\s*/, ""));
  return root ? `<?xml version="1.0" encoding="UTF-8"?>\n<${root[1]}></${root[1]}>` : null;
}

/** Every array in a JSON value left out, at any depth. */
function withoutLists(value: unknown): unknown {
  if (Array.isArray(value)) return undefined;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!Array.isArray(v)) out[k] = withoutLists(v);
  return out;
}

/**
 * "hollow" (the envelope only: `envelope` is the cloud's, `{}` when it has none) and "no-list"
 * (every list left out) of one answer. An XML answer keeps its root element only, for both; an
 * answer with no body stays as it is (there is nothing to leave out).
 */
export function incompleteReply(reply: Reply, kind: "hollow" | "no-list", envelope: unknown): Reply {
  if (Buffer.isBuffer(reply.body)) {
    const root = emptyXmlRoot(reply.body.toString("utf8"));
    return root === null ? reply : { ...reply, body: Buffer.from(root) };
  }
  if (reply.body === undefined || reply.body === null || typeof reply.body !== "object") return reply;
  return { ...reply, body: kind === "hollow" ? (envelope ?? {}) : withoutLists(reply.body) };
}

/** "truncate-chunked": the answer sent chunked (no content-length), cut at half, and the chunked body ended cleanly. */
export function truncateChunked(res: ServerResponse, reply: Reply): void {
  const { headers, payload } = encode(reply);
  delete headers["content-length"];
  res.writeHead(reply.status, { ...headers, "transfer-encoding": "chunked" });
  res.end(payload.subarray(0, Math.floor(payload.length / 2)));
}
