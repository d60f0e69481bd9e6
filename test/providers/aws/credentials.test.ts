// Credential lookup. The SDK's chain reads some process-wide variables itself (instance metadata,
// container credentials): they are cleared here so it can never leave this machine, and profile
// files point at temp files.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CloudError, UsageError } from "../../../src/errors.js";
import { redact } from "../../../src/output/redact.js";
import { awsProvider } from "../../../src/providers/aws/index.js";
import { awsIdentity, type AwsCredentials } from "../../../src/providers/aws/credentials.js";
import { archiveOf, connectOptions, rejection, startEmulator } from "./helpers.js";

const CLEARED = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_EC2_METADATA_DISABLED",
  // An STS endpoint from the environment, or an instruction to ignore the one in the config file,
  // would send the role tests' AssumeRole off this machine.
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_STS",
  "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
];
const saved: Record<string, string | undefined> = {};
let dir: string;
let emptyConfig: string;
let emptyCredentials: string;
let credentialsFile: string;

beforeAll(async () => {
  for (const k of CLEARED) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  dir = await mkdtemp(path.join(tmpdir(), "layerctl-aws-creds-"));
  emptyConfig = path.join(dir, "config");
  emptyCredentials = path.join(dir, "credentials");
  credentialsFile = path.join(dir, "credentials-ci");
  await writeFile(emptyConfig, "");
  await writeFile(emptyCredentials, "");
  await writeFile(credentialsFile, "[ci]\naws_access_key_id = AKIAPROFILEKEY000000\naws_secret_access_key = profile-secret-value\n");
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  process.env.AWS_CONFIG_FILE = emptyConfig;
  process.env.AWS_SHARED_CREDENTIALS_FILE = emptyCredentials;
});

afterAll(async () => {
  for (const k of CLEARED) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await rm(dir, { recursive: true, force: true });
});

function files(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { AWS_CONFIG_FILE: emptyConfig, AWS_SHARED_CREDENTIALS_FILE: emptyCredentials, ...extra };
}

describe("from the environment given", () => {
  test("access key, secret and session token", async () => {
    const c = (await awsProvider.resolveCredentials(
      { AWS_ACCESS_KEY_ID: "AKIAENVKEY0000000000", AWS_SECRET_ACCESS_KEY: "env-secret-value", AWS_SESSION_TOKEN: "env-session-token" },
      {},
    )) as AwsCredentials;
    expect(c.source).toBe("environment (AWS_ACCESS_KEY_ID, AWS_SESSION_TOKEN)");
    expect(await awsIdentity(c)()).toEqual({ accessKeyId: "AKIAENVKEY0000000000", secretAccessKey: "env-secret-value", sessionToken: "env-session-token", expiration: undefined });
    expect(JSON.stringify({ source: c.source })).not.toContain("env-secret-value");
    expect(redact("secret env-secret-value token env-session-token")).toBe("secret **** token ****");
  });

  test("half a key pair is a UsageError naming the missing variable", async () => {
    const err = await rejection(awsProvider.resolveCredentials({ AWS_ACCESS_KEY_ID: "AKIAENVKEY0000000000" }, {}));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.code).toBe("MissingCredentials");
    expect(err.message).toContain("AWS_SECRET_ACCESS_KEY");
  });
});

