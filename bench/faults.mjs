// The reliability matrix of issue 16, re-run against our own emulator and its fault kinds: about
// 470 cases of publish (inline, staged, with --attach --publish-version --alias), copy, prune,
// attach, delete and concurrent attaches, each under one injected fault (a lost or cut answer, a
// 5xx, or a "2xx but incomplete" answer: empty-body, hollow, no-list, truncate-chunked) on one operation,
// once or on every call, for every provider. After each case the cloud's state is read with no
// fault in the way and compared with what layerctl reported:
//
//   duplicates   a creating call made two of what it was asked for once (layer or function versions)
//   unreported   something was made (or deleted) and neither reported nor named as "may exist"
//   misreported  what was reported is not what happened (an old version as published, an in-use
//                version deleted, a layer dropped while "attached", a deleted version as not-found...)
//   leaks        a secret (key or session token) in the output, in any encoding, --debug included
//   orphans      a staged object or unfinished multipart upload left in a bucket and not named
//
// Not part of `npm run bench` (it measures truthfulness, not speed); it builds what it needs from src/:
//   node bench/faults.mjs            (all cases)        FAULTS_PROVIDER=aws node bench/faults.mjs
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sourceBundle } from "../test/helpers/source-bundle.mjs";

// dist/ is one bundle: the modules used here are built from src/ together (one instance each).
const ENTRIES = [
  "emulator/index.ts",
  "providers/index.ts",
  "commands/index.ts",
  "commands/shared/invoke.ts",
  "output/log.ts",
  "output/redact.ts",
  "output/debug-detail.ts",
  "archive/index.ts",
];
const urls = await sourceBundle(...ENTRIES);
const src = (entry) => import(urls[ENTRIES.indexOf(entry)]);
const { start, emulatorEnv } = await src("emulator/index.ts");
const { providers } = await src("providers/index.ts");
const { commands, optionsOf } = await src("commands/index.ts");
const { invoke } = await src("commands/shared/invoke.ts");
const { createLogger } = await src("output/log.ts");
const { redact } = await src("output/redact.ts");
const { debugDetail } = await src("output/debug-detail.ts");

const INCOMPLETE = ["empty-body", "hollow", "no-list", "truncate-chunked"];
const LOST = ["lost-response", "truncate", ...INCOMPLETE];
const FAILING = ["server-error", "reset", "html-error"];
const PROFILES = {
  tencent: {
    region: "ap-guangzhou",
    sourceRegion: "ap-shanghai",
    runtime: "python3.9",
    publish: "PublishLayerVersion",
    scan: ["ListNamespaces", "ListFunctions", "ListVersionByFunction", "GetFunction"],
    publishVersion: "PublishVersion",
    listVersions: "ListVersionByFunction",
    update: "UpdateFunctionConfiguration",
    bucket: "faults-1250000000",
    secret: "TENCENTCLOUD_SECRET_KEY",
  },
  aws: {
    region: "us-east-1",
    sourceRegion: "us-west-2",
    runtime: "python3.12",
    publish: "PublishLayerVersion",
    scan: ["ListFunctions", "ListVersionsByFunction", "ListAliases"],
    publishVersion: "PublishVersion",
    listVersions: "ListVersionsByFunction",
    update: "UpdateFunctionConfiguration",
    bucket: "faults-layers",
    secret: "AWS_SECRET_ACCESS_KEY",
  },
  aliyun: {
    region: "cn-hangzhou",
    sourceRegion: "cn-shanghai",
    runtime: "python3.10",
    publish: "CreateLayerVersion",
    scan: ["ListFunctions", "ListFunctionVersions", "GetFunction"],
    publishVersion: "PublishFunctionVersion",
    listVersions: "ListFunctionVersions",
    update: "UpdateFunction",
    bucket: "faults-layers",
    secret: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  },
};

