// A storage endpoint override (LAYERCTL_STORAGE_ENDPOINT_*) for the SDKs that want its parts
// (COS, OSS): S3 takes the URL as given.
import { endpointUrl } from "./endpoint.js";
import type { ProviderName } from "./names.js";

/** The endpoint as a URL, or the usage error that says how to give one. */
export function storageEndpointUrl(endpoint: string, service: string, provider: ProviderName): URL {
  return endpointUrl(endpoint, `the ${service} endpoint`, provider);
}
