// A secret never reaches the output in any encoding, --debug included: S3 (and OSS) answer a bad
// signature by echoing what they signed, the session token among it, as text, and as bytes in
// space-separated hex (CanonicalRequestBytes). As a process, with the real SDK and the emulator.
import { randomBytes } from "node:crypto";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorEnv, start, type RunningEmulator } from "../../src/emulator/index.js";
import { tempDir } from "../helpers/archive.js";
import { runCli } from "../helpers/cli.js";

let emu: RunningEmulator;
let dir: string;

beforeAll(async () => {
  emu = await start({ port: 0, buckets: [{ provider: "aws", name: "leak-layers", region: "us-east-1" }] });
  dir = await tempDir("layerctl-leak-");
  await mkdir(path.join(dir, "python"), { recursive: true });
  await writeFile(path.join(dir, "python/mod.py"), "x = 1\n");
});
afterAll(async () => {
  await emu?.close();
});

/** Each spelling of `secret` that would be a leak (a long enough piece of it, in any case). */
function spellingsOf(secret: string): Record<string, string> {
  const b = Buffer.from(secret);
  const spaced = [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");
  return {
    raw: secret.slice(0, 24),
    "URL-encoded": encodeURIComponent(secret).slice(0, 30),
    hex: b.toString("hex").slice(0, 48),
    "space-separated hex": spaced.slice(0, 72),
    base64: b.toString("base64").slice(4, 40),
  };
}

describe("--debug after a signature error that echoes the signed request", () => {
  it("masks the session token and the secret in every encoding", async () => {
    // Temporary keys from the emulator's STS (it checks tokens), used with a wrong secret: S3 knows
    // the token, and the signature made with the wrong secret does not match.
    const sts = new STSClient({
      region: "us-east-1",
      endpoint: emu.url,
      credentials: { accessKeyId: emu.credentials.aws.accessKeyId, secretAccessKey: emu.credentials.aws.secretAccessKey },
    });
    const keys = (await sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/release", RoleSessionName: "leak" }))).Credentials!;
    sts.destroy();
    const token = keys.SessionToken!;
    const secret = `wrong/${randomBytes(24).toString("base64")}`;
    const r = await runCli(
      ["publish", dir, "-n", "leaky", "-p", "aws", "--runtime", "python3.12", "--upload", "storage", "--bucket", "leak-layers", "--debug", "--output", "json"],
      {
        env: { ...emulatorEnv(emu.credentials, emu.url), AWS_ACCESS_KEY_ID: keys.AccessKeyId!, AWS_SESSION_TOKEN: token, AWS_SECRET_ACCESS_KEY: secret },
      },
    );
    expect(r.code).toBe(1);
    // The echo is there (so the test can fail)...
    expect(r.stderr).toContain("SignatureDoesNotMatch");
    expect(r.stderr).toContain("CanonicalRequestBytes");
    expect(r.stderr).toContain("****");
    // ...and neither secret is, in any spelling.
    const out = (r.stdout + r.stderr).toLowerCase();
    for (const [what, value] of [...Object.entries(spellingsOf(token)), ...Object.entries(spellingsOf(secret)), ...Object.entries(spellingsOf(keys.SecretAccessKey!))]) {
      expect({ what, leaked: out.includes(value.toLowerCase()) }).toEqual({ what, leaked: false });
    }
  });
});
