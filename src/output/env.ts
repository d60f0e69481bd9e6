// `--output env`: KEY=value lines for $GITHUB_OUTPUT, `make` includes and `set -a; . file`, and
// `--output version` lines. One rule for every command: keys are LAYERCTL_ + upper-case words
// (anything else becomes `_`); values are single tokens made only of characters that no shell or
// make treats specially (letters, digits and `._:/+@,-`; anything else becomes `_`), so no quoting
// is needed and sourcing runs nothing. Keys are unique in a document: the last of two equal keys
// would silently win when sourced or appended to $GITHUB_OUTPUT.

/** Set on a document that can hold several layers (a config run over every layer): keys and lines name the layer. */
const MANY_LAYERS = Symbol.for("layerctl.manyLayers");

/** Marks a document as able to hold several layers; JSON does not show the mark. */
export function markManyLayers<T extends object>(doc: T): T {
  Object.defineProperty(doc, MANY_LAYERS, { value: true, enumerable: false });
  return doc;
}

export function holdsManyLayers(doc: object): boolean {
  return (doc as { [MANY_LAYERS]?: boolean })[MANY_LAYERS] === true;
}

/** LAYERCTL_<PART>_<PART>...: upper case, every run of other characters one `_`. */
export function envKey(...parts: string[]): string {
  return `LAYERCTL_${parts
    .filter((p) => p !== "")
    .join("_")
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")}`;
}

export function envValue(v: string | number): string {
  return String(v).replace(/[^A-Za-z0-9._:/+@,-]/g, "_");
}

/**
 * The lines, each key once. Two things that give the same key (layers `py-deps` and `py_deps`)
 * with different values leave the key out: a script must not act on the other one's value.
 */
export function envLines(pairs: Array<[string, string | number]>): string {
  const values = new Map<string, string | null>();
  for (const [key, raw] of pairs) {
    const v = envValue(raw);
    values.set(key, values.has(key) && values.get(key) !== v ? null : v);
  }
  const lines = [...values].filter((e): e is [string, string] => e[1] !== null).map(([k, v]) => `${k}=${v}`);
  return lines.join("\n") + (lines.length ? "\n" : "");
}

interface Labelled {
  provider: string;
  region: string;
  layerName: string;
}

/** How `--output version` lines are labelled: the layer (and target) when there are several, the target when there are several. */
export function versionLabel<R extends Labelled>(results: R[], manyLayers: boolean): (r: R) => string {
  const layers = manyLayers || new Set(results.map((r) => r.layerName)).size > 1;
  const targets = new Set(results.map((r) => `${r.provider} ${r.region}`)).size > 1;
  if (layers) return (r) => `${r.layerName} ${r.provider} ${r.region} `;
  if (targets) return (r) => `${r.provider} ${r.region} `;
  return () => "";
}

/** Records grouped by what their env keys are named after: the target, and the layer when the document can hold several. */
export function envGroups<R extends Labelled>(results: R[], manyLayers: boolean): Array<{ key: string[]; records: R[] }> {
  const groups = new Map<string, { key: string[]; records: R[] }>();
  for (const r of results) {
    const key = manyLayers ? [r.layerName, r.provider, r.region] : [r.provider, r.region];
    const id = key.join("\u0000");
    if (!groups.has(id)) groups.set(id, { key, records: [] });
    groups.get(id)!.records.push(r);
  }
  return [...groups.values()];
}
