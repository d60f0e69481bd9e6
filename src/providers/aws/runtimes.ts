// Lambda runtime ids layers can declare, with the canonical spellings users type for them.
// Source: the CompatibleRuntimes enum in the PublishLayerVersion API reference and the Runtime
// enum of @aws-sdk/client-lambda. Deprecated ids are kept while Lambda still accepts them on
// layers; ids the SDK lists before they are generally available are left out.
//
// Platforms: the "Lambda runtimes" page of the Lambda developer guide names each runtime's OS
// (Amazon Linux 2023, Amazon Linux 2, or Amazon Linux 2018.03 for the oldest). Each OS's glibc and
// libstdc++ are its own packages: AL2023 glibc 2.34 / GCC 11, AL2 glibc 2.26 / GCC 7.3,
// AL 2018.03 glibc 2.17 / GCC 4.8 (the Amazon Linux package lists). Node-API: the Node.js version
// matrix against the oldest release Lambda still runs of each major (managed runtimes are kept on
// the latest minor release).
import type { RuntimeEntry, RuntimePlatform } from "../types.js";

const AL2023 = { os: "Amazon Linux 2023", glibc: "2.34", libstdcxx: "3.4.29", evidence: "documented", source: "Lambda runtimes page" } as const;
const AL2 = { os: "Amazon Linux 2", glibc: "2.26", libstdcxx: "3.4.24", evidence: "documented", source: "Lambda runtimes page" } as const;
const AL1 = { os: "Amazon Linux 2018.03", glibc: "2.17", libstdcxx: "3.4.19", evidence: "documented", source: "Lambda runtimes page" } as const;

const python = (os: RuntimePlatform, version: string): RuntimePlatform => ({ ...os, python: version });
const node = (os: RuntimePlatform, major: number, napi: number): RuntimePlatform => ({ ...os, node: { major, napi } });

export const AWS_RUNTIMES: readonly RuntimeEntry[] = [
  { native: "python3.14", aliases: [], platform: python(AL2023, "3.14") },
  { native: "python3.13", aliases: [], platform: python(AL2023, "3.13") },
  { native: "python3.12", aliases: [], platform: python(AL2023, "3.12") },
  { native: "python3.11", aliases: [], platform: python(AL2, "3.11") },
  { native: "python3.10", aliases: [], platform: python(AL2, "3.10") },
  { native: "python3.9", aliases: [], platform: python(AL2, "3.9") },
  { native: "python3.8", aliases: [], platform: python(AL2, "3.8") },
  { native: "nodejs24.x", aliases: ["nodejs24"], platform: node(AL2023, 24, 10) },
  { native: "nodejs22.x", aliases: ["nodejs22"], platform: node(AL2023, 22, 9) },
  { native: "nodejs20.x", aliases: ["nodejs20"], platform: node(AL2023, 20, 9) },
  { native: "nodejs18.x", aliases: ["nodejs18"], platform: node(AL2, 18, 9) },
  { native: "nodejs16.x", aliases: ["nodejs16"], platform: node(AL2, 16, 8) },
  { native: "nodejs14.x", aliases: ["nodejs14"], platform: node(AL2, 14, 8) },
  { native: "java25", aliases: [], platform: AL2023 },
  { native: "java21", aliases: [], platform: AL2023 },
  { native: "java17", aliases: [], platform: AL2 },
  { native: "java11", aliases: [], platform: AL2 },
  { native: "java8.al2", aliases: [], platform: AL2 },
  { native: "java8", aliases: [], platform: AL1 },
  { native: "dotnet10", aliases: [], platform: AL2023 },
  { native: "dotnet8", aliases: [], platform: AL2023 },
  { native: "dotnet6", aliases: [], platform: AL2 },
  { native: "ruby3.4", aliases: [], platform: AL2023 },
  { native: "ruby3.3", aliases: [], platform: AL2023 },
  { native: "ruby3.2", aliases: [], platform: AL2 },
  // Custom runtimes: the current OS-only runtime is what "custom" means on Lambda today.
  { native: "provided.al2023", aliases: ["custom", "custom.al2023"], platform: AL2023 },
  { native: "provided.al2", aliases: ["custom.al2"], platform: AL2 },
  { native: "provided", aliases: [], platform: AL1 },
  // Deprecated for functions (Go now runs on provided.al2023), still accepted on layers.
  { native: "go1.x", aliases: ["go1"], platform: AL1 },
];
