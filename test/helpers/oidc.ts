// OIDC tokens as a CI's identity provider issues them (GitHub Actions' claims), unsigned: the
// emulator reads the claims, it cannot check an IdP's signature (no IdP keys exist offline).
import { randomBytes } from "node:crypto";

export function oidcToken(opts: { sub?: string; aud?: string; expiresIn?: number } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const claims = {
    iss: "https://token.actions.githubusercontent.com",
    sub: opts.sub ?? "repo:example/layers:ref:refs/tags/v1.0.0",
    aud: opts.aud ?? "sts.amazonaws.com",
    iat: now,
    exp: now + (opts.expiresIn ?? 600),
    // Unique per token, as a real one's jti is: a leak test can look for this very token.
    jti: randomBytes(12).toString("hex"),
  };
  return `${part({ alg: "RS256", typ: "JWT", kid: "test" })}.${part(claims)}.${randomBytes(64).toString("base64url")}`;
}

/**
 * Tencent Cloud STS AssumeRoleWithWebIdentity as the GitHub OIDC action posts it (plain JSON,
 * `Authorization: SKIP`), to `url`; its `Response`.
 */
export async function tencentWebIdentity(url: string, body: Record<string, unknown>, region = "ap-guangzhou"): Promise<Record<string, any>> {
  const res = await fetch(url + "/", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-tc-action": "AssumeRoleWithWebIdentity",
      "x-tc-version": "2018-08-13",
      "x-tc-region": region,
      "x-tc-timestamp": String(Math.floor(Date.now() / 1000)),
      authorization: "SKIP",
    },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { Response: Record<string, any> }).Response;
}