const work = fs.mkdtempSync(path.join(os.tmpdir(), "layerctl-faults-"));
const layerDir = path.join(work, "layer");
fs.mkdirSync(path.join(layerDir, "python"), { recursive: true });
fs.writeFileSync(path.join(layerDir, "python/mod.py"), "x = 1\n");

const specs = {};
async function spec(name) {
  specs[name] ??= (await commands.find((c) => c.name === name).load()).default;
  return specs[name];
}
async function defaults(name) {
  const out = {};
  for (const o of optionsOf(await spec(name))) {
    const long = /--(no-)?([a-z0-9-]+)/.exec(o.flags);
    const key = long[2].replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
    if (long[1]) out[key] = true;
    else if (o.repeatable) out[key] = [];
    else if (o.default !== undefined) out[key] = o.default;
  }
  return out;
}

/** Runs one command in-process as the CLI would, with --debug: the whole output as text. */
async function run(name, input, env) {
  let stderr = "";
  const stream = {
    write: (s) => {
      stderr += s;
      return true;
    },
  };
  const log = createLogger({ debug: true, stream });
  const outcome = await invoke(await spec(name), { ...(await defaults(name)), ...input }, "json", { env, log });
  for (const { line, error } of outcome.errors) stderr += `${redact(`layerctl: ${line}`)}\n${debugDetail(error)}`;
  return { data: outcome.data, stdout: redact(outcome.stdout), stderr, code: outcome.exitCode };
}

