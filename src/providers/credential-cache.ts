// The keys one credential source gives, shared by every target of a run (one STS exchange for 30
// regions, not 30). Fixed keys (variables, profile files) are handed out as they are; keys from an
// exchange (STS AssumeRole, an OIDC token, the AWS chain) are fetched again shortly before they
// expire, and at once when a cloud says they already have (a revoked session, a clock ahead).
// What cannot be refreshed fails with one error naming where the keys came from and how to get
// new ones: no call is sent with keys known to be dead, and nothing is retried in a loop.
//
// Every secret is registered with redact() the moment it is known, before anything can print it.
import { CloudError, LayerctlError } from "../errors.js";
import { registerSecret } from "../output/redact.js";
import type { ProviderName } from "./names.js";

export interface CloudKeys {
  keyId: string;
  secret: string;
  /** The session token of temporary keys. */
  token?: string;
  /** Epoch ms when they stop working; undefined: not known to expire. */
  expiresAt?: number;
}

export interface CredentialCacheOptions {
  provider: ProviderName;
  /** Where the keys come from, for messages ("environment (TENCENTCLOUD_SECRET_ID)", "OIDC role ..."). Never a secret. */
  source: string;
  /** Keys known now (variables, a profile file, or the first exchange's). */
  keys?: CloudKeys;
  /** Gets fresh keys (an STS exchange, the AWS chain): the source can refresh. */
  fetch?: () => Promise<CloudKeys>;
  /** How to get new keys when these cannot be refreshed ("export new TENCENTCLOUD_* values"). */
  renewHint: string;
}

/** Fetch again when this little time is left: an upload started now must not outlive its keys. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** Secrets live in #private fields: printing, inspecting or serialising the cache shows none of them. */
export class CredentialCache {
  readonly provider: ProviderName;
  readonly source: string;
  readonly #fetcher?: () => Promise<CloudKeys>;
  #renewHint: string;
  #current?: CloudKeys;
  #pending?: Promise<CloudKeys>;
  /** A failure that ends this source for the run (refresh failed, keys expired for good). */
  #dead?: LayerctlError;
  #seen = new Set<string>();
  /** Bumped on every new set of keys: tells a call whether someone refreshed since it started. */
  generation = 0;

  constructor(opts: CredentialCacheOptions) {
    this.provider = opts.provider;
    this.source = opts.source;
    this.#fetcher = opts.fetch;
    this.#renewHint = opts.renewHint;
    if (opts.keys) this.accept(opts.keys);
  }

  /** The keys in use now (undefined until the first fetch). */
  peek(): CloudKeys | undefined {
    return this.#current;
  }

  /** Keys that work for a while yet: fetched (once, for every caller at the same time) when needed. */
  async get(now = Date.now()): Promise<CloudKeys> {
    if (this.#dead) throw this.#dead;
    const k = this.#current;
    if (k && (k.expiresAt === undefined || k.expiresAt - now > REFRESH_MARGIN_MS)) return k;
    if (k && !this.#fetcher) {
      // Fixed keys with a known end: usable up to it, then one clear error (no call is sent).
      if (k.expiresAt! > now) return k;
      throw this.die(undefined, "expired");
    }
    if (!this.#fetcher) throw new Error(`credentials from ${this.source} have no keys and no way to get them`);
    this.#pending ??= this.#fetcher().then(
      (fresh) => {
        this.#pending = undefined;
        this.accept(fresh);
        return fresh;
      },
      (err: unknown) => {
        this.#pending = undefined;
        // A refresh that failed (after its own retries) ends the source for the run: every target
        // reports it, none asks STS again. The first exchange's failure is the run's one error.
        if (this.generation > 0) throw this.die(err, "not renewed");
        throw err instanceof CloudError ? err.with({ message: `could not get credentials from ${this.source}: ${err.message}` }) : err;
      },
    );
    return this.#pending;
  }

  /**
   * The cloud said the token of the keys a call used has expired (`generation` as it was when the
   * call started). True: fresh keys are (or will be) there, send the call once more. False: these
   * keys cannot be replaced; expiredError() says so.
   */
  expired(generation: number): boolean {
    if (this.#dead) return false;
    if (generation !== this.generation) return true;
    // Only a source that fetches keys with an end (an exchange) can get new ones; a fixed or
    // open-ended key would come back the same.
    if (!this.#fetcher || this.#current?.expiresAt === undefined) return false;
    this.#current = undefined;
    return true;
  }

  /** The one error for keys that stopped working and cannot be replaced: names the source, never retried. */
  expiredError(cause: unknown): LayerctlError {
    return this.#dead ?? this.die(cause, "refused");
  }

  /** Every secret these credentials have held, for the adapters' own scrubbing of SDK messages. */
  knownSecrets(): string[] {
    return [...this.#seen];
  }

  private accept(keys: CloudKeys): void {
    for (const s of [keys.secret, keys.token]) {
      if (!s) continue;
      registerSecret(s);
      this.#seen.add(s);
    }
    this.#current = keys;
    this.generation++;
  }

  private die(cause: unknown, what: "expired" | "refused" | "not renewed"): LayerctlError {
    const why = cause instanceof Error ? `: ${cause.message}` : "";
    const refused = this.#fetcher
      ? "were refused by the cloud (their token is wrong or has expired), even renewed"
      : "were refused by the cloud (their token is wrong or has expired) and cannot be renewed from there";
    const message = `the credentials from ${this.source} ${what === "expired" ? "have expired" : what === "refused" ? refused : "could not be renewed"}${why}`;
    this.#dead =
      cause instanceof LayerctlError
        ? cause.with({ message, hint: this.#renewHint, retryable: false })
        : new CloudError(message, { code: "ExpiredToken", provider: this.provider, hint: this.#renewHint, retryable: false, cause });
    return this.#dead;
  }
}

/**
 * One cloud call under these credentials: when the cloud says their token expired, a source that
 * can get new keys does, and the call is sent once more (nothing was done: the call was refused
 * at authentication, so even a creating call may be repeated); one that cannot fails with the one
 * error naming it.
 */
export async function withFreshKeys<T>(cache: CredentialCache, isExpired: (err: unknown, keys: CloudKeys) => boolean, run: (keys: CloudKeys) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const keys = await cache.get();
    const generation = cache.generation;
    try {
      return await run(keys);
    } catch (err) {
      if (!isExpired(err, keys)) throw err;
      if (attempt === 0 && cache.expired(generation)) continue;
      throw cache.expiredError(err);
    }
  }
}
