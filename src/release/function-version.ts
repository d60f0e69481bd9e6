// Publishing a function version (attach --publish-version, publish-function) when its answer may be
// lost. No cloud takes an idempotency token, so a repeat after a timeout, reset, 5xx or unreadable
// answer can make a second version: the call is never repeated blindly. The newest version is
// noted before publishing (from a well-formed list only); after an unknown outcome the versions are
// listed again, and the one newer version (with this description, when one was given) is ours.
// None: the call had no effect and is made once more. Several, or a list that cannot be read: a
// version may exist, and the failure says so with a command to check, instead of making another.
import { type CloudError, LayerctlError } from "../errors.js";
import { onInterrupt } from "../interrupt.js";
import type { Logger } from "../output/log.js";
import { findOne } from "../providers/lookup.js";
import type { Budget } from "../providers/budget.js";
import { lookupBudget, outcomeUnknown } from "../providers/retry.js";
import type { FunctionRef, FunctionVersionRecord, Lookup, ProviderClient, ProviderName, PublishFunctionRequest } from "../providers/types.js";

export interface FunctionOnceContext {
  provider: ProviderName;
  region: string;
  /** The target's budget: the lookup runs under one of its own (lookupBudget). */
  budget: Budget;
  log: Logger;
}

export async function publishFunctionOnce(client: ProviderClient, req: PublishFunctionRequest, ctx: FunctionOnceContext): Promise<FunctionVersionRecord> {
  const fn: FunctionRef = { functionName: req.functionName, namespace: req.namespace };
  const check = client.functions.versionsCommand(fn);
  const baseline = await newest(client, fn).catch((err: unknown) => {
    ctx.log.debug(`${ctx.provider} ${ctx.region}: could not read the versions of ${req.functionName} before publishing (${codeOf(err)}); a lost answer cannot be looked for`);
    return undefined;
  });
  // Ctrl-C while it is under way: the version may exist, and the user is told how to check.
  const forget = onInterrupt({
    note: () => `${ctx.provider} ${ctx.region}: a version of function ${req.functionName} may exist (its publish was under way): check with \`${check}\``,
  });
  try {
    return await publishLoop(client, req, ctx, fn, check, baseline);
  } finally {
    forget();
  }
}

async function publishLoop(
  client: ProviderClient,
  req: PublishFunctionRequest,
  ctx: FunctionOnceContext,
  fn: FunctionRef,
  check: string,
  baseline: number | undefined,
): Promise<FunctionVersionRecord> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.publishFunctionVersion(req);
    } catch (err) {
      if (!outcomeUnknown(err)) throw err;
      if (baseline === undefined) throw mayExist(err, `the versions of ${req.functionName} could not be read before publishing`, check);
      let look: Lookup<{ version: string; description: string | null }>;
      try {
        const lookup = client.within(lookupBudget(ctx.budget));
        const newer = (await lookup.functions.listVersions(fn)).filter((v) => Number(v.version) > baseline);
        look = await findOne(
          newer,
          (v) => req.description === undefined || v.description === req.description,
          (v) => `version ${v.version}`,
        );
      } catch (lookErr) {
        throw err.with({ hint: `a function version may exist, and checking for it failed too (${codeOf(lookErr)}): check with \`${check}\` before publishing again` });
      }
      if ("found" in look) {
        ctx.log.warn(
          `${ctx.provider} ${ctx.region}: the answer to publishing a version of ${req.functionName} was lost (${err.code}), but version ${look.found.version} was made by it; reporting it`,
        );
        return {
          provider: ctx.provider,
          region: ctx.region,
          functionName: req.functionName,
          version: look.found.version,
          arn: null,
          description: look.found.description,
          requestId: null,
        };
      }
      if ("undecided" in look) throw mayExist(err, look.undecided, check);
      // Certainly no new version: once more, within the budget.
      if (attempt >= 2 || Date.now() >= ctx.budget.deadline) throw err;
      ctx.log.debug(`${ctx.provider} ${ctx.region}: ${err.code} while publishing a version of ${req.functionName}, and none newer than ${baseline} exists; publishing again`);
    }
  }
}

/** The newest published version's number, 0 when there is none. */
async function newest(client: ProviderClient, fn: FunctionRef): Promise<number> {
  return Math.max(0, ...(await client.functions.listVersions(fn)).map((v) => Number(v.version)).filter(Number.isFinite));
}

function mayExist(err: CloudError, why: string, check: string): CloudError {
  return err.with({ hint: `a function version may exist (${why}): check with \`${check}\` before publishing again` });
}

function codeOf(err: unknown): string {
  return err instanceof LayerctlError ? err.code : err instanceof Error ? err.message : String(err);
}
