// The licence notices of the packages bundled into dist/ (scripts/build.mjs calls writeNotices with
// the bundle's inputs): each package's name, version and licence, then the licence texts the
// packages ship, each text once with the packages that ship it.
import fs from "node:fs";
import path from "node:path";

/** The package an input path comes from ("@scope/name" or "name"), or undefined for our own sources. */
export function packageOf(input) {
  return packageDirOf(input)?.name;
}

/** { dir, name } of the package holding `input` (a repo-relative path), innermost node_modules first. */
function packageDirOf(input) {
  const at = input.lastIndexOf("node_modules/");
  if (at < 0) return undefined;
  const parts = input.slice(at + "node_modules/".length).split("/");
  const name = parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  return { dir: input.slice(0, at + "node_modules/".length) + name, name };
}

const LICENCE_FILE = /^(licen[cs]e|copying|notice)([.-].*)?$/i;

/** Writes `file` from the bundle's inputs; throws when a bundled package states no licence at all. */
export function writeNotices(repo, file, inputs) {
  const packages = new Map();
  for (const input of inputs) {
    const found = packageDirOf(input);
    if (found && !packages.has(found.dir)) packages.set(found.dir, found);
  }
  const entries = [...packages.values()].map(({ dir }) => {
    const abs = path.join(repo, dir);
    const meta = JSON.parse(fs.readFileSync(path.join(abs, "package.json"), "utf8"));
    const licence = typeof meta.license === "string" ? meta.license : (meta.license?.type ?? meta.licenses?.map((l) => l.type).join(" OR "));
    const texts = fs
      .readdirSync(abs)
      .filter((f) => LICENCE_FILE.test(f) && fs.statSync(path.join(abs, f)).isFile())
      .sort()
      .map((f) => fs.readFileSync(path.join(abs, f), "utf8").trim());
    if (!licence && texts.length === 0) throw new Error(`build: ${meta.name} (${dir}) is bundled into dist/ but states no licence`);
    return { id: `${meta.name}@${meta.version}`, licence: licence ?? "see its licence text", texts };
  });
  entries.sort((a, b) => a.id.localeCompare(b.id));
  const byText = new Map();
  for (const e of entries) for (const t of e.texts) byText.set(t, [...(byText.get(t) ?? []), e.id]);
  const lines = [
    "layerctl bundles the following packages into dist/ (scripts/build.mjs writes this file).",
    "Each line: package, version, licence. The licence texts they ship follow, each once, with the packages that ship it.",
    "",
    ...entries.map((e) => `${e.id}  ${e.licence}${e.texts.length ? "" : "  (the package ships no licence text)"}`),
  ];
  for (const [text, ids] of byText) lines.push("", "-".repeat(78), ids.join(", "), "", text);
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return entries.length;
}
