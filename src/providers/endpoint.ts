// Endpoint overrides (--endpoint, --storage-endpoint, the *_ENDPOINT_* variables, an STS override,
// an adapter's own endpoint) are checked here and nowhere else: a plain http(s)://host[:port] URL,
// one trailing "/" at most. A path, query or user info would be dropped or sent by one SDK and not
// another, so each is a usage error, in the same words wherever the endpoint came from.
import { UsageError } from "../errors.js";
import type { ProviderName } from "./names.js";

/** The endpoint as a URL, or the usage error that says, naming where it came from (`from`), how to give one. */
export function endpointUrl(value: string, from: string, provider?: ProviderName): URL {
  const about = provider === undefined ? {} : { provider };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${from} "${value}" is not a URL`, { code: "InvalidEndpoint", ...about, hint: "give a full URL such as http://127.0.0.1:9000" });
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname || (url.pathname !== "/" && url.pathname !== "") || url.search || url.username) {
    throw new UsageError(`${from} "${value}" must be a plain http(s)://host[:port] URL`, {
      code: "InvalidEndpoint",
      ...about,
      hint: "give scheme, host and port only, e.g. https://lambda.us-east-1.amazonaws.com or http://127.0.0.1:9000",
    });
  }
  return url;
}

/** The endpoint as `scheme://host[:port]` (no trailing "/"), what every adapter is given. */
export function parseEndpoint(value: string, from: string): string {
  const url = endpointUrl(value, from);
  return `${url.protocol}//${url.host}`;
}
