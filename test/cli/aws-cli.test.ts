// `layerctl emulate` as a rehearsal stage for release scripts that use the AWS CLI: the installed
// `aws` (not a dependency of layerctl) runs against it, reads functions and versions the way its
// waiters do, and `aws lambda wait function-updated` / `published-version-active` see the states
// change (botocore's lambda waiters-2.json: GetFunctionConfiguration, polled every 5 s). The
// process is the subject here: the CLI and the emulator each run as users run them.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, REPO, baseEnv } from "../helpers/cli.js";

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

/** Starts the emulator; resolves with the variables it prints once it listens. */
function emulate(args: string[]): Promise<Record<string, string>> {
  const child = spawn(process.execPath, [BIN, "emulate", "--port", "0", ...args], { cwd: REPO, env: baseEnv(), stdio: ["pipe", "pipe", "pipe"] });
  started.push(child);
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      const env = Object.fromEntries([...out.matchAll(/^export ([A-Z_0-9]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
      if (env.LAYERCTL_ENDPOINT_ALIYUN) resolve(env);
    });
    child.on("exit", (code) => reject(new Error(`emulator exited early (${code}): ${err}`)));
  });
}

/** One `aws lambda ...` run, pointed at the emulator by the variables it printed (AWS_ENDPOINT_URL_LAMBDA). */
function aws(env: Record<string, string>, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("aws", ["lambda", ...args, "--output", "json"], {
      env: baseEnv({ ...env, AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "", AWS_MAX_ATTEMPTS: "1" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const json = (r: { stdout: string }) => JSON.parse(r.stdout) as Record<string, any>;

describe.skipIf(!installed)("the AWS CLI against layerctl emulate (skipped where `aws` is not installed)", () => {
  it("reads functions and versions, and its waiters see an update and a new version finish", { timeout: 60_000 }, async () => {
    // Long enough that the first reads below still see the update and the version in progress.
    const env = await emulate(["--update-delay", "6000", "--function", "aws:api", "--function", "aws:worker"]);

    const update = await aws(env, ["update-function-configuration", "--function-name", "api", "--description", "rehearsal"]);
    expect(update.stderr).toBe("");
    expect(json(update)).toMatchObject({ FunctionName: "api", LastUpdateStatus: "InProgress" });
    const published = await aws(env, ["publish-version", "--function-name", "worker"]);
    expect(json(published)).toMatchObject({ Version: "1", State: "Pending" });

    const during = await aws(env, ["get-function-configuration", "--function-name", "api"]);
    expect(json(during)).toMatchObject({ Description: "rehearsal", LastUpdateStatus: "InProgress" });
    const pending = await aws(env, ["get-function-configuration", "--function-name", "worker", "--qualifier", "1"]);
    expect(json(pending)).toMatchObject({ Version: "1", State: "Pending" });

    // Both waiters poll every 5 s until the state changes; they run side by side.
    const [updated, active] = await Promise.all([
      aws(env, ["wait", "function-updated", "--function-name", "api"]),
      aws(env, ["wait", "published-version-active", "--function-name", "worker", "--qualifier", "1"]),
    ]);
    expect([updated.code, updated.stderr]).toEqual([0, ""]);
    expect([active.code, active.stderr]).toEqual([0, ""]);
    expect(json(await aws(env, ["get-function-configuration", "--function-name", "api"]))).toMatchObject({ LastUpdateStatus: "Successful", State: "Active" });
    expect(json(await aws(env, ["get-function", "--function-name", "worker", "--qualifier", "1"])).Configuration).toMatchObject({ State: "Active" });

    // An alias on the version, read back; the versions listed.
    expect((await aws(env, ["create-alias", "--function-name", "worker", "--name", "live", "--function-version", "1"])).code).toBe(0);
    expect(json(await aws(env, ["get-alias", "--function-name", "worker", "--name", "live"]))).toMatchObject({ Name: "live", FunctionVersion: "1" });
    expect(json(await aws(env, ["list-versions-by-function", "--function-name", "worker"])).Versions.map((v: { Version: string }) => v.Version)).toEqual(["$LATEST", "1"]);

    // A function that does not exist: the CLI's error, with Lambda's code.
    const missing = await aws(env, ["get-function-configuration", "--function-name", "nope"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("ResourceNotFoundException");
  });
});
