// The header readers against files written by the tests (checked with readelf and file(1) when
// the fixtures were written): what each says a file is built for and needs.
import { describe, expect, it } from "vitest";
import { capturedSource, memorySource, Unavailable } from "../../src/contents/byte-source.js";
import { compareVersions } from "../../src/contents/elf.js";
import { noteFor, worthALook } from "../../src/contents/sniff.js";
import { elf, glibcElf, javaClass, machO, pe } from "../helpers/binaries.js";

const read = (name: string, bytes: Buffer) => noteFor(name, memorySource(bytes));
const facts = (name: string, bytes: Buffer) => {
  const n = read(name, bytes);
  if (n?.kind !== "binary") throw new Error(`${name}: not read as a binary`);
  return n.facts;
};

describe("ELF", () => {
  it("reads the machine of 64- and 32-bit files", () => {
    expect(facts("a.so", glibcElf("x86_64"))).toMatchObject({ format: "elf", machine: "x86_64", bits: 64, machineCode: 62 });
    expect(facts("a.so", glibcElf("arm64"))).toMatchObject({ machine: "arm64", bits: 64 });
    expect(facts("a.so", elf({ machine: "x86" }))).toMatchObject({ machine: "x86", bits: 32 });
    expect(facts("a.so", elf({ machine: "arm" }))).toMatchObject({ machine: "arm", bits: 32 });
    expect(facts("a.so", elf({ machine: 21 }))).toMatchObject({ machine: "other", machineCode: 21 });
  });

  it("takes the highest GLIBC_, GLIBCXX_ and CXXABI_ version needed, in version order", () => {
    const f = facts(
      "a.so",
      elf({
        machine: "x86_64",
        needed: ["libm.so.6", "libc.so.6", "libstdc++.so.6"],
        versions: {
          "libm.so.6": ["GLIBC_2.29"],
          "libc.so.6": ["GLIBC_2.2.5", "GLIBC_2.3", "GLIBC_2.14", "GLIBC_PRIVATE"],
          "libstdc++.so.6": ["GLIBCXX_3.4.9", "GLIBCXX_3.4.21", "CXXABI_1.3.8"],
        },
      }),
    );
    expect(f).toMatchObject({ libc: "glibc", glibc: "2.29", glibcxx: "3.4.21", cxxabi: "1.3.8" });
  });

  it("tells musl from glibc and static binaries", () => {
    expect(facts("a", elf({ machine: "x86_64", interp: "/lib/ld-musl-x86_64.so.1", needed: ["libc.musl-x86_64.so.1"] }))).toMatchObject({ libc: "musl" });
    // A musl shared library has no interpreter: its libc dependency tells.
    expect(facts("a.so", elf({ machine: "x86_64", needed: ["libc.musl-x86_64.so.1"] }))).toMatchObject({ libc: "musl" });
    expect(facts("a", elf({ machine: "x86_64", interp: "/lib64/ld-linux-x86-64.so.2", needed: ["libc.so.6"] }))).toMatchObject({ libc: "glibc" });
  });

  it("reads a Node addon's ABI from its symbols (.node files only)", () => {
    const nan = elf({ machine: "x86_64", exports: ["node_register_module_v115"], imports: ["_ZN2v87Isolate10GetCurrentEv"] });
    expect(facts("build/Release/x.node", nan)).toMatchObject({ nodeModuleVersion: 115 });
    expect(facts("x.so", nan)).not.toHaveProperty("nodeModuleVersion");
    const napi = elf({ machine: "x86_64", exports: ["napi_register_module_v1"], imports: ["napi_create_function", "napi_create_threadsafe_function", "napi_type_tag_object"] });
    expect(facts("x.node", napi)).toMatchObject({ napi: 8 });
    expect(facts("x.node", elf({ machine: "x86_64", exports: ["napi_register_module_v1"], imports: ["napi_create_function"] }))).toMatchObject({ napi: 1 });
    expect(facts("x.node", elf({ machine: "x86_64", imports: ["node_api_symbol_for"] }))).toMatchObject({ napi: 9 });
  });

  it("keeps the header's facts when a table is cut off, marked partial", () => {
    const whole = glibcElf("arm64", "2.28");
    const cut = whole.subarray(0, whole.length - 20);
    expect(facts("a.so", cut)).toMatchObject({ machine: "arm64", partial: true });
  });

  it("asks for bytes a capture does not hold, so the caller can read them", () => {
    const big = glibcElf("x86_64", "2.31", { padding: 2 << 20, tablesLast: true });
    const src = capturedSource(big.length, [
      { offset: 0, bytes: big.subarray(0, 1 << 20) },
      { offset: big.length - 512, bytes: big.subarray(big.length - 512) },
    ]);
    expect(() => noteFor("a.so", src)).toThrow(Unavailable);
    const whole = capturedSource(big.length, [{ offset: 0, bytes: big }]);
    expect(noteFor("a.so", whole)).toMatchObject({ facts: { glibc: "2.31" } });
  });
});

describe("Mach-O, PE, Java, wheels", () => {
  it("reads thin and universal Mach-O files, and leaves Java classes alone", () => {
    expect(facts("a.dylib", machO("arm64"))).toEqual({ format: "macho", machines: ["arm64"] });
    expect(facts("a.so", machO("x86_64", "arm64"))).toEqual({ format: "macho", machines: ["x86_64", "arm64"] });
    expect(worthALook("A.class", javaClass())).toBe(false);
    expect(read("A.class", javaClass())).toBeNull();
  });

  it("reads a PE file's machine and tells .NET assemblies apart", () => {
    expect(facts("a.exe", pe("x86_64"))).toEqual({ format: "pe", machine: "x86_64", managed: false });
    expect(facts("a.dll", pe("arm64"))).toEqual({ format: "pe", machine: "arm64", managed: false });
    expect(facts("App.dll", pe("x86", { managed: true }))).toEqual({ format: "pe", machine: "x86", managed: true });
    // A text file that happens to start with "MZ" is not a PE file.
    expect(read("notes.txt", Buffer.from(`MZ is a DOS signature${" ".repeat(100)}`))).toBeNull();
  });

  it("reads a wheel's tags from its WHEEL file", () => {
    const wheel = Buffer.from("Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp37-abi3-manylinux_2_17_x86_64\nTag: cp37-abi3-manylinux2014_x86_64\n");
    expect(read("python/cryptography-42.0.0.dist-info/WHEEL", wheel)).toEqual({ kind: "wheel", tags: ["cp37-abi3-manylinux_2_17_x86_64", "cp37-abi3-manylinux2014_x86_64"] });
    expect(worthALook("python/x/WHEEL", wheel)).toBe(false);
  });

  it("orders versions numerically", () => {
    expect(compareVersions("2.28", "2.3")).toBeGreaterThan(0);
    expect(compareVersions("3.4.29", "3.4.9")).toBeGreaterThan(0);
    expect(compareVersions("2.17", "2.17")).toBe(0);
  });
});
