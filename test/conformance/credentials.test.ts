// Where credentials come from, the same scenarios for every provider, through the real SDKs (the
// clouds' STS SDKs included) over real HTTP to the emulator: the variables, a profile in a
// temporary HOME, an OIDC token file exchanged at STS, a role assumed with --role-arn, a dry run
// that exchanges nothing, and keys that expire during a run (renewed where the source can renew
// them, one clear error where it cannot). Provider differences are data (profiles/*.ts).
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CloudError, LayerctlError } from "../../src/errors.js";
import { emulatorEnv, type RunningEmulator } from "../../src/emulator/index.js";
import { debugDetail } from "../../src/output/debug-detail.js";
import { silentLogger } from "../../src/output/log.js";
import { redact } from "../../src/output/redact.js";
import type { CredentialCache } from "../../src/providers/credential-cache.js";
import { providers } from "../../src/providers/index.js";
import type { Provider, ProviderClient, ResolvedCredentials } from "../../src/providers/types.js";
import { makeArchive, tempDirEach } from "../helpers/archive.js";
import { encodingsOf } from "../helpers/secret-encodings.js";
import { oidcToken } from "../helpers/oidc.js";
import { profiles } from "./profiles.js";
import { callsSinceEachTest, useEmulator } from "../helpers/emulator.js";

