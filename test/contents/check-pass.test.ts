// The check inside the pack's pass and a zip's verification: the zip's bytes do not change, large
// files and large zip entries are read at their tables, a refused pack leaves no zip, and the
// options and documents around it.
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pack } from "../../src/archive/index.js";
import type { CheckDocument } from "../../src/commands/check.js";
import type { NamedNote } from "../../src/contents/types.js";
import { providers } from "../../src/providers/index.js";
import { checkDocumentSchema } from "../../src/record/output-schema.js";
import { tempDir, tempTree } from "../helpers/archive.js";
import { elf, glibcElf, machO, pe } from "../helpers/binaries.js";
import { runCli } from "../helpers/cli.js";
import { runCommand } from "../helpers/invoke.js";

const tree = (files: Record<string, Buffer | string>) => tempTree("layerctl-pass-", files);

const sha = async (file: string) =>
  createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
/** A library of `mb` MiB whose string tables sit in the middle of the file (a big C++ library's layout). */
const bigLibrary = (mb: number) => glibcElf("arm64", "2.28", { padding: mb << 20, tablesLast: true });

describe("the check inside pack", () => {
  it("notes binaries from the bytes the pass reads, and the zip's bytes are the same with or without it", async () => {
    const dir = await tree({
      "python/small.so": glibcElf("x86_64", "2.17"),
      // Over the packer's large-file threshold: read in chunks, its tables read from the file.
      "python/big.so": Buffer.concat([glibcElf("x86_64", "2.31"), randomBytes(5 << 20)]),
      "python/mid-tables.so": bigLibrary(6),
      "python/m.py": "x = 1\n",
      "python/mac.dylib": machO("arm64"),
      "python/tool.exe": pe("x86_64"),
    });
    const out = await tempDir();
    let notes: NamedNote[] = [];
    const checked = await pack({ dir, output: path.join(out, "a.zip"), check: (n) => (notes = n) });
    const plain = await pack({ dir, output: path.join(out, "b.zip") });
    expect(checked.archive.sha256).toBe(plain.archive.sha256);
    expect(await sha(path.join(out, "a.zip"))).toBe(await sha(path.join(out, "b.zip")));
    expect(notes.map((n) => n.name)).toEqual(["python/big.so", "python/mac.dylib", "python/mid-tables.so", "python/small.so", "python/tool.exe"]);
    const glibc = Object.fromEntries(notes.map((n) => [n.name, n.note.kind === "binary" && n.note.facts.format === "elf" ? n.note.facts.glibc : undefined]));
    expect(glibc).toMatchObject({ "python/big.so": "2.31", "python/mid-tables.so": "2.28", "python/small.so": "2.17" });
  });

  it("reads large zip entries' tables, past what was kept while verifying, and finds what the folder gives", async () => {
    const dir = await tree({ "lib/libbig.so": bigLibrary(6), "lib/libstored.so": Buffer.concat([glibcElf("x86_64", "2.30"), Buffer.alloc(5 << 20)]) });
    const zip = path.join(await tempDir(), "l.zip");
    expect((await runCommand("pack", { dir, out: zip, check: false })).code).toBe(0);
    const args = { provider: ["aws"], runtime: ["provided.al2"], arch: ["x86_64"] };
    const fromZip = JSON.parse((await runCommand("check", { source: zip, ...args })).stdout) as CheckDocument;
    const fromDir = JSON.parse((await runCommand("check", { source: dir, ...args })).stdout) as CheckDocument;
    expect(fromZip.findings).toEqual(fromDir.findings);
    expect(fromZip.findings.map((f) => [f.code, f.file])).toEqual([
      ["WrongArchitecture", "lib/libbig.so"],
      ["GlibcTooNew", "lib/libstored.so"],
    ]);
  });

  it("a refused pack writes no zip; --no-check writes it", async () => {
    const dir = await tree({ "python/fast.cpython-311-x86_64-linux-gnu.so": glibcElf("x86_64", "2.17"), "python/x.py": "" });
    const zip = path.join(await tempDir(), "l.zip");
    const r = await runCommand("pack", { dir, out: zip, provider: ["aws"], runtime: ["python3.10"] });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^layerctl: error: aws python3\.10 x86_64: python\/fast\.cpython-311-x86_64-linux-gnu\.so: needs CPython 3\.11; target: CPython 3\.10.*; fix: install the cp310 build/m,
    );
    expect(r.stderr).toMatch(/nothing was written; fix them as each line says .*--no-check/);
    expect(existsSync(zip)).toBe(false);
    const forced = await runCommand("pack", { dir, out: zip, provider: ["aws"], runtime: ["python3.10"], check: false });
    expect(forced.code).toBe(0);
    expect(existsSync(zip)).toBe(true);
  });

  it("without a provider, pack refuses what fails on every cloud and nothing else", async () => {
    const zip = path.join(await tempDir(), "l.zip");
    const clean = await tree({ "lib/a.so": glibcElf("arm64", "2.40"), "lib/b.so": glibcElf("arm64") });
    expect((await runCommand("pack", { dir: clean, out: zip })).code).toBe(0);
    const bad = await tree({
      "lib/a.so": glibcElf("x86_64"),
      "lib/b.so": glibcElf("x86_64"),
      "lib/c.so": glibcElf("arm64"),
      "lib/old.so": elf({ machine: "x86" }),
      "lib/mac.so": machO("arm64"),
      "lib/alpine.so": elf({ machine: "x86_64", needed: ["libc.musl-x86_64.so.1"] }),
    });
    const r = await runCommand("check", { source: bad });
    const doc = JSON.parse(r.stdout) as CheckDocument;
    expect(doc.targets).toEqual([{ provider: null, runtimes: [], architectures: [] }]);
    expect(doc.findings.map((f) => [f.code, f.file])).toEqual([
      ["MuslBinary", "lib/alpine.so"],
      ["MixedArchitectures", "lib/c.so"],
      ["MacOSBinary", "lib/mac.so"],
      ["UnsupportedArchitecture", "lib/old.so"],
    ]);
    expect(r.code).toBe(2);
  });

  it("a floor the cloud does not document for the runtime gives warnings, not errors", async () => {
    const dir = await tree({ "lib/libjni.so": glibcElf("x86_64", "2.28") });
    const r = await runCommand("check", { source: dir, provider: ["aliyun"], runtime: ["java11"] });
    const doc = JSON.parse(r.stdout) as CheckDocument;
    expect(doc.findings).toEqual([expect.objectContaining({ severity: "warning", code: "GlibcTooNew", has: expect.stringContaining("unconfirmed") })]);
    expect(r.code).toBe(0);
  });

  it("check's JSON document matches its published schema; bad options are one-line usage errors", async () => {
    const dir = await tree({ "python/a.so": glibcElf("arm64", "2.35") });
    const r = await runCommand("check", { source: dir, provider: ["aws,tencent"], runtime: ["python3.12", "tencent:python3.10"], arch: ["arm64"] });
    const doc = JSON.parse(r.stdout);
    expect(checkDocumentSchema.safeParse(doc).success).toBe(true);
    expect(doc.targets).toEqual([
      { provider: "aws", runtimes: ["python3.12"], architectures: ["arm64"] },
      { provider: "tencent", runtimes: ["Python3.10"], architectures: ["x86_64"] },
    ]);
    expect(doc.findings.map((f: { provider: string; code: string }) => `${f.provider} ${f.code}`)).toEqual(["aws GlibcTooNew", "tencent WrongArchitecture"]);
    const noProvider = await runCommand("check", { source: dir, runtime: ["python3.12"] });
    expect(noProvider.code).toBe(2);
    expect(noProvider.stderr).toMatch(/^layerctl: --runtime needs --provider.*; add -p aws, tencent or aliyun\n$/);
    const typo = await runCommand("pack", { dir, out: path.join(await tempDir(), "x.zip"), arch: ["amd64"] });
    expect(typo.stderr).toMatch(/unknown architecture "amd64"; did you mean x86_64\?/);
  });

  it("the CLI (deflate workers, a tree large enough to start them) refuses as in-process", async () => {
    const files: Record<string, Buffer | string> = { "nodejs/node_modules/x/x.node": glibcElf("arm64", "2.17") };
    for (let i = 0; i < 300; i++) files[`nodejs/node_modules/pkg/f${i}.js`] = randomBytes(12_000).toString("base64");
    const dir = await tree(files);
    const zip = path.join(await tempDir(), "w.zip");
    const r = await runCli(["pack", dir, "-o", zip, "-p", "aws", "--runtime", "nodejs20", "--arch", "x86_64"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^layerctl: error: aws nodejs20\.x x86_64: nodejs\/node_modules\/x\/x\.node: needs an arm64 CPU; target: x86_64; fix: install the x86_64 build \(layerctl build, or npm ci --os=linux --cpu=x64 --libc=glibc\), or publish it for arm64 functions \(--arch arm64\) if that is what it is for$/m,
    );
    expect(existsSync(zip)).toBe(false);
  });
});

