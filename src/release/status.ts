// `layerctl status`: for each layer and each target, the newest version, whether it holds the
// local build, whether the fleet's versions are aligned, and how many versions count toward a
// cap (Tencent: 200). Reads only (ProviderClient.layerHead: at most two per target; FC's list
// carries its CRC-64, so no download anywhere). The local build is packed as publish would pack
// it (the config's dir, prefix, excludes), per prefix when providers get different ones.
//
// A target's state, against the local build:
//   in-sync  its newest version holds the local zip
//   behind   it does not, but another target of the layer does (a region the release missed)
//   differs  no target holds it (the local tree is not what was published)
//   missing  the layer has no version there
//   error    the target could not be read (exit 1)
// Without a local build (status --name N without a directory), a target is in-sync when its
// newest version is the fleet's highest, else behind.
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspectZip, pack } from "../archive/index.js";
import { UsageError } from "../errors.js";
import { valueFor } from "../config/per-provider.js";
import { loadConfig } from "../config/load.js";
import { removeOnInterrupt } from "../interrupt.js";
import { archiveCrc64 } from "../providers/archive-content.js";
import { holdsZip, type LocalDigest } from "../providers/content.js";
import type { LayerHead, ProviderName, RecordError } from "../providers/types.js";
import type { CommandContext } from "../targets/context.js";
import { FLEET_CONCURRENCY } from "../targets/run-options.js";
import { parseSymlinkMode } from "../archive/options.js";
import { failedTarget } from "../targets/failed-records.js";
import { runSettings, withTargets } from "../targets/runner.js";
import { selectProviders, type Target, type TargetOptions } from "../targets/resolve.js";
import type { Logger } from "../output/log.js";
import { scopeLayers } from "./config-scope.js";
import { fromLayer } from "./publish-config.js";

export type TargetState = "in-sync" | "behind" | "differs" | "missing" | "error";

export interface StatusTarget {
  provider: ProviderName;
  region: string;
  layerName: string;
  /** The newest usable version; null when there is none (missing) or it could not be read. */
  version: number | null;
  state: TargetState;
  /** Hex SHA-256 of the newest version's zip where the cloud reports one (AWS, Tencent); null elsewhere. */
  codeSha256: string | null;
  /** Versions counting toward the cloud's cap; null where there is none. */
  versionCount: number | null;
  versionLimit: number | null;
  requestId: string | null;
  error?: RecordError;
}

export interface StatusLayer {
  layerName: string;
  /** The local build compared with, per provider where prefixes differ; null without one. */
  local: Array<{ providers: ProviderName[]; sha256: string; crc64: string; size: number }> | null;
  /** Every target's newest version is the same number (and none is missing). */
  aligned: boolean;
  /** The highest newest version across the targets; null when none has one. */
  highestVersion: number | null;
  targets: StatusTarget[];
}

export interface StatusDocument {
  layers: StatusLayer[];
}

export interface StatusInput extends TargetOptions {
  /** A layer directory or .zip to compare with, or a layer of the config; none: every configured layer. */
  source?: string;
  name?: string;
  config?: string;
  cwd?: string;
  timeout?: string;
  prefix?: string;
  exclude?: string[];
  symlinks?: string;
}

interface LayerJob {
  layerName: string;
  targets: TargetOptions;
  /** Where the local build comes from; null: compare versions only. */
  build: { source: string; prefix?: string; exclude?: string[]; symlinks?: string } | null;
}

export async function statusCommand(input: StatusInput, ctx: CommandContext): Promise<StatusDocument> {
  const settings = runSettings(input);
  const jobs = await planJobs(input, ctx.env, ctx.log);
  // Everything checkable before any call: providers and regions of every layer.
  for (const job of jobs) selectProviders(job.targets.provider);
  const tmp = await mkdtemp(path.join(tmpdir(), "layerctl-status-"));
  const forget = removeOnInterrupt(tmp);
  try {
    const layers: StatusLayer[] = [];
    for (const [i, job] of jobs.entries()) {
      ctx.progress?.(`building ${job.layerName}`);
      const local = job.build ? await localBuilds(job, path.join(tmp, String(i))) : null;
      const heads = await withTargets(job.targets, ctx, { settings, layerName: job.layerName, boundListing: true }, (run) => {
        ctx.progress?.(`reading ${job.layerName} in ${run.targets.length} targets`);
        return run.each<{ t: Target; head?: LayerHead; err?: unknown }>(async ({ client, target: t }) => ({ t, head: await client.layerHead(job.layerName) }), {
          failed: (t, err) => ({ t, err }),
          fallback: FLEET_CONCURRENCY,
        });
      });
      layers.push(classify(job.layerName, heads, local));
    }
    return { layers };
  } finally {
    await rm(tmp, { recursive: true, force: true });
    forget();
  }
}

