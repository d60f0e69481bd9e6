// A storage endpoint override (LAYERCTL_STORAGE_ENDPOINT_*) for the SDKs that want its parts
// (COS, OSS): S3 takes the URL as given.
import { UsageError } from "../errors.js";
import type { ProviderName } from "./names.js";

/** The endpoint as a URL, or the usage error that says how to give one. */
export function storageEndpointUrl(endpoint: string, service: string, provider: ProviderName): URL {
  try {
    return new URL(endpoint);
  } catch {
    throw new UsageError(`invalid ${service} endpoint "${endpoint}"`, { code: "InvalidEndpoint", provider, hint: "give a full URL such as http://127.0.0.1:9000" });
  }
}
