// Which layers and targets a command works on when a config file is in play. The file declares
// each layer's targets (providers x regions, after the top-level defaults); --provider and
// --region select among them, they never add to them: a CI matrix job running `--provider tencent`
// publishes the layers the file sends to Tencent, to their Tencent regions, and nothing else. A
// layer left with no target is skipped (and said so); a flag that selects nothing is a mistake.
// Where the file leaves a provider's regions open, the flags choose them (else the default region).
import { UsageError } from "../errors.js";
import { displayPath, effectiveLayers, settingPath, type EffectiveLayer, type LoadedConfig } from "../config/load.js";
import { getProvider, providerNames } from "../providers/index.js";
import type { ProviderName } from "../providers/types.js";
import { qualifiedRegion } from "../providers/qualified.js";
import { checkRegion, defaultRegion, splitList } from "../targets/resolve.js";
import { ALL } from "../targets/all-regions.js";

export interface ScopeFlags {
  provider?: string[];
  region?: string[];
}

export interface ScopedTarget {
  provider: ProviderName;
  region: string;
}

export interface ScopedLayer {
  layer: EffectiveLayer;
  targets: ScopedTarget[];
  /** The providers of `targets`, in the file's order (for --provider). */
  providers: ProviderName[];
  /** `provider:region` for every target (for --region). */
  regions: string[];
}

/** A layer this run leaves out: every target it has was filtered away by the flags. */
export interface SkippedLayer {
  layerName: string;
  reason: string;
}

export interface ConfigScope {
  loaded: LoadedConfig;
  layers: ScopedLayer[];
  skipped: SkippedLayer[];
}

/** The layers of the file named (all of them when `names` is undefined), each with the targets the flags select. */
export function scopeLayers(loaded: LoadedConfig, names: string[] | undefined, flags: ScopeFlags, env: NodeJS.ProcessEnv): ConfigScope {
  const all = effectiveLayers(loaded.config);
  const chosen = names === undefined ? all : names.map((n) => findLayer(loaded, all, n));
  const wanted = [...new Set(splitList(flags.provider))].map((p) => getProvider(p).name);
  const entries = splitList(flags.region).map(parseEntry);
  for (const e of entries) {
    if (e.provider && wanted.length > 0 && !wanted.includes(e.provider)) {
      throw new UsageError(`--region ${e.text} names ${e.provider}, which is not among the selected providers`, {
        code: "UnusedRegion",
        hint: `add ${e.provider} to --provider, or drop that region`,
      });
    }
  }

  const layers: ScopedLayer[] = [];
  const skipped: SkippedLayer[] = [];
  for (const layer of chosen) {
    const declared = declaredTargets(loaded, layer, wanted, env);
    const targets: ScopedTarget[] = [];
    for (const { provider, regions } of declared) {
      if (wanted.length > 0 && !wanted.includes(provider)) continue;
      if (regions === null) {
        // Regions left open by the file: the flags choose (as without a file), else the default.
        const mine = entries.filter((e) => e.provider === provider).map((e) => e.region);
        const shared = entries.filter((e) => e.provider === null).map((e) => e.region);
        const picked = entries.length === 0 ? [defaultRegion(getProvider(provider), env)] : mine.length > 0 ? mine : shared;
        for (const region of picked) checkRegion(getProvider(provider), region, env);
        targets.push(...[...new Set(picked)].map((region) => ({ provider, region })));
        continue;
      }
      const selected = entries.length === 0 ? regions : selectRegions(provider, regions, entries, env);
      targets.push(...selected.map((region) => ({ provider, region })));
    }
    if (targets.length === 0) {
      skipped.push({ layerName: layer.name, reason: `none of its targets (${describeDeclared(declared)}) is among ${describeFlags(flags)}` });
      continue;
    }
    const providers = [...new Set(targets.map((t) => t.provider))];
    layers.push({ layer, targets, providers, regions: targets.map((t) => `${t.provider}:${t.region}`) });
  }

  // A flag that selects nothing is a typo or a wrong matrix leg: say so rather than do nothing.
  const kept = layers.flatMap((l) => l.targets);
  for (const p of wanted) {
    if (!kept.some((t) => t.provider === p)) {
      throw new UsageError(`--provider ${p}: no layer of ${displayPath(loaded.file)}${names ? ` named here (${names.join(", ")})` : ""} publishes to ${p}`, {
        code: "NoSuchTarget",
        hint: `its layers publish to: ${describeAll(chosen, loaded, env)}`,
      });
    }
  }
  for (const e of entries) {
    if (!kept.some((t) => (t.region === e.region || e.region === ALL) && (e.provider === null || e.provider === t.provider))) {
      throw new UsageError(`--region ${e.text}: no layer of ${displayPath(loaded.file)}${names ? ` named here (${names.join(", ")})` : ""} publishes there`, {
        code: "NoSuchTarget",
        hint: `its layers publish to: ${describeAll(chosen, loaded, env)}`,
      });
    }
  }
  return { loaded, layers, skipped };
}

/**
 * The declared regions of one provider that the --region entries select. `all` (../targets/all-regions.ts)
 * works both ways: an entry `all` / `aws:all` selects every declared region, and a declared `all`
 * (every region the account may use, listed when the run starts) holds any region an entry names
 * for that provider. Which regions `all` will stand for is not known before that call, so an entry
 * is taken on its shape: a plain entry that is not of this provider's shape (another cloud's
 * region) selects nothing here, a `provider:` entry is checked like --region.
 */
