// The package as a user gets it: `npm pack` from a fresh clone (no dist/: prepack builds it), the
// tarball installed into an empty folder, and `npx layerctl` run there against its own emulator.
// Offline: layerctl has no run-time dependencies (everything is bundled into dist/), so the
// install needs nothing from a registry, and npm is told so.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, readdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/archive.js";
import { REPO } from "../helpers/cli.js";

function npmEnv(root: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: root,
    LANG: "C.UTF-8",
    NO_COLOR: "1",
    npm_config_offline: "true",
    npm_config_cache: path.join(root, "npm-cache"),
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
  };
}

function run(cmd: string, args: string[], cwd: string, env: Record<string, string>): { stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}:\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

describe("the package", () => {
  it("packs from a fresh clone, installs from the tarball alone, and `npx layerctl publish --emulator` works", async () => {
    const root = await tempDir("layerctl-install-");
    const env = npmEnv(root);
    const clone = path.join(root, "clone");
    execFileSync("git", ["clone", "--quiet", REPO, clone], { env });
    // The build's tools come from this checkout's node_modules (.ci/run has already shown that
    // `npm ci` installs them from the lockfile): what is under test is what the clone packs.
    await symlink(path.join(REPO, "node_modules"), path.join(clone, "node_modules"));
    const packed = run("npm", ["pack", "--json", "--pack-destination", root], clone, env);
    const [tarball] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
    const files = tarball.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        "LICENSE",
        "README.md",
        "package.json",
        "bin/layerctl",
        "bin/package.json",
        "dist/cli.cjs",
        "dist/THIRD-PARTY-NOTICES.txt",
        "schema/config.schema.json",
      ]),
    );
    // The bundle only: no sources, no per-module tree, nothing of the build's.
    expect(files.filter((f) => !/^(bin\/layerctl|bin\/package\.json|dist\/[^/]+|schema\/[^/]+\.json|LICENSE|README\.md|package\.json)$/.test(f))).toEqual([]);

    const app = path.join(root, "app");
    await mkdir(app);
    await writeFile(path.join(app, "package.json"), "{}\n");
    const install = run("npm", ["install", path.join(root, tarball.filename)], app, env);
    expect(install.stderr).not.toMatch(/install-scripts|deprecated/);
    // Nothing but layerctl itself (the bound: 50 packages).
    expect(await readdir(path.join(app, "node_modules"))).toEqual([".bin", ".package-lock.json", "layerctl"]);

    const layer = path.join(app, "layer");
    await mkdir(path.join(layer, "python"), { recursive: true });
    await writeFile(path.join(layer, "python/hello.py"), "print('hi')\n");
    const published = run(
      "npx",
      ["layerctl", "publish", layer, "-p", "tencent,aws,aliyun", "-n", "installed", "--runtime", "python3.10", "--emulator", "--output", "json"],
      app,
      env,
    );
    const doc = JSON.parse(published.stdout) as { results: { provider: string; status: string; version: number }[] };
    expect(doc.results.map((r) => [r.provider, r.status, r.version])).toEqual([
      ["tencent", "published", 1],
      ["aws", "published", 1],
      ["aliyun", "published", 1],
    ]);
  }, 180_000);
});
