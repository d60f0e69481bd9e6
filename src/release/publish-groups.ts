// `--prefix aws:python,aliyun:python,tencent:`: the zip differs by prefix, so providers are grouped
// by the prefix they get and each group is one publish (one zip, built deterministically, so two
// groups with the same tree and prefix would get the same bytes). Without per-provider prefixes
// this is exactly one publish.
import { UsageError } from "../errors.js";
import { hasProviderEntries, valueFor, valuesFor } from "../config/per-provider.js";
import { parseQualified } from "../providers/qualified.js";
import type { ArchiveSummary } from "../archive/types.js";
import type { PreparedPublish, PublishDocument, PublishInput } from "./publish.js";
import { PUBLISH_SHARE_FLAGS, planGrants } from "./sharing.js";
import type { CommandContext } from "../targets/context.js";
import { selectProviders, splitList } from "../targets/resolve.js";
import { bucketsFor } from "./staging.js";

/** What a publish of one or more zips returns: `archive` when one zip was built, `archives` when several. */
export interface MultiPublishDocument extends Omit<PublishDocument, "archive"> {
  archive?: ArchiveSummary;
  archives?: ArchiveSummary[];
}

/** Checks and packs one zip for some targets: the publish command's core, passed in (it is the command that calls us). */
export type PrepareOne = (input: PublishInput, ctx: CommandContext) => Promise<PreparedPublish>;

/** One or more zips checked and packed, not yet published (see PreparedPublish). */
export interface PreparedMulti {
  run(): Promise<MultiPublishDocument>;
  dispose(): Promise<void>;
}

/** Every group is checked and packed before the first publishes; then they run in turn. */
export async function prepareByPrefix(input: PublishInput, ctx: CommandContext, prepare: PrepareOne): Promise<PreparedMulti> {
  const entries = splitList(input.prefix === undefined ? [] : [input.prefix]);
  if (!hasProviderEntries(entries)) return prepare(input, ctx);

  // Every provider's runtimes are checked before the first group publishes anything.
  const runtimes = splitList(input.runtime);
  for (const p of selectProviders(input.provider)) p.resolveRuntimes(valuesFor(p.name, runtimes));
  const groups = new Map<string, string[]>();
  for (const p of selectProviders(input.provider)) {
    const prefix = valueFor(p.name, entries) ?? "";
    groups.set(prefix, [...(groups.get(prefix) ?? []), p.name]);
  }
  if (groups.size > 1 && input.out) {
    throw new UsageError("--out keeps one zip, but these per-provider prefixes build several", {
      code: "ConflictingOptions",
      hint: "drop --out, or publish each prefix on its own",
    });
  }
  const regionsFor = (names: string[]) => entriesFor(input.region, names);
  // Sharing is checked over the whole run: a group of clouds that cannot share is skipped, not refused.
  planGrants(
    { public: input.public, account: input.shareAccount, organization: input.shareOrganization },
    selectProviders(input.provider),
    PUBLISH_SHARE_FLAGS,
    !input.shareWhereCan,
  );
  return prepareEach([...groups], ([prefix, names]) =>
    prepare(
      {
        ...input,
        provider: names,
        region: regionsFor(names),
        buckets: input.buckets && bucketsFor(input.buckets, names),
        prefix: prefix === "" ? undefined : prefix,
        shareWhereCan: true,
      },
      ctx,
    ),
  );
}

/**
 * Prepares each part in turn, all of them before any publishes (disposing of those prepared when
 * one fails); run() then publishes them in order and merges their documents.
 */
export async function prepareEach<T>(parts: T[], prepareOne: (part: T) => Promise<PreparedMulti>): Promise<PreparedMulti> {
  const prepared: PreparedMulti[] = [];
  const dispose = async () => {
    for (const p of prepared) await p.dispose();
  };
  try {
    for (const part of parts) prepared.push(await prepareOne(part));
  } catch (err) {
    await dispose();
    throw err;
  }
  return {
    async run() {
      const docs: MultiPublishDocument[] = [];
      for (const p of prepared) docs.push(await p.run());
      return mergeDocuments(docs);
    },
    dispose,
  };
}

/** Region entries for some providers: others' entries would be refused as unused by a publish to these. */
export function entriesFor(list: string[] | undefined, names: string[]): string[] {
  return splitList(list).filter((r) => {
    const q = parseQualified(r);
    return !q?.provider || names.includes(q.provider);
  });
}

export function mergeDocuments(docs: MultiPublishDocument[]): MultiPublishDocument {
  const archives = docs.flatMap((d) => d.archives ?? (d.archive ? [d.archive] : []));
  const attachments = docs.flatMap((d) => d.attachments ?? []);
  const plannedAttachments = docs.flatMap((d) => d.plannedAttachments ?? []);
  // --align-version: one number when every publish aligned at the same one (per-provider prefixes
  // build several zips, each aligned on its own; several layers each have their own).
  const aligned = [...new Set(docs.map((d) => d.alignedVersion))];
  const shares = docs.flatMap((d) => d.shares ?? []);
  return {
    ...(aligned.length === 1 && aligned[0] !== undefined ? { alignedVersion: aligned[0] } : {}),
    ...(archives.length === 1 ? { archive: archives[0] } : { archives }),
    results: docs.flatMap((d) => d.results),
    ...(docs.some((d) => d.attachments) ? { attachments } : {}),
    ...(docs.some((d) => d.plannedAttachments) ? { plannedAttachments } : {}),
    ...(docs.some((d) => d.shares) ? { shares } : {}),
  };
}
