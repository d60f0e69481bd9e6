// Every answer is checked for the fields layerctl relies on before anything is decided from it:
// a 2xx answer that lacks them (an empty body, a JSON without the operation's list, a body cut
// short by a proxy, a gateway or a broken connection) is an *unreadable answer*, never "empty".
// Each adapter keeps one table of schemas, one per operation (./<cloud>/answers.ts), and applies
// it in one place: its call wrapper, inside the retried attempt. So a read whose answer cannot be
// read is retried within the target's budget and then fails; a creating call's is ambiguous (the
// cloud may have acted), which is what the lookups after an unknown outcome are for.
import type { z } from "zod";
import { CloudError } from "../errors.js";
import type { ProviderName } from "./names.js";

/** One table per adapter: the schema of each operation's answer (the fields relied on, loose otherwise). */
export type AnswerSchemas<A extends string> = Record<A, z.ZodType>;

/** The layer reads and the delete, which every cloud's API names alike. */
export type LayerAction = "GetLayerVersion" | "ListLayerVersions" | "ListLayers" | "DeleteLayerVersion";

export const UNREADABLE_HINT = "a proxy, a gateway or a broken connection left the answer incomplete; the call may have been carried out";

/** An answer that arrived with a success status but does not hold what the operation answers. */
export function unreadableAnswer(provider: ProviderName, action: string, what: string, requestId?: string | null): CloudError {
  return new CloudError(`${action}: the answer could not be read (${what})`, {
    code: "InvalidResponse",
    provider,
    requestId: requestId ?? undefined,
    retryable: true,
    hint: UNREADABLE_HINT,
  });
}

/** `answer` itself (the SDK's object, untouched) when it has every field the schema names; else an unreadable answer. */
export function checkAnswer<T>(schema: z.ZodType, answer: T, where: { provider: ProviderName; action: string; requestId?: string }): T {
  const parsed = schema.safeParse(answer);
  if (parsed.success) return answer;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map(String).join(".");
  const missing = issue.code === "invalid_type" && /received undefined/.test(issue.message);
  const what = `${path || "the body"} ${missing ? "is missing" : `is not as documented: ${issue.message}`}`;
  throw unreadableAnswer(where.provider, where.action, what, where.requestId);
}