describe.each(profiles)("credentials: $provider", (profile) => {
  const provider: Provider = providers[profile.provider];
  const c = profile.credentials;
  const [ID, SECRET, TOKEN] = provider.credentialVariables as [string, string, string];
  let emu: RunningEmulator;
  let home: string;

  useEmulator({}, (started) => {
    emu = started;
  });
  const callsOf = callsSinceEachTest(() => emu);
  tempDirEach("layerctl-home-", (dir) => {
    home = dir;
  });

  /** Everything that points at the emulator, and HOME; the keys only when asked for. */
  function env(opts: { keys?: boolean } = {}, extra: Record<string, string> = {}): Record<string, string> {
    const all = emulatorEnv(emu.credentials, emu.url);
    if (!opts.keys) {
      delete all[ID];
      delete all[SECRET];
    }
    return { ...all, HOME: home, ...extra };
  }

  function calls(action: string): number {
    return callsOf(`${profile.provider}:${action}`);
  }

  function connect(credentials: ResolvedCredentials, region = profile.region): Promise<ProviderClient> {
    return provider.connect({ region, endpoint: emu.url, credentials, requestTimeoutMs: 10_000, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, log: silentLogger });
  }

  async function tokenFile(token = oidcToken()): Promise<{ file: string; token: string }> {
    const file = path.join(home, "oidc-token");
    await writeFile(file, token);
    return { file, token };
  }

  /** Temporary keys from the emulator's STS, as a CI step would export them. */
  async function temporaryKeys(): Promise<{ keyId: string; secret: string; token: string }> {
    const creds = await provider.resolveCredentials(env({ keys: true }), { roleArn: c.roleArn });
    const k = await (creds.keys as CredentialCache).get();
    return { keyId: k.keyId, secret: k.secret, token: k.token! };
  }

  it("the variables: the keys as they are, no exchange", async () => {
    const creds = await provider.resolveCredentials(env({ keys: true }), {});
    expect(creds.source).toMatch(/^environment \(/);
    await expect((await connect(creds)).listLayers()).resolves.toBeInstanceOf(Array);
    expect(calls(c.sts.assumeRole) + calls(c.sts.oidc)).toBe(0);
  });

  it("a profile in HOME named with --profile is used, and alone: keys in the variables do not override it", async () => {
    // The profile holds the emulator's keys; the variables hold keys that open nothing.
    const keys = emulatorEnv(emu.credentials, emu.url);
    const fileVars = await c.writeProfile(home, "release", { id: keys[ID]!, secret: keys[SECRET]! });
    const creds = await provider.resolveCredentials(env({}, { ...fileVars, [ID]: "AKIDwrongwrongwrong0000", [SECRET]: "wrong-secret-value" }), { profile: "release" });
    expect(creds.source).toContain("release");
    await expect((await connect(creds)).listLayers()).resolves.toBeInstanceOf(Array);
    // A profile that is not there is a usage error naming it, not a fall back to the variables.
    const err = await provider.resolveCredentials(env({ keys: true }, fileVars), { profile: "nope" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LayerctlError);
    expect((err as LayerctlError).exitCode).toBe(2);
    expect((err as LayerctlError).message).toContain("nope");
  });

  it("an OIDC token file: one STS exchange for the whole run, shared by every target; the token is a secret", async () => {
    const { file, token } = await tokenFile();
    const creds = await provider.resolveCredentials(env({}, c.oidcVariables(file, c.roleArn)), {});
    expect(creds.source).toMatch(/web identity|OIDC/);
    expect(calls(c.sts.oidc)).toBe(1);
    // Three regions, one exchange; the keys work (their token goes along).
    for (const region of [profile.region, profile.storage.otherRegion, profile.region]) await expect((await connect(creds, region)).listLayers()).resolves.toBeInstanceOf(Array);
    expect(calls(c.sts.oidc)).toBe(1);
    expect(redact(`token ${token} end`)).toBe("token **** end");
    expect(creds.source).not.toContain(token);
  });

  it("--role-arn: the resolved keys assume the role (STS AssumeRole, once), and what is made is made in its account", async () => {
    const creds = await provider.resolveCredentials(env({ keys: true }), { roleArn: c.roleArn });
    expect(creds.source).toContain(c.roleArn);
    expect(creds.source).toContain("environment");
    expect(calls(c.sts.assumeRole)).toBe(1);
    const client = await connect(creds);
    const rec = await client.publishLayer(
      { layerName: `role${profile.provider}`, archive: await makeArchive(), runtimes: profile.runtimes.native, architectures: [] },
      { wait: true, waitTimeoutMs: 10_000, pollIntervalMs: 5 },
    );
    expect(rec.status).toBe("published");
    if (profile.arnPattern) expect(rec.arn).toContain(c.roleAccount);
    expect(calls(c.sts.assumeRole)).toBe(1);
  });

  it("a dry run describes the exchange and makes none", async () => {
    const { file } = await tokenFile();
    const creds = await provider.resolveCredentials(env({}, c.oidcVariables(file, c.roleArn)), { offline: true });
    expect(creds.source).toMatch(/not exchanged: dry run/);
    const role = await provider.resolveCredentials(env({ keys: true }), { roleArn: c.roleArn, offline: true });
    expect(role.source).toMatch(/not exchanged: dry run/);
    expect(calls(c.sts.oidc) + calls(c.sts.assumeRole)).toBe(0);
    // What can be checked without a call is: a token file that is not there.
    const missing = await provider.resolveCredentials(env({}, c.oidcVariables(path.join(home, "absent"), c.roleArn)), { offline: true }).catch((e: unknown) => e);
    expect((missing as LayerctlError).code).toBe("CredentialsFileUnreadable");
  });

  it("keys from an exchange that the cloud says have expired are renewed once, and the call goes through", async () => {
    const { file } = await tokenFile();
    const creds = await provider.resolveCredentials(env({}, c.oidcVariables(file, c.roleArn)), {});
    const client = await connect(creds);
    emu.faults.add({ provider: profile.provider, action: "ListLayers", kind: "expire-credentials", times: 1 });
    await expect(client.listLayers()).resolves.toBeInstanceOf(Array);
    expect(calls("ListLayers")).toBe(2);
    expect(calls(c.sts.oidc)).toBe(2);
  });

  it("temporary keys that cannot be renewed (the variables) fail once, naming their source: no retries, no further calls", async () => {
    const k = await temporaryKeys();
    const creds = await provider.resolveCredentials(env({}, { [ID]: k.keyId, [SECRET]: k.secret, [TOKEN]: k.token }), {});
    const client = await connect(creds);
    emu.faults.add({ provider: profile.provider, action: "ListLayers", kind: "expire-credentials", times: 1 });
    const err = (await client.listLayers().catch((e: unknown) => e)) as CloudError;
    expect(err).toBeInstanceOf(CloudError);
    expect(err.code).toBe(c.expiredCode);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("environment");
    expect(err.hint).toContain(ID);
    expect(calls("ListLayers")).toBe(1);
    // Another target of the same run: the same error at once, nothing sent.
    const again = (await (await connect(creds, profile.storage.otherRegion)).listLayers().catch((e: unknown) => e)) as CloudError;
    expect(again.code).toBe(c.expiredCode);
    expect(calls("ListLayers")).toBe(1);
  });

  it("an STS that fails: one error with its code, naming the source; the OIDC token shows in no form", async () => {
    const { file, token } = await tokenFile();
    emu.faults.add({ provider: profile.provider, action: c.sts.oidc, kind: "server-error" });
    const err = (await provider.resolveCredentials(env({}, c.oidcVariables(file, c.roleArn)), {}).catch((e: unknown) => e)) as CloudError;
    expect(err).toBeInstanceOf(CloudError);
    expect(err.exitCode).toBe(1);
    // Tried within a bound, not in a loop.
    expect(calls(c.sts.oidc)).toBeGreaterThanOrEqual(1);
    expect(calls(c.sts.oidc)).toBeLessThanOrEqual(4);
    const shown = `${err.message} ${err.hint ?? ""} ${debugDetail(err)}`;
    for (const form of encodingsOf(token)) expect(shown).not.toContain(form);
  });
});
