// A publish: validate everything, build the zip once, plan, then publish to every target and
// return the records. commands/publish.ts maps flags (and the config file) onto it; a config run
// (./publish-config.ts) prepares every layer before the first one runs.
import type { CommandContext } from "../targets/context.js";
import { openTargets } from "../targets/runner.js";
import { buildPublishArchive } from "./publish-archive.js";
import { runPublish } from "./publish-execute.js";
import type { PreparedPublish, PublishDocument, PublishInput, PublishPreset } from "./publish-input.js";
import { planRun } from "./publish-plan.js";
import { validatePublish } from "./publish-validate.js";

export type { PreparedPublish, PublishDocument, PublishInput, PublishPreset } from "./publish-input.js";

export async function publishCommand(input: PublishInput, ctx: CommandContext, preset?: PublishPreset): Promise<PublishDocument> {
  const prepared = await preparePublish(input, ctx, preset);
  try {
    return await prepared.run();
  } finally {
    await prepared.dispose();
  }
}

export async function preparePublish(input: PublishInput, ctx: CommandContext, preset?: PublishPreset): Promise<PreparedPublish> {
  const checked = await validatePublish(input, ctx.env);
  // Connecting is local (SDK import, client set-up): a mistake found there (e.g. an account id
  // the endpoint needs) is a usage error for the whole run, before anything is packed or sent.
  const run = await openTargets(input, ctx, {
    settings: checked.settings,
    layerName: checked.layerName,
    credentialsOptional: input.dryRun,
    // The embedded emulator starts empty: give it the functions to attach to.
    seedFunctions: checked.attach?.functions.map((name) => ({ name, namespace: input.namespace })),
    embedded: ctx.embedded,
    resolved: preset?.resolved,
    connected: preset?.connected,
    deferNote: true,
  });
  let disposeArchive = async () => {};
  const dispose = async () => {
    await disposeArchive();
    await run.close();
  };
  try {
    for (const line of run.uncredentialed) ctx.log.warn(`dry run: ${line}; input and zip were checked, credentials and the connection set-up were not`);
    const built = await buildPublishArchive(checked, ctx);
    disposeArchive = built.dispose;
    const planned = await planRun(checked, run, built, ctx);
    return { run: () => runPublish(checked, planned, built, ctx, preset?.baselines), dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