async function planJobs(input: StatusInput, env: NodeJS.ProcessEnv, log: Logger): Promise<LayerJob[]> {
  const flagTargets: TargetOptions = { provider: input.provider, region: input.region, endpoint: input.endpoint, profile: input.profile, emulator: input.emulator };
  if (input.name !== undefined) {
    if (!input.name.trim()) throw new UsageError("--name is empty", { code: "MissingLayerName" });
    const build =
      input.source === undefined
        ? null
        : { source: path.resolve(input.cwd ?? process.cwd(), input.source), prefix: input.prefix, exclude: input.exclude, symlinks: input.symlinks };
    if (build && !(await stat(build.source).catch(() => null)))
      throw new UsageError(`${input.source} does not exist`, { code: "MissingSource", hint: "give the layer directory or .zip to compare with" });
    return [{ layerName: input.name.trim(), targets: flagTargets, build }];
  }
  const loaded = await loadConfig({ file: input.config, cwd: input.cwd });
  if (!loaded) {
    throw new UsageError("no config file found and no --name given", {
      code: "MissingLayerName",
      hint: "run in a directory with layerctl.config.json, or pass --name <layer> with -p/-r (and the layer directory to compare with)",
    });
  }
  // The same reading of the file as publish: its layers (or the one named) and their targets, which
  // --provider / --region select among; a layer left with none is skipped and said so.
  const scope = scopeLayers(loaded, input.source === undefined ? undefined : [input.source], input, env);
  for (const s of scope.skipped) log.info(`${s.layerName}: skipped: ${s.reason}`);
  return scope.layers.map((scoped) => {
    const { input: p } = fromLayer(scoped, loaded, { endpoint: input.endpoint, profile: input.profile, emulator: input.emulator });
    return {
      layerName: scoped.layer.name,
      targets: { provider: p.provider, region: p.region, endpoint: p.endpoint, profile: p.profile, emulator: p.emulator },
      build: { source: p.source, prefix: p.prefix, exclude: p.exclude, symlinks: p.symlinks },
    };
  });
}

/** The local zip per prefix group (one zip when every provider gets the same prefix), as digests. */
async function localBuilds(job: LayerJob, dir: string): Promise<NonNullable<StatusLayer["local"]>> {
  const build = job.build!;
  const providers = selectProviders(job.targets.provider).map((p) => p.name);
  const entries = build.prefix === undefined ? [] : build.prefix.split(",").map((e) => e.trim());
  const groups = new Map<string, ProviderName[]>();
  for (const p of providers) {
    const prefix = valueFor(p, entries) ?? "";
    groups.set(prefix, [...(groups.get(prefix) ?? []), p]);
  }
  const st = await stat(build.source);
  await mkdir(dir, { recursive: true });
  const out: NonNullable<StatusLayer["local"]> = [];
  let n = 0;
  for (const [prefix, names] of groups) {
    let file = build.source;
    let sha256: string;
    if (st.isDirectory()) {
      file = path.join(dir, `local-${n++}.zip`);
      const packed = await pack({ dir: build.source, output: file, exclude: build.exclude, prefix: prefix || undefined, symlinks: parseSymlinkMode(build.symlinks) });
      sha256 = packed.archive.sha256;
    } else {
      sha256 = (await inspectZip(file)).archive.sha256;
    }
    const size = (await stat(file)).size;
    out.push({ providers: names, sha256, crc64: await archiveCrc64({ path: file, sha256, size }), size });
  }
  return out;
}

function classify(layerName: string, heads: Array<{ t: Target; head?: LayerHead; err?: unknown }>, local: StatusLayer["local"]): StatusLayer {
  const localFor = (p: ProviderName): LocalDigest | null => local?.find((l) => l.providers.includes(p)) ?? null;
  const holds = heads.map(({ t, head }) => {
    const l = localFor(t.provider.name);
    return head && l ? holdsZip(head.digest, l) === true : false;
  });
  const anyHolds = holds.some(Boolean);
  const versions = heads.map(({ head }) => head?.newest?.version ?? null);
  const highest = versions.reduce<number | null>((m, v) => (v !== null && (m === null || v > m) ? v : m), null);
  const targets = heads.map(({ t, head, err }, i): StatusTarget => {
    const where = { provider: t.provider.name, region: t.region, layerName };
    const versionLimit = t.provider.limits.maxVersionsPerLayer;
    if (!head) {
      const blank: StatusTarget = { ...where, version: null, state: "error", codeSha256: null, versionCount: null, versionLimit, requestId: null };
      return { ...blank, ...failedTarget(t, err) };
    }
    const version = head.newest?.version ?? null;
    let state: TargetState;
    if (version === null) state = "missing";
    else if (local) state = holds[i] ? "in-sync" : anyHolds ? "behind" : "differs";
    else state = version === highest ? "in-sync" : "behind";
    return { ...where, version, state, codeSha256: head.digest?.sha256 ?? null, versionCount: head.versionCount, versionLimit, requestId: head.newest?.requestId ?? null };
  });
  const readable = targets.filter((t) => t.state !== "error");
  const aligned = readable.length > 0 && readable.every((t) => t.version !== null && t.version === readable[0]!.version);
  return { layerName, local, aligned, highestVersion: highest, targets };
}

/** 3 when any target is behind, missing or differs (a CI gate); failures (exit 1) are reported apart. */
export function statusExitCode(doc: StatusDocument): number {
  return doc.layers.some((l) => l.targets.some((t) => t.state === "behind" || t.state === "missing" || t.state === "differs")) ? 3 : 0;
}