function spellings(secret) {
  const b = Buffer.from(secret);
  const spaced = [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");
  return [secret.slice(0, 20), encodeURIComponent(secret).slice(0, 24), b.toString("hex").slice(0, 40), spaced.slice(0, 60), b.toString("base64").slice(4, 36)];
}

async function client(emu, provider) {
  const p = providers[provider];
  const credentials = await p.resolveCredentials(emulatorEnv(emu.credentials, emu.url), {});
  return p.connect({
    region: PROFILES[provider].region,
    endpoint: emu.url,
    credentials,
    requestTimeoutMs: 5_000,
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    log: createLogger({ quiet: true }),
  });
}

const versionsOf = async (c, name) => (await c.listLayerVersions(name)).map((v) => v.version).sort((a, b) => a - b);
const layersOf = async (c, fn) => (await c.functions.getLayers(fn, { waitTimeoutMs: 5_000, pollIntervalMs: 10 })).layers.map((l) => `${l.layerName}:${l.version}`);

/** One case: a fresh emulator (state on disk, to read the buckets afterwards), a setup, the command, the checks. */
async function runCase(c) {
  const prof = PROFILES[c.provider];
  const stateDir = fs.mkdtempSync(path.join(work, "state-"));
  const emu = await start({
    port: 0,
    stateDir,
    tencentPublishDelayMs: 0,
    functionUpdateDelayMs: c.updateDelayMs ?? 0,
    buckets: [{ provider: c.provider, name: prof.bucket, region: prof.region }],
    functions: c.functions ?? [],
  });
  const secret = `sec/${randomBytes(18).toString("base64")}`;
  const env = { ...emulatorEnv(emu.credentials, emu.url) };
  const creds = emu.credentials[c.provider];
  const secrets = [creds.secretKey ?? creds.secretAccessKey ?? creds.accessKeySecret];
  if (c.provider === "aws") {
    // Temporary keys from the emulator's STS (it checks session tokens): a token in play, to leak or not.
    const { STSClient, AssumeRoleCommand } = await import("@aws-sdk/client-sts");
    const sts = new STSClient({ region: "us-east-1", endpoint: emu.url, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey } });
    const keys = (await sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/release", RoleSessionName: "faults" }))).Credentials;
    sts.destroy();
    Object.assign(env, { AWS_ACCESS_KEY_ID: keys.AccessKeyId, AWS_SECRET_ACCESS_KEY: keys.SecretAccessKey, AWS_SESSION_TOKEN: keys.SessionToken });
    secrets.push(keys.SecretAccessKey, keys.SessionToken);
  }
  if (c.wrongSecret) {
    env[prof.secret] = secret;
    secrets.push(secret);
  }
  Object.assign(process.env, env);
  const verdict = { duplicates: 0, unreported: 0, misreported: 0, leaks: 0, orphans: 0, notes: [] };
  try {
    const cl = await client(emu, c.provider);
    const before = await c.setup?.(cl, emu, env);
    for (const rule of c.faults) emu.faults.add({ provider: c.provider, ...rule });
    const out = await c.run(env, emu);
    emu.faults.clear();
    await c.check(cl, out, before, verdict);
    const text = `${out.stdout}\n${out.stderr}`.toLowerCase();
    for (const s of secrets.filter(Boolean)) for (const form of spellings(s)) if (text.includes(form.toLowerCase())) verdict.leaks++;
    await emu.close();
    // Orphans: anything left in the bucket or unfinished there that the output does not name.
    const file = path.join(stateDir, "state", `${c.provider}.json`);
    const state = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
    for (const region of Object.values(state.regions ?? {})) {
      for (const bucket of Object.values(region.buckets ?? {})) {
        for (const key of [...Object.keys(bucket.objects ?? {}), ...Object.values(bucket.uploads ?? {}).map((u) => u.key ?? "")]) {
          if (key && !`${out.stdout}\n${out.stderr}`.includes(key)) {
            verdict.orphans++;
            verdict.notes.push(`orphan ${key}`);
          }
        }
      }
    }
  } catch (err) {
    verdict.notes.push(`harness error: ${err.stack ?? err}`);
    await emu.close().catch(() => {});
  }
  return verdict;
}

const target = (provider, emu) => ({ provider: [provider], region: [PROFILES[provider].region], endpoint: emu.url });
const mayExist = (rec) => /may exist|may have been/.test(`${rec?.error?.hint ?? ""} ${rec?.error?.message ?? ""}`);

function publishCases(provider) {
  const prof = PROFILES[provider];
  const out = [];
  const publishCheck = (name, staged) => async (cl, res, before, v) => {
    const made = (await versionsOf(cl, name)).filter((x) => !before.includes(x));
    const rec = res.data?.results?.[0];
    if (made.length > 1) v.duplicates++;
    if (rec?.status === "published" && !made.includes(rec.version)) v.misreported++;
    if (made.length === 1 && rec?.status !== "published" && !mayExist(rec)) v.unreported++;
    if (made.length === 0 && rec?.status === "published") v.misreported++;
    void staged;
  };
  const base = (name, extra = {}) => ({ source: layerDir, name, runtime: [prof.runtime], timeout: "4", ...extra });
  for (const kind of [...LOST, ...FAILING]) {
    for (const staged of [false, true]) {
      const name = `pub${out.length}`;
      out.push({
        provider,
        label: `publish${staged ? " --upload storage" : ""}: ${kind} on ${prof.publish}`,
        faults: [{ action: prof.publish, kind, times: 1 }],
        setup: async (_cl, emu, env) => {
          await run("publish", { ...target(provider, emu), ...base(name) }, env);
          return [1];
        },
        run: (env, emu) => run("publish", { ...target(provider, emu), ...base(name, staged ? { upload: "storage", bucket: [prof.bucket] } : {}) }, env),
        check: publishCheck(name, staged),
      });
    }
  }
  for (const kind of INCOMPLETE) {
    const name = `base${out.length}`;
    out.push({
      provider,
      label: `publish: ${kind} on the ListLayerVersions before it, and the publish answer lost`,
      faults: [
        { action: "ListLayerVersions", kind },
        { action: prof.publish, kind: "lost-response", times: 1 },
      ],
      setup: async (_cl, emu, env) => {
        await run("publish", { ...target(provider, emu), ...base(name) }, env);
        return [1];
      },
      run: (env, emu) => run("publish", { ...target(provider, emu), ...base(name) }, env),
      check: publishCheck(name, false),
    });
  }
  // copy reads the target's baseline while it downloads and hands it to publish: the same truths
  // under a lost or failed publish, and under a baseline read answered badly (then read again).
  // The source is another region of the same cloud; the target already holds the same zip at 1.
  const copyInput = (name, emu) => ({
    layerVersion: `${name}:1`,
    from: `${provider}:${prof.sourceRegion}`,
    to: [`${provider}:${prof.region}`],
    endpoint: emu.url,
    timeout: "4",
  });
  const copySetup = (name) => async (_cl, emu, env) => {
    await run("publish", { ...target(provider, emu), region: [`${provider}:${prof.sourceRegion}`], ...base(name) }, env);
    await run("publish", { ...target(provider, emu), ...base(name) }, env);
    return [1];
  };
  for (const kind of [...LOST, ...FAILING]) {
    const name = `cpy${out.length}`;
    out.push({
      provider,
      label: `copy: ${kind} on ${prof.publish}`,
      faults: [{ action: prof.publish, kind, times: 1 }],
      setup: copySetup(name),
      run: (env, emu) => run("copy", copyInput(name, emu), env),
      check: publishCheck(name, false),
    });
  }
  for (const kind of INCOMPLETE) {
    const name = `cpb${out.length}`;
    out.push({
      provider,
      label: `copy: ${kind} on the ListLayerVersions read during the download, and the publish answer lost`,
      faults: [
        { action: "ListLayerVersions", kind },
        { action: prof.publish, kind: "lost-response", times: 1 },
      ],
      setup: copySetup(name),
      run: (env, emu) => run("copy", copyInput(name, emu), env),
      check: publishCheck(name, false),
    });
  }
  // Staging itself answered badly: nothing may be left behind unnamed.
  const storeActions = ["PutObject", "HeadObject"];
  for (const action of storeActions) {
    for (const kind of ["lost-response", "server-error", "empty-body", "hollow"]) {
      const name = `stg${out.length}`;
      out.push({
        provider,
        label: `publish --upload storage: ${kind} on ${action}`,
        faults: [{ action, kind, times: action === "HeadObject" ? undefined : 1 }],
        setup: async () => [],
        run: (env, emu) => run("publish", { ...target(provider, emu), ...base(name, { upload: "storage", bucket: [prof.bucket] }) }, env),
        check: publishCheck(name, true),
      });
    }
  }
  out.push({
    provider,
    wrongSecret: true,
    label: "publish --upload storage with a wrong secret (the store echoes what it signed)",
    faults: [],
    setup: async () => [],
    run: (env, emu) => run("publish", { ...target(provider, emu), ...base("leak", { upload: "storage", bucket: [prof.bucket] }) }, env),
    check: async () => {},
  });
  return out;
}

function attachCases(provider) {
  const prof = PROFILES[provider];
  const out = [];
  const ns = provider === "tencent" ? "prod" : undefined;
  const fns = [
    {
      provider,
      name: "svc",
      namespace: ns,
      layers: [
        { name: "basea", version: 1 },
        { name: "baseb", version: 1 },
      ],
    },
  ];
  const setup = async (cl) => {
    for (const n of ["basea", "baseb", "added"]) {
      await cl.publishLayer(
        { layerName: n, archive: await archive(), runtimes: providers[provider].resolveRuntimes([prof.runtime]), architectures: [] },
        { wait: true, waitTimeoutMs: 5_000, pollIntervalMs: 5 },
      );
    }
    return (await cl.functions.listVersions({ functionName: "svc", namespace: ns })).length;
  };
  const check = async (cl, res, before, v) => {
    const now = await layersOf(cl, { functionName: "svc", namespace: ns });
    const rec = res.data?.results?.[0];
    if (now[0] !== "basea:1" || now[1] !== "baseb:1") v.misreported++;
    if (rec?.status === "attached" && !now.includes("added:1")) v.misreported++;
    const versions = (await cl.functions.listVersions({ functionName: "svc", namespace: ns })).length - before;
    if (versions > 1) v.duplicates++;
    if (versions === 1 && !rec?.functionVersion && !mayExist(rec)) v.unreported++;
    if (rec?.functionVersion && versions === 0) v.misreported++;
  };
  const actions = ["GetFunction", prof.update, prof.publishVersion, prof.listVersions, "CreateAlias", "ListLayerVersions"];
  for (const action of actions) {
    for (const kind of LOST) {
      for (const times of [1, undefined]) {
        if (times === undefined && !INCOMPLETE.includes(kind)) continue;
        out.push({
          provider,
          functions: fns,
          label: `attach added:latest --publish-version --alias live: ${kind} on ${action}${times ? " once" : " every time"}`,
          faults: [{ action, kind, times }],
          setup,
          run: (env, emu) =>
            run("attach", { ...target(provider, emu), layer: "added:latest", function: ["svc"], namespace: ns, publishVersion: true, alias: "live", timeout: "4" }, env),
          check,
        });
      }
    }
  }
  // Two attaches racing on one function (updates take a while, as on the clouds).
  for (let round = 0; round < 4; round++) {
    out.push({
      provider,
      updateDelayMs: 150,
      functions: [{ provider, name: "race", namespace: ns }],
      label: `two attaches racing (round ${round + 1})`,
      faults: [{ action: "GetFunction", kind: "latency", latencyMs: 100, times: 2 }],
      setup: async (cl) => {
        for (const n of ["racea", "raceb"]) {
          await cl.publishLayer(
            { layerName: n, archive: await archive(), runtimes: providers[provider].resolveRuntimes([prof.runtime]), architectures: [] },
            { wait: true, waitTimeoutMs: 5_000, pollIntervalMs: 5 },
          );
        }
      },
      run: async (env, emu) => {
        const [a, b] = await Promise.all(["racea:1", "raceb:1"].map((layer) => run("attach", { ...target(provider, emu), layer, function: ["race"], namespace: ns }, env)));
        return { data: { results: [a.data?.results?.[0], b.data?.results?.[0]] }, stdout: a.stdout + b.stdout, stderr: a.stderr + b.stderr };
      },
      check: async (cl, res, _b, v) => {
        const now = await layersOf(cl, { functionName: "race", namespace: ns });
        for (const [i, rec] of res.data.results.entries()) if (rec?.status === "attached" && !now.includes(i === 0 ? "racea:1" : "raceb:1")) v.misreported++;
      },
    });
  }
  return out;
}

function pruneCases(provider) {
  const prof = PROFILES[provider];
  const ns = provider === "tencent" ? "prod" : undefined;
  const out = [];
  const fns = [
    {
      provider,
      name: "user",
      namespace: ns,
      versions: [{ layers: [{ name: "deps", version: 2 }] }, { layers: [{ name: "deps", version: 3 }] }],
      layers: [{ name: "deps", version: 5 }],
      aliases: [{ name: "live", version: "2" }],
    },
  ];
  const setup = async (cl) => {
    for (let i = 0; i < 7; i++) {
      await cl.publishLayer(
        { layerName: "deps", archive: await archive(), runtimes: providers[provider].resolveRuntimes([prof.runtime]), architectures: [] },
        { wait: true, waitTimeoutMs: 5_000, pollIntervalMs: 5 },
      );
    }
    return [1, 2, 3, 4, 5, 6, 7];
  };
  const check = async (cl, res, before, v) => {
    const left = await versionsOf(cl, "deps");
    for (const used of [2, 3, 5]) if (!left.includes(used)) v.misreported++;
    const results = res.data?.results ?? [];
    for (const r of results) {
      if (r.status === "deleted" && left.includes(r.version)) v.misreported++;
      if ((r.status === "not-found" || (r.status === "failed" && !mayExist(r))) && r.version !== null && !left.includes(r.version)) v.misreported++;
    }
    for (const gone of before.filter((x) => !left.includes(x))) if (!results.some((r) => r.version === gone && (r.status === "deleted" || mayExist(r)))) v.unreported++;
  };
  for (const action of ["ListLayerVersions", ...prof.scan]) {
    for (const kind of INCOMPLETE) {
      for (const times of [1, undefined]) {
        out.push({
          provider,
          functions: fns,
          label: `prune --keep 1: ${kind} on ${action}${times ? " once" : " every time"}`,
          faults: [{ action, kind, times }],
          setup,
          run: (env, emu) => run("prune", { ...target(provider, emu), name: "deps", keep: "1", yes: true, timeout: "4" }, env),
          check,
        });
      }
    }
  }
  for (const kind of [...LOST, ...FAILING]) {
    out.push({
      provider,
      functions: fns,
      label: `prune --keep 1: ${kind} on DeleteLayerVersion once`,
      faults: [{ action: "DeleteLayerVersion", kind, times: 1 }],
      setup,
      run: (env, emu) => run("prune", { ...target(provider, emu), name: "deps", keep: "1", yes: true, timeout: "4" }, env),
      check,
    });
  }
  for (const kind of LOST) {
    out.push({
      provider,
      label: `delete deps 2: ${kind} on DeleteLayerVersion once`,
      faults: [{ action: "DeleteLayerVersion", kind, times: 1 }],
      setup,
      run: (env, emu) => run("delete", { ...target(provider, emu), name: "deps", versions: ["2"], yes: true, timeout: "4" }, env),
      check: async (cl, res, _b, v) => {
        const left = await versionsOf(cl, "deps");
        const rec = res.data?.results?.[0];
        if (left.includes(2) && rec?.status === "deleted") v.misreported++;
        if (!left.includes(2) && rec?.status !== "deleted" && !mayExist(rec)) v.misreported++;
      },
    });
  }
  return out;
}

let cachedArchive;
async function archive() {
  if (cachedArchive) return cachedArchive;
  const { pack } = await src("archive/index.ts");
  const out = path.join(work, "a.zip");
  const packed = await pack({ dir: layerDir, output: out });
  const bytes = fs.readFileSync(out);
  cachedArchive = { bytes, path: out, sha256: packed.archive.sha256, size: bytes.length };
  return cachedArchive;
}

const only = process.env.FAULTS_PROVIDER;
const cases = Object.keys(PROFILES)
  .filter((p) => !only || p === only)
  .flatMap((p) => [...publishCases(p), ...attachCases(p), ...pruneCases(p)]);

const totals = { cases: 0, duplicates: 0, unreported: 0, misreported: 0, leaks: 0, orphans: 0 };
const bad = [];
const t0 = Date.now();
for (const c of cases) {
  const v = await runCase(c);
  totals.cases++;
  for (const k of ["duplicates", "unreported", "misreported", "leaks", "orphans"]) totals[k] += v[k];
  if (v.duplicates + v.unreported + v.misreported + v.leaks + v.orphans > 0 || v.notes.some((n) => n.startsWith("harness")))
    bad.push(`${c.provider}: ${c.label}: ${JSON.stringify({ ...v, notes: undefined })} ${v.notes.join("; ")}`);
  if (totals.cases % 25 === 0) process.stderr.write(`${totals.cases}/${cases.length} cases (${Math.round((Date.now() - t0) / 1000)} s)\n`);
}
fs.rmSync(work, { recursive: true, force: true });
console.log(`\nfaults: ${totals.cases} cases in ${Math.round((Date.now() - t0) / 1000)} s`);
for (const k of ["duplicates", "unreported", "misreported", "leaks", "orphans"]) console.log(`  ${k.padEnd(12)} ${totals[k]}`);
if (bad.length) console.log(`\ncases with findings:\n  ${bad.join("\n  ")}`);
process.exitCode = bad.length ? 1 : 0;
