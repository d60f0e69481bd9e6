// layerctl emulate: run the local emulator of the three clouds until interrupted.
import { stat } from "node:fs/promises";
import { UsageError } from "../errors.js";
import { emulatorEnv } from "../emulator/env.js";
import type { FaultKind, FaultRule, RunningEmulator, SeedBucket, SeedFunction } from "../emulator/types.js";
import type { ProviderName } from "../providers/names.js";
import { isProviderName, parseQualified } from "../providers/qualified.js";
import { defineCommand } from "./shared/define.js";

export interface EmulateInput {
  host?: string;
  port?: string;
  stateDir?: string;
  publishDelay?: string;
  updateDelay?: string;
  fault?: string[];
  rateLimit?: string;
  function?: string[];
  /** PROVIDER:REGION=NAME */
  bucket?: string[];
  /** S3 answers without checksums, like moto, MinIO or Ceph RGW. */
  s3WithoutChecksums?: boolean;
}

const FAULT_KINDS: FaultKind[] = [
  "throttle",
  "server-error",
  "reset",
  "lost-response",
  "latency",
  "hang",
  "bad-checksum",
  "publish-failed",
  "stall",
  "truncate",
  "html-error",
  "expire-credentials",
  "empty-body",
  "hollow",
  "no-list",
  "truncate-chunked",
];

/** `provider:action:kind[:times][:latencyMs]`, e.g. `tencent:PublishLayerVersion:throttle:2`, `*:*:latency::500`. */
export function parseFault(spec: string): FaultRule {
  const [provider, action, kind, times, latency] = spec.split(":");
  const bad = (why: string) =>
    new UsageError(`--fault "${spec}": ${why}`, {
      code: "InvalidFault",
      hint: `write provider:action:kind[:times][:latencyMs], kind one of ${FAULT_KINDS.join(", ")}; e.g. aws:*:throttle:2`,
    });
  if (!provider || !action || !kind) throw bad("missing parts");
  if (provider !== "*" && !isProviderName(provider)) throw bad(`unknown provider "${provider}"`);
  if (!FAULT_KINDS.includes(kind as FaultKind)) throw bad(`unknown kind "${kind}"`);
  const rule: FaultRule = { provider: provider as ProviderName | "*", action, kind: kind as FaultKind };
  if (times) {
    if (!/^\d+$/.test(times)) throw bad("times must be a whole number");
    rule.times = Number(times);
  }
  if (kind === "latency") {
    if (!latency || !/^\d+$/.test(latency) || Number(latency) === 0) throw bad("latency needs a delay in ms as the fifth part");
    rule.latencyMs = Number(latency);
  }
  return rule;
}

function parseNumber(flag: string, value: string | undefined, fallback: number | null): number | null {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number, not "${value}"`, { code: "InvalidOption" });
  return Number(value);
}

/** `[PROVIDER:]NAME[=LAYER:VERSION[,LAYER:VERSION...]]`: a function, optionally using layer versions. */
export function parseSeed(spec: string): SeedFunction {
  const [fn, layerList] = spec.split("=", 2) as [string, string | undefined];
  // fn holds no "=": it is NAME or provider:NAME.
  const q = parseQualified(fn);
  const name = q ? (q.provider ? q.value : undefined) : fn;
  const layers = layerList === undefined ? [] : layerList.split(",").map((l) => /^([^:,]+):(\d+)$/.exec(l.trim()));
  if (name === undefined || !/^[^:=]+$/.test(name) || layers.some((l) => l === null) || layerList === "") {
    throw new UsageError(`--function "${spec}" must be NAME or PROVIDER:NAME, optionally =LAYER:VERSION[,LAYER:VERSION...]`, {
      code: "InvalidOption",
      hint: "e.g. --function aws:api=deps:3,tools:1",
    });
  }
  const seed: SeedFunction = { provider: q?.provider, name };
  if (layerList !== undefined) seed.layers = layers.map((l) => ({ name: l![1]!, version: Number(l![2]) }));
  return seed;
}

/** 127.0.0.0/8, ::1 and localhost: addresses other machines cannot reach. */
export function parseSeedBucket(spec: string): SeedBucket {
  const q = parseQualified(spec);
  if (!q?.provider || q.form !== "provider:region=value" || !/^[A-Za-z0-9.-]+$/.test(q.value)) {
    throw new UsageError(`--bucket "${spec}" must be PROVIDER:REGION=NAME`, {
      code: "InvalidOption",
      hint: "e.g. aws:us-east-1=my-layers or tencent:ap-guangzhou=layers-1250000000",
    });
  }
  return { provider: q.provider, region: q.region!, name: q.value };
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(?:\.\d{1,3}){3}$/.test(h) || /^::ffff:127(?:\.\d{1,3}){3}$/.test(h);
}

export interface EmulateResult extends RunningEmulator {
  /** For stderr: what the user should know before relying on this emulator. */
  warnings: string[];
}

export async function emulateCommand(input: EmulateInput): Promise<EmulateResult> {
  const port = parseNumber("--port", input.port, 9000)!;
  if (port > 65535) throw new UsageError(`--port ${port} is out of range`, { code: "InvalidOption" });
  const faults = (input.fault ?? []).map(parseFault);
  const functions = (input.function ?? []).map(parseSeed);
  const buckets = (input.bucket ?? []).map(parseSeedBucket);
  if (input.stateDir) {
    const st = await stat(input.stateDir).catch(() => null);
    if (st && !st.isDirectory()) {
      throw new UsageError(`--state-dir ${input.stateDir} is not a directory`, { code: "InvalidStateDir", hint: "give a directory (it is created if missing)" });
    }
  }
  const host = input.host ?? "127.0.0.1";
  const publishDelayMs = parseNumber("--publish-delay", input.publishDelay, null);
  const warnings = isLoopback(host)
    ? []
    : [
        `the emulator listens on ${host}, where other machines can reach it: its keys are public (printed by this command, written in layerctl's source) and open everything it holds; use --host 127.0.0.1 unless you mean to share it`,
      ];
  const { start } = await import("../emulator/index.js");
  try {
    const emu = await start({
      host,
      port,
      stateDir: input.stateDir,
      ...(publishDelayMs === null ? {} : { publishDelayMs }),
      tuning: {
        ...(input.s3WithoutChecksums ? { aws: { s3Checksums: false } } : {}),
      },
      functionUpdateDelayMs: parseNumber("--update-delay", input.updateDelay, null) ?? undefined,
      rateLimit: parseNumber("--rate-limit", input.rateLimit, null),
      faults,
      functions,
      buckets,
    });
    return Object.assign(emu, { warnings });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UsageError(`port ${port} is already in use`, { code: "PortInUse", hint: "pick another with --port (0 = any free port)" });
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
      throw new UsageError(`cannot listen on ${input.host}`, { code: "InvalidHost", hint: "use 127.0.0.1 or another local address" });
    if (code === "EBADSTATE") throw new UsageError((err as Error).message, { code: "InvalidState", hint: "the file is kept as it is; move it away or pick another --state-dir" });
    if (code === "ELOCKED") throw new UsageError((err as Error).message, { code: "StateDirInUse", hint: "stop that emulator, or give this one another --state-dir" });
    if (input.stateDir && (code === "ENOTDIR" || code === "EACCES" || code === "EEXIST" || code === "EROFS")) {
      throw new UsageError(`cannot keep state in ${input.stateDir} (${code})`, { code: "InvalidStateDir", hint: "give a directory you can write to (it is created if missing)" });
    }
    throw err;
  }
}