describe("the default chain", () => {
  test("nothing anywhere is a UsageError naming the variables, quickly and without network", async () => {
    const started = Date.now();
    const err = await rejection(awsProvider.resolveCredentials(files(), {}));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.exitCode).toBe(2);
    expect(err.code).toBe("MissingCredentials");
    expect(err.message).toBe("no AWS credentials found");
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"]) expect(err.hint).toContain(name);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test("the environment given decides whether instance metadata may be asked, not process.env", async () => {
    // A stand-in metadata service on loopback counts the requests that reach it.
    let hits = 0;
    const imds = http.createServer((_req, res) => {
      hits++;
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => imds.listen(0, "127.0.0.1", () => r()));
    const endpoint = `http://127.0.0.1:${(imds.address() as AddressInfo).port}`;
    const before = { ...process.env };
    delete process.env.AWS_EC2_METADATA_DISABLED;
    try {
      const disabled = await rejection(awsProvider.resolveCredentials(files({ AWS_EC2_METADATA_DISABLED: "true", AWS_EC2_METADATA_SERVICE_ENDPOINT: endpoint }), {}));
      expect(disabled).toBeInstanceOf(UsageError);
      expect(hits).toBe(0);
      // Control: without the switch the chain does ask (here, our loopback stand-in).
      const asked = await rejection(awsProvider.resolveCredentials(files({ AWS_EC2_METADATA_SERVICE_ENDPOINT: endpoint }), {}));
      expect(asked).toBeInstanceOf(UsageError);
      expect(hits).toBeGreaterThan(0);
      // process.env is as it was.
      expect(process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT).toBeUndefined();
      expect(process.env.AWS_CONFIG_FILE).toBe(before.AWS_CONFIG_FILE);
    } finally {
      process.env.AWS_EC2_METADATA_DISABLED = "true";
      await new Promise<void>((r) => imds.close(() => r()));
    }
  });

  test("a profile from the credentials file (--profile, or AWS_PROFILE in the env)", async () => {
    for (const [env, opts] of [
      [files({ AWS_SHARED_CREDENTIALS_FILE: credentialsFile }), { profile: "ci" }],
      [files({ AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_PROFILE: "ci" }), {}],
    ] as const) {
      const c = (await awsProvider.resolveCredentials(env, opts)) as AwsCredentials;
      expect(c.source).toBe("profile ci: keys in the shared files");
      const id = await awsIdentity(c)();
      expect(id.accessKeyId).toBe("AKIAPROFILEKEY000000");
      expect(id.secretAccessKey).toBe("profile-secret-value");
    }
    // A secret learned from a file is masked in output from then on.
    expect(redact("x profile-secret-value y")).toBe("x **** y");
  });

  test("--profile wins over keys in the environment", async () => {
    const c = (await awsProvider.resolveCredentials(
      files({ AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_ACCESS_KEY_ID: "AKIAENVKEY0000000000", AWS_SECRET_ACCESS_KEY: "env-secret-value" }),
      { profile: "ci" },
    )) as AwsCredentials;
    expect(c.source).toBe("profile ci: keys in the shared files");
  });

  test("an unknown profile is a UsageError naming it", async () => {
    const err = await rejection(awsProvider.resolveCredentials(files({ AWS_SHARED_CREDENTIALS_FILE: credentialsFile }), { profile: "nope" }));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe('no AWS credentials for profile "nope"');
  });

  test("profile credentials reach the emulator through the client", async () => {
    const emu = await startEmulator();
    try {
      const file = path.join(dir, "credentials-emu");
      await writeFile(file, `[emu]\naws_access_key_id = ${emu.credentials.aws.accessKeyId}\naws_secret_access_key = ${emu.credentials.aws.secretAccessKey}\n`);
      const credentials = await awsProvider.resolveCredentials(files({ AWS_SHARED_CREDENTIALS_FILE: file }), { profile: "emu" });
      const client = await awsProvider.connect({ ...(await connectOptions(emu)), credentials });
      const rec = await client.publishLayer(
        { layerName: "via-profile", archive: archiveOf({ "python/a.py": "1" }), runtimes: ["python3.12"], architectures: [] },
        {
          wait: true,
          waitTimeoutMs: 1000,
          pollIntervalMs: 10,
        },
      );
      expect(rec.version).toBe(1);
    } finally {
      await emu.close();
    }
  });
});

describe("a role profile whose STS cannot be used", () => {
  /** A config file with a role profile that assumes its role through STS at `stsUrl` (loopback). */
  async function roleConfig(stsUrl: string): Promise<string> {
    const file = path.join(dir, `config-role-${Date.now()}-${Math.random().toString(16).slice(2)}`);
    await writeFile(
      file,
      [
        // endpoint_url is read from the profile the SDK considers current: set it on both.
        "[default]",
        `endpoint_url = ${stsUrl}`,
        "region = us-east-1",
        "[profile deploy]",
        "role_arn = arn:aws:iam::123456789012:role/deploy",
        "source_profile = base",
        "region = us-east-1",
        `endpoint_url = ${stsUrl}`,
        "[profile base]",
        "aws_access_key_id = AKIABASEKEY000000000",
        "aws_secret_access_key = base-secret-value",
        "",
      ].join("\n"),
    );
    return file;
  }

  test("STS unreachable (connection refused) is a CloudError, exit 1, not a usage error", async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const config = await roleConfig(`http://127.0.0.1:${port}`);
    const err = await rejection(awsProvider.resolveCredentials(files({ AWS_CONFIG_FILE: config, AWS_EC2_METADATA_DISABLED: "true" }), { profile: "deploy" }));
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({ code: "CredentialsUnavailable", provider: "aws", exitCode: 1 });
    expect(err.message).toContain('profile "deploy"');
    expect(err.message).toContain("ECONNREFUSED");
  });

  test("control: the AssumeRole call goes to the loopback STS of the profile, and its own error keeps STS's code", async () => {
    let hits = 0;
    const sts = http.createServer((req, res) => {
      hits++;
      req.resume();
      req.on("end", () => {
        res.writeHead(403, { "content-type": "text/xml", "x-amzn-requestid": "sts-rid-1" });
        res.end(
          "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed to assume deploy</Message></Error><RequestId>sts-rid-1</RequestId></ErrorResponse>",
        );
      });
    });
    await new Promise<void>((r) => sts.listen(0, "127.0.0.1", () => r()));
    try {
      const config = await roleConfig(`http://127.0.0.1:${(sts.address() as AddressInfo).port}`);
      const err = await rejection(awsProvider.resolveCredentials(files({ AWS_CONFIG_FILE: config, AWS_EC2_METADATA_DISABLED: "true" }), { profile: "deploy" }));
      expect(hits).toBeGreaterThan(0);
      expect(err).toBeInstanceOf(CloudError);
      expect(err).toMatchObject({ code: "AccessDenied", requestId: "sts-rid-1", httpStatus: 403, exitCode: 1 });
    } finally {
      await new Promise<void>((r) => sts.close(() => r()));
    }
  });

  test("a role profile without its source profile is still a usage error", async () => {
    const file = path.join(dir, "config-orphan-role");
    await writeFile(file, "[profile orphan]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = missing\n");
    const err = await rejection(awsProvider.resolveCredentials(files({ AWS_CONFIG_FILE: file, AWS_EC2_METADATA_DISABLED: "true" }), { profile: "orphan" }));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.code).toBe("MissingCredentials");
  });
});

