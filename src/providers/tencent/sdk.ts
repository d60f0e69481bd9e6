// The only place that touches the SDK module, and only through a dynamic import, so that loading
// the provider table (e.g. for `layerctl --help`) never pays for it.
import http from "node:http";
import https from "node:https";
import type { scf as ScfNamespace } from "tencentcloud-sdk-nodejs-scf";
import { endpointUrl } from "../endpoint.js";
import type { ConnectOptions } from "../types.js";
import type { TencentCredentials } from "./credentials.js";

export type ScfClient = InstanceType<typeof ScfNamespace.v20180416.Client>;

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export async function createScfClient(opts: ConnectOptions, credentials: TencentCredentials): Promise<ScfClient> {
  const mod = (await import("tencentcloud-sdk-nodejs-scf")) as { scf?: typeof ScfNamespace; default?: { scf: typeof ScfNamespace } };
  const scf = mod.scf ?? mod.default!.scf;
  return new scf.v20180416.Client(clientConfig(opts, credentials));
}

/** What every Tencent SDK client (SCF's, the common one) is built with: our keys, region and HTTP profile. */
export function clientConfig(opts: ConnectOptions, credentials: TencentCredentials) {
  return {
    // Asked for every request: the keys of the moment (renewed ones after a refresh).
    credential: {
      async getCredential() {
        const k = await credentials.keys.get();
        return { secretId: k.keyId, secretKey: k.secret, token: k.token };
      },
    },
    region: opts.region,
    profile: { httpProfile: httpProfile(opts) },
  };
}

interface HttpProfile {
  endpoint?: string;
  protocol?: string;
  /** Seconds (the SDK multiplies by 1000 for node-fetch); fractions are fine. */
  reqTimeout: number;
  agent?: http.Agent;
}

export function httpProfile(opts: Pick<ConnectOptions, "endpoint" | "requestTimeoutMs">): HttpProfile {
  // The SDK never times out on its own terms shorter than 60 s: always pass ours.
  const profile: HttpProfile = { reqTimeout: opts.requestTimeoutMs / 1000 };
  if (!opts.endpoint) return profile;
  // The API lives at the root of an http(s) host.
  const url = endpointUrl(opts.endpoint, "the Tencent endpoint");
  // The SDK signs for the service named by the host's first DNS label and sends to
  // protocol + endpoint + "/".
  profile.endpoint = url.host;
  profile.protocol = `${url.protocol}//`;
  // The SDK routes every request through $http_proxy when set; a local endpoint must stay local.
  if (LOOPBACK.test(url.hostname)) profile.agent = url.protocol === "http:" ? new http.Agent() : new https.Agent();
  return profile;
}
