// `layerctl emulate` as a rehearsal stage for release scripts that use the AWS CLI: the installed
// `aws` (not a dependency of layerctl) runs against it, reads functions and versions the way its
// waiters do, and `aws lambda wait function-updated` / `published-version-active` see the states
// change (botocore's lambda waiters-2.json: GetFunctionConfiguration, polled every 5 s). The AWS
// CLI is the process under test; the emulator runs as users run it, and in-process where the test
// holds its clock.
import { execFileSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { start, type RunningEmulator } from "../../src/emulator/index.js";
import { baseEnv, runProcess, startEmulatorProcess, type CliResult } from "../helpers/cli.js";

function awsCliInstalled(): boolean {
  try {
    execFileSync("aws", ["--version"], { stdio: "ignore", env: baseEnv() });
    return true;
  } catch {
    return false;
  }
}
const installed = awsCliInstalled();

const started: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

/** One `aws lambda ...` run, pointed at the emulator by the variables it printed (AWS_ENDPOINT_URL_LAMBDA). */
function aws(env: Record<string, string>, args: string[]): Promise<CliResult> {
  return runProcess("aws", ["lambda", ...args, "--output", "json"], { env: { ...env, AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "", AWS_MAX_ATTEMPTS: "1" } });
}

/** The CLI's JSON answer; a run that printed none fails with what it said on stderr. */
function json(r: { code: number | null; stdout: string; stderr: string }): Record<string, any> {
  if (r.code !== 0 || r.stdout.trim() === "") throw new Error(`aws exited ${r.code} without an answer: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, any>;
}

describe.skipIf(!installed)("the AWS CLI against layerctl emulate (skipped where `aws` is not installed)", () => {
  it("reads functions, versions and aliases; its waiters return once updates and versions are done", { timeout: 120_000 }, async () => {
    const { env: emu } = await startEmulatorProcess(["--update-delay", "0", "--function", "aws:api", "--function", "aws:worker"], started);
    const env = { AWS_ACCESS_KEY_ID: emu.AWS_ACCESS_KEY_ID!, AWS_SECRET_ACCESS_KEY: emu.AWS_SECRET_ACCESS_KEY!, AWS_ENDPOINT_URL_LAMBDA: emu.AWS_ENDPOINT_URL_LAMBDA! };

    const update = await aws(env, ["update-function-configuration", "--function-name", "api", "--description", "rehearsal"]);
    expect(update.stderr).toBe("");
    expect(json(update)).toMatchObject({ FunctionName: "api", Description: "rehearsal" });
    const [updated, published] = await Promise.all([aws(env, ["wait", "function-updated", "--function-name", "api"]), aws(env, ["publish-version", "--function-name", "worker"])]);
    expect([updated.code, updated.stderr]).toEqual([0, ""]);
    expect(json(published)).toMatchObject({ Version: "1" });
    const active = await aws(env, ["wait", "published-version-active", "--function-name", "worker", "--qualifier", "1"]);
    expect([active.code, active.stderr]).toEqual([0, ""]);

    expect(json(await aws(env, ["get-function-configuration", "--function-name", "api"]))).toMatchObject({
      Description: "rehearsal",
      LastUpdateStatus: "Successful",
      State: "Active",
    });
    expect(json(await aws(env, ["get-function", "--function-name", "worker", "--qualifier", "1"])).Configuration).toMatchObject({ Version: "1", State: "Active" });
    expect((await aws(env, ["create-alias", "--function-name", "worker", "--name", "live", "--function-version", "1"])).code).toBe(0);
    expect(json(await aws(env, ["get-alias", "--function-name", "worker", "--name", "live"]))).toMatchObject({ Name: "live", FunctionVersion: "1" });
    expect(json(await aws(env, ["list-versions-by-function", "--function-name", "worker"])).Versions.map((v: { Version: string }) => v.Version)).toEqual(["$LATEST", "1"]);

    // A function that does not exist: the CLI's error, with Lambda's code.
    const missing = await aws(env, ["get-function-configuration", "--function-name", "nope"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("ResourceNotFoundException");
  });

  // The same emulator in-process, with a clock the test holds: an update and a new version stay in
  // progress until the waiters have polled once, then are done; no timing of the machine decides.
  it("its waiters keep polling while an update or a new version is in progress, then return", { timeout: 120_000 }, async () => {
    const base = Date.now();
    const polls = () => server.faults.counts()["aws:GetFunctionConfiguration"] ?? 0;
    // Two reads below, then each waiter's first poll, see the states in progress; from the fifth
    // read on, the clock is two minutes on (past the update delay, inside SigV4's 5-minute window).
    const server: RunningEmulator = await start({
      port: 0,
      functionUpdateDelayMs: 60_000,
      now: () => new Date(base + (polls() >= 5 ? 120_000 : 0)),
      functions: [{ name: "api" }, { name: "worker" }],
    });
    try {
      const { accessKeyId, secretAccessKey } = server.credentials.aws;
      const env = { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_ENDPOINT_URL_LAMBDA: server.url };
      expect(json(await aws(env, ["update-function-configuration", "--function-name", "api", "--description", "rehearsal"]))).toMatchObject({ LastUpdateStatus: "InProgress" });
      expect(json(await aws(env, ["publish-version", "--function-name", "worker"]))).toMatchObject({ Version: "1", State: "Pending" });
      expect(json(await aws(env, ["get-function-configuration", "--function-name", "api"]))).toMatchObject({ LastUpdateStatus: "InProgress" });
      expect(json(await aws(env, ["get-function-configuration", "--function-name", "worker", "--qualifier", "1"]))).toMatchObject({ State: "Pending" });

      // Both waiters poll every 5 s until the state changes; they run side by side.
      const [updated, active] = await Promise.all([
        aws(env, ["wait", "function-updated", "--function-name", "api"]),
        aws(env, ["wait", "published-version-active", "--function-name", "worker", "--qualifier", "1"]),
      ]);
      expect([updated.code, updated.stderr]).toEqual([0, ""]);
      expect([active.code, active.stderr]).toEqual([0, ""]);
      // Each waiter read at least twice: once in progress, once done.
      expect(polls()).toBeGreaterThanOrEqual(6);
      expect(json(await aws(env, ["get-function-configuration", "--function-name", "api"]))).toMatchObject({ LastUpdateStatus: "Successful" });
    } finally {
      await server.close();
    }
  });
});