function selectRegions(provider: ProviderName, declared: string[], entries: Entry[], env: NodeJS.ProcessEnv): string[] {
  const mine = entries.filter((e) => e.provider === null || e.provider === provider);
  if (mine.some((e) => e.region === ALL)) return declared;
  const out = declared.filter((r) => mine.some((e) => e.region === r));
  if (!declared.includes(ALL)) return out;
  for (const e of mine) {
    if (out.includes(e.region)) continue;
    try {
      checkRegion(getProvider(provider), e.region, env);
    } catch (err) {
      if (e.provider === null && err instanceof UsageError) continue;
      throw err;
    }
    out.push(e.region);
  }
  return out;
}

/** A layer of the file by name, or a usage error listing them (with the closest one). */
export function findLayer(loaded: LoadedConfig, layers: EffectiveLayer[], name: string): EffectiveLayer {
  const found = layers.find((l) => l.name === name);
  if (found) return found;
  throw notALayer(loaded, name);
}

export function notALayer(loaded: LoadedConfig, name: string, also = ""): UsageError {
  const names = loaded.config.layers.map((l) => l.name);
  const near = closest(name, names);
  return new UsageError(`${name} is not a layer of ${displayPath(loaded.file)}${also} (its layers: ${names.join(", ")})`, {
    code: "UnknownLayer",
    hint: near ? `did you mean ${near}?` : `name one of its layers, or run outside ${displayPath(loaded.dir) || "this folder"} to work without the file`,
  });
}

interface Declared {
  provider: ProviderName;
  /** null: the file leaves this provider's regions open. */
  regions: string[] | null;
}

/** Each provider of the layer with the regions the file gives it, checked with their key paths. */
function declaredTargets(loaded: LoadedConfig, layer: EffectiveLayer, wanted: ProviderName[], env: NodeJS.ProcessEnv): Declared[] {
  const file = displayPath(loaded.file);
  const providers = layer.providers ?? wanted;
  if (providers.length === 0) {
    throw new UsageError(`${file}: layers[${layer.index}] (${layer.name}): no provider given`, {
      code: "MissingProvider",
      hint: 'set "providers" (for the layer, or at the top level for every layer), or pass --provider',
    });
  }
  const regions = layer.regions ?? [];
  const parsed = regions
    .map((entry, i) => {
      const e = parseEntry(entry);
      const named = qualifiedRegion(entry)?.qualifier;
      if (e.provider === null && named !== undefined) {
        throw new UsageError(`${file}: ${settingPath(layer, "regions", i)}: ${named} is not a provider`, {
          code: "InvalidConfig",
          hint: `write a region, or provider:region with one of: ${providerNames.join(", ")}`,
        });
      }
      // Top-level regions serve every layer: one for a provider this layer does not use is not its concern.
      if (e.provider !== null && !providers.includes(e.provider) && !layer.inherited.has("regions")) {
        throw new UsageError(`${file}: ${settingPath(layer, "regions", i)}: names ${e.provider}, which is not among the layer's providers (${providers.join(", ")})`, {
          code: "UnusedRegion",
          hint: `add ${e.provider} to "providers", or drop that region`,
        });
      }
      return { ...e, index: i };
    })
    .filter((e) => e.provider === null || providers.includes(e.provider));
  return providers.map((provider) => {
    const mine = parsed.filter((e) => e.provider === provider);
    const list = mine.length > 0 ? mine : parsed.filter((e) => e.provider === null);
    for (const e of list) {
      try {
        checkRegion(getProvider(provider), e.region, env);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        throw err.with({ message: `${file}: ${settingPath(layer, "regions", e.index)}: ${err.message}` });
      }
    }
    return { provider, regions: list.length > 0 ? [...new Set(list.map((e) => e.region))] : null };
  });
}

interface Entry {
  text: string;
  provider: ProviderName | null;
  region: string;
}

function parseEntry(text: string): Entry {
  const q = qualifiedRegion(text);
  if (q?.provider) return { text, provider: q.provider, region: q.region };
  if (q) getProvider(q.qualifier); // an unknown provider name is that error
  return { text, provider: null, region: text };
}

function describeDeclared(declared: Declared[]): string {
  return declared.map((d) => (d.regions === null ? d.provider : d.regions.map((r) => `${d.provider}:${r}`).join(", "))).join(", ");
}

function describeAll(layers: EffectiveLayer[], loaded: LoadedConfig, env: NodeJS.ProcessEnv): string {
  return layers
    .map((l) => {
      try {
        return `${l.name} (${describeDeclared(declaredTargets(loaded, l, [], env))})`;
      } catch {
        return `${l.name} (${(l.providers ?? []).join(", ") || "no providers"})`;
      }
    })
    .join("; ");
}

function describeFlags(flags: ScopeFlags): string {
  const parts = [
    ...(splitList(flags.provider).length ? [`--provider ${splitList(flags.provider).join(",")}`] : []),
    ...(splitList(flags.region).length ? [`--region ${splitList(flags.region).join(",")}`] : []),
  ];
  return parts.join(" ");
}

/** The candidate closest to a mistyped name (at most two edits, or a prefix), if any. */
export function closest(name: string, candidates: string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = c.startsWith(name) || name.startsWith(c) ? 1 : editDistance(name, c);
    if (d <= 2 && (!best || d < best.d)) best = { c, d };
  }
  return best?.c;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}