describe("runtime platforms (the floors the check and build use, as the references give them)", () => {
  const platform = (p: keyof typeof providers, id: string) => providers[p].runtimes.find((r) => r.native === id)!.platform!;

  it("AWS: Amazon Linux 2 runtimes 2.26, Amazon Linux 2023 runtimes 2.34, the oldest 2.17", () => {
    for (const id of ["python3.8", "python3.11", "nodejs18.x", "java17", "provided.al2", "ruby3.2"])
      expect(platform("aws", id)).toMatchObject({ os: "Amazon Linux 2", glibc: "2.26", evidence: "documented" });
    for (const id of ["python3.12", "python3.13", "nodejs20.x", "nodejs22.x", "java21", "provided.al2023", "dotnet8"])
      expect(platform("aws", id)).toMatchObject({ os: "Amazon Linux 2023", glibc: "2.34" });
    for (const id of ["provided", "go1.x", "java8"]) expect(platform("aws", id)).toMatchObject({ glibc: "2.17" });
    expect(platform("aws", "python3.12").python).toBe("3.12");
    expect(platform("aws", "nodejs20.x").node).toEqual({ major: 20, napi: 9 });
  });

  it("Tencent: CentOS 7, glibc 2.17, inferred", () => {
    for (const r of providers.tencent.runtimes) expect(r.platform).toMatchObject({ os: "CentOS 7", glibc: "2.17", evidence: "inferred" });
    expect(platform("tencent", "Nodejs18.15").node).toEqual({ major: 18, napi: 8 });
  });

  it("Aliyun FC 3.0: Debian per runtime; Java, PHP and Go unconfirmed", () => {
    expect(platform("aliyun", "python3.10")).toMatchObject({ os: "Debian 10", glibc: "2.28", evidence: "documented" });
    expect(platform("aliyun", "nodejs20")).toMatchObject({ os: "Debian 10", glibc: "2.28" });
    expect(platform("aliyun", "python3.9")).toMatchObject({ os: "Debian 9", glibc: "2.24" });
    expect(platform("aliyun", "python3.12")).toMatchObject({ os: "Debian 11", glibc: "2.31" });
    expect(platform("aliyun", "custom.debian12")).toMatchObject({ os: "Debian 12", glibc: "2.36" });
    for (const id of ["java11", "java8", "php7.2", "go1"]) expect(platform("aliyun", id).evidence).toBe("unconfirmed");
  });

  it("every runtime of every provider says what it runs on, with a source", () => {
    for (const p of Object.values(providers)) {
      for (const r of p.runtimes) {
        expect(r.platform, `${p.name} ${r.native}`).toBeDefined();
        expect(r.platform!.source.length).toBeGreaterThan(5);
        expect(r.native.toLowerCase().startsWith("python") === (r.platform!.python !== undefined), `${p.name} ${r.native}`).toBe(true);
        expect(/^node/i.test(r.native) === (r.platform!.node !== undefined), `${p.name} ${r.native}`).toBe(true);
      }
    }
  });
});