describe("the profile's region, a role on top, and keys with an end", () => {
  test("with no region given, the region of the profile in effect ([profile NAME], else [default])", async () => {
    const config = path.join(dir, "config-regions");
    await writeFile(config, "[default]\nregion = eu-central-1\n[profile eu]\nregion = eu-west-1\n[profile none]\noutput = json\n");
    const env = files({ AWS_CONFIG_FILE: config });
    expect(await awsProvider.profileRegion!(env, { profile: "eu" })).toBe("eu-west-1");
    expect(await awsProvider.profileRegion!({ ...env, AWS_PROFILE: "eu" }, {})).toBe("eu-west-1");
    expect(await awsProvider.profileRegion!(env, {})).toBe("eu-central-1");
    expect(await awsProvider.profileRegion!(env, { profile: "none" })).toBeUndefined();
    // The credentials file holds a region too, read after the config file.
    const creds = path.join(dir, "credentials-region");
    await writeFile(creds, "[ci]\naws_access_key_id = AKIAX\naws_secret_access_key = y\nregion = ap-south-1\n");
    expect(await awsProvider.profileRegion!(files({ AWS_SHARED_CREDENTIALS_FILE: creds }), { profile: "ci" })).toBe("ap-south-1");
  });

  test("--role-arn assumes the role with the profile's keys (STS through AWS_ENDPOINT_URL_STS), in the role's account", async () => {
    const emu = await startEmulator();
    try {
      const file = path.join(dir, "credentials-emu-role");
      await writeFile(file, `[emu]\naws_access_key_id = ${emu.credentials.aws.accessKeyId}\naws_secret_access_key = ${emu.credentials.aws.secretAccessKey}\n`);
      const c = (await awsProvider.resolveCredentials(files({ AWS_SHARED_CREDENTIALS_FILE: file, AWS_ENDPOINT_URL_STS: emu.url }), {
        profile: "emu",
        roleArn: "arn:aws:iam::210987654321:role/release",
      })) as AwsCredentials;
      expect(c.source).toBe("role arn:aws:iam::210987654321:role/release (STS AssumeRole with profile emu: keys in the shared files)");
      expect((await c.keys.get()).keyId).toMatch(/^ASIA/);
      const client = await awsProvider.connect({ ...(await connectOptions(emu)), credentials: c });
      await expect(client.listLayers()).resolves.toBeInstanceOf(Array);
      // A role ARN that is not one is refused before anything is sent.
      expect(await rejection(awsProvider.resolveCredentials(files(), { roleArn: "arn:aws:iam::210987654321:user/u" }))).toMatchObject({ code: "InvalidRoleArn" });
    } finally {
      await emu.close();
    }
  });

  test("keys past AWS_CREDENTIAL_EXPIRATION: one error naming the variables, nothing sent", async () => {
    const c = (await awsProvider.resolveCredentials(
      { AWS_ACCESS_KEY_ID: "AKIAENVKEY0000000000", AWS_SECRET_ACCESS_KEY: "env-secret-value", AWS_SESSION_TOKEN: "tok-value", AWS_CREDENTIAL_EXPIRATION: "2020-01-01T00:00:00Z" },
      {},
    )) as AwsCredentials;
    const err = await rejection(c.keys.get());
    expect(err).toBeInstanceOf(CloudError);
    expect(err.message).toContain("environment (AWS_ACCESS_KEY_ID, AWS_SESSION_TOKEN) have expired");
    expect(err.hint).toContain("AWS_SESSION_TOKEN");
  });
});