export default defineCommand({
  options: [
    { flags: "--host <host>", description: "address to listen on", default: "127.0.0.1" },
    { flags: "--port <port>", description: "port to listen on (0: any free port)", default: "9000" },
    { flags: "--state-dir <dir>", description: "keep layers (metadata and zips) here across restarts (default: in memory)" },
    { flags: "--publish-delay <ms>", description: "how long a new Tencent layer version stays Publishing", default: "1000" },
    { flags: "--update-delay <ms>", description: "how long a function update, or a new function version, stays in progress (every cloud)", default: "1000" },
    { flags: "--fault <spec>", description: "inject a fault: provider:action:kind[:times][:latencyMs] (repeatable)", repeatable: true },
    { flags: "--rate-limit <n>", description: "calls per second per provider and action before throttling errors" },
    {
      flags: "--function <spec>",
      description: "a function that exists from the start: NAME or PROVIDER:NAME, optionally =LAYER:VERSION[,...] for the layers it uses (repeatable)",
      repeatable: true,
    },
    { flags: "--bucket <spec>", description: "an object storage bucket that exists from the start, PROVIDER:REGION=NAME (repeatable)", repeatable: true },
    { flags: "--s3-without-checksums", description: "S3 returns no checksums, only ETags, as moto, MinIO and Ceph RGW do" },
  ],
  examples: [
    "layerctl emulate --port 9000",
    "layerctl emulate --state-dir .emulator --function tencent:api --rate-limit 20",
    "layerctl emulate --function aws:api=deps:3,tools:1",
    "layerctl emulate --fault tencent:PublishLayerVersion:throttle:2 --fault '*:*:latency::300'",
    "layerctl emulate --bucket aws:us-east-1=my-layers --bucket tencent:ap-guangzhou=layers-1250000000 --fault aws:UploadPart:reset:1",
  ],
  notes: `Fault kinds: throttle, server-error, reset, lost-response (carried out, answer lost), latency, hang,
bad-checksum, publish-failed, stall (headers then no body), truncate (part of the body), html-error (gateway 502),
expire-credentials (every temporary key the cloud's STS issued expires now: the call gets the
expired-token error); "2xx but incomplete" (carried out, then): empty-body, hollow (the envelope only),
no-list (every list left out), truncate-chunked (half the answer, chunked, ended cleanly).

The object stores (S3, COS, OSS) answer on the same port as the layer APIs; storage faults use the
store's operation names (PutObject, UploadPart, CompleteMultipartUpload...).

Then, in another shell, export the printed variables and run layerctl (or any SDK) against it.`,
  // The emulator's own keys are meant to be shown: they open nothing but this local server.
  unredacted: true,
  run: async (input: EmulateInput) => ({ emulator: await emulateCommand(input), stateDir: input.stateDir }),
  render: ({ emulator }) =>
    `${Object.entries(emulatorEnv(emulator.credentials, emulator.url))
      .map(([k, v]) => `export ${k}=${v}`)
      .join("\n")}\n`,
  service: ({ emulator, stateDir }) => ({
    warnings: emulator.warnings,
    note: `layerctl emulator listening on ${emulator.url} (${stateDir ? `state in ${stateDir}` : "in memory"}); Ctrl-C to stop`,
    close: () => emulator.close(),
  }),
});
