// What the three clouds' STS exchanges share: where to send them (each cloud's override variable,
// a full http(s)://host:port URL), how long one may take and how often it is tried, the session
// name, and the role-to-assume options every provider reads the same way.
import { readFile } from "node:fs/promises";
import { UsageError } from "../errors.js";
import { registerSecret } from "../output/redact.js";
import type { ProviderName } from "./names.js";
import { endpointUrl } from "./endpoint.js";
import { defaultRetryPolicy } from "./retry.js";
import type { RetryPolicy } from "./types.js";

/** One exchange's HTTP timeout: STS answers in well under a second; a hung one must not hold a release. */
export const STS_TIMEOUT_MS = 30_000;

/** An exchange is a read for retry purposes (an extra session harms nothing): the default policy. */
export const STS_RETRY: RetryPolicy = { ...defaultRetryPolicy };

/** The STS endpoint override from `variable`, checked: a plain http(s)://host[:port] URL. */
export function stsEndpoint(env: NodeJS.ProcessEnv, variable: string, provider: ProviderName): URL | undefined {
  const value = env[variable]?.trim();
  if (!value) return undefined;
  return endpointUrl(value, variable, provider);
}

/** A role session name: the given one, else `layerctl-<unix seconds>` (every cloud takes [\w+=,.@-], 2-64). */
export function sessionName(given: string | undefined, now = Date.now()): string {
  return given?.trim() || `layerctl-${Math.floor(now / 1000)}`;
}

/** An OIDC token file's contents, registered as a secret before anything else is done with it. */
export async function readOidcToken(file: string, variable: string, provider: ProviderName): Promise<string> {
  let token: string;
  try {
    token = (await readFile(file, "utf8")).trim();
  } catch (err) {
    throw new UsageError(`cannot read the OIDC token file ${file} (${variable}): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      code: "CredentialsFileUnreadable",
      provider,
      hint: "check the path; in CI, the step that writes the token must run first",
    });
  }
  registerSecret(token);
  if (!token) throw new UsageError(`the OIDC token file ${file} (${variable}) is empty`, { code: "CredentialsFileUnreadable", provider });
  return token;
}
