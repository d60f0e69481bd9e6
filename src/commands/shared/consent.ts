// Destructive commands (delete, prune) ask once on a terminal and need --yes otherwise: a script
// must say so explicitly, and a person sees what will go before anything goes.
import { UsageError } from "../../errors.js";
import type { CommandContext } from "../../targets/context.js";

/** The context's `confirm` asks on the terminal; it is undefined when stdin is not a terminal. */
export type ConsentContext = CommandContext;

/** Before any call: without --yes there must be a terminal to ask on. */
export function requireConsentPossible(yes: boolean | undefined, ctx: ConsentContext, what: string): void {
  if (yes || ctx.confirm) return;
  throw new UsageError(`${what} needs --yes when stdin is not a terminal`, {
    code: "ConfirmationRequired",
    hint: "add --yes to confirm, or --dry-run to see what would be deleted",
  });
}

/** The one question of the run; a "no" ends it with nothing deleted. */
export async function askOnce(yes: boolean | undefined, ctx: ConsentContext, question: string): Promise<void> {
  if (yes) return;
  if (!ctx.confirm) throw new UsageError("cannot ask for confirmation: stdin is not a terminal", { code: "ConfirmationRequired", hint: "add --yes" });
  if (!(await ctx.confirm(question))) throw new UsageError("not confirmed: nothing was deleted", { code: "NotConfirmed" });
}
